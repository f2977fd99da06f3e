// portLevelMtls: checked by what the plaintext client (legacy/curl) and the sidecars
// get on each port of ratings. PERMISSIVE or DISABLE on the metrics port both pass;
// the key must be the container port (9090), which the webhook and the sidecar read.
import { defineGrader, expectCalls } from '../src/core/grading/index.ts';

const LEGACY = 'legacy/curl';

export default defineGrader({
  'metrics-plaintext': (ctx) =>
    expectCalls(ctx, [{ from: LEGACY, to: 'ratings.default:15090', path: '/metrics', want: 200 }]),
  'api-strict': (ctx) =>
    expectCalls(ctx, [{ from: LEGACY, to: 'ratings.default:9080', path: '/ratings/0', want: 'refused' }]),
  'others-strict': (ctx) =>
    expectCalls(ctx, [
      { from: LEGACY, to: 'productpage.default', path: '/productpage', want: 'refused' },
      { from: LEGACY, to: 'details.default', path: '/details/0', want: 'refused' },
      { from: LEGACY, to: 'reviews.default', path: '/reviews/0', want: 'refused' },
    ]),
  'mesh-calls': (ctx) =>
    expectCalls(ctx, [
      { from: 'reviews-v2', to: 'ratings:9080', path: '/ratings/0', want: 200 },
      { from: 'productpage-v1', to: 'ratings:15090', path: '/metrics', want: 200 },
      { from: 'productpage-v1', to: 'reviews', path: '/reviews/0', want: 200 },
    ]),
});
