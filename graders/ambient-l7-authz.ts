// L7 authorization in ambient: the rule must be enforced by the waypoint (targetRefs to
// the Service or to the waypoint Gateway), where a refused request is a 403 from Envoy;
// ztunnel could only reset connections. Checked by what each caller gets, so any
// attachment the waypoint applies passes (ALLOW, or DENY rules, on either target).
import { defineGrader, expectCalls } from '../src/core/grading/index.ts';

export default defineGrader({
  'productpage-get': (ctx) =>
    expectCalls(ctx, [{ from: 'productpage-v1', to: 'reviews', path: '/reviews/0', want: 200 }]),
  'other-methods': (ctx) =>
    expectCalls(ctx, [
      { from: 'productpage-v1', to: 'reviews', path: '/reviews/0', method: 'POST', want: 403 },
    ]),
  'other-callers': (ctx) =>
    expectCalls(ctx, [
      { from: 'details-v1', to: 'reviews', path: '/reviews/0', want: 403 },
      { to: 'reviews', path: '/reviews/0', want: 403 },
    ]),
});
