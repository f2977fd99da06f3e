// DENY beats ALLOW: checked by what productpage and the other callers get from
// details. One DENY policy with two operations, two DENY policies, or two rules all
// pass; an ALLOW policy cannot narrow details-viewers, and one operation with both a
// method and a path only matches requests that have both.
import { defineGrader, expectCalls } from '../src/core/grading/index.ts';

const PP = 'productpage-v1';

export default defineGrader({
  'deny-delete': (ctx) =>
    expectCalls(ctx, [{ from: PP, to: 'details', path: '/details/0', method: 'DELETE', want: 403 }]),
  'deny-admin': (ctx) =>
    expectCalls(ctx, [
      { from: PP, to: 'details', path: '/admin', want: 403 },
      { from: PP, to: 'details', path: '/admin/config', want: 403 },
      { from: PP, to: 'details', path: '/admin/reset', method: 'POST', want: 403 },
    ]),
  'allow-kept': (ctx) => expectCalls(ctx, [{ from: PP, to: 'details', path: '/details/0', want: 200 }]),
  'others-denied': (ctx) =>
    expectCalls(ctx, [
      { from: 'reviews-v2', to: 'details', path: '/details/0', want: 403 },
      { to: 'details', path: '/details/0', want: 403 },
    ]),
});
