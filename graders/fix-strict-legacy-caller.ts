// STRICT with a caller that has no sidecar (ICA1201): checked by what the plaintext
// client gets from details (200, details PERMISSIVE) and from the other services
// (refused), and that the sidecars still reach each other.
import { allOf, defineGrader, expectCalls, expectServerMtls } from '../src/core/grading/index.ts';

const LEGACY = 'legacy/export-job';

export default defineGrader({
  'legacy-details': (ctx) =>
    allOf(
      expectCalls(ctx, [{ from: LEGACY, to: 'details.default', path: '/details/0', want: 200 }]),
      expectServerMtls(ctx, 'details', 9080, ['PERMISSIVE']),
    ),
  'still-strict': (ctx) =>
    expectCalls(ctx, [
      { from: LEGACY, to: 'productpage.default', path: '/productpage', want: 'refused' },
      { from: LEGACY, to: 'reviews.default', path: '/reviews/0', want: 'refused' },
      { from: LEGACY, to: 'ratings.default', path: '/ratings/0', want: 'refused' },
    ]),
  'mesh-calls': (ctx) =>
    expectCalls(ctx, [
      { from: 'productpage-v1', to: 'details', path: '/details/0', want: 200 },
      { from: 'productpage-v1', to: 'reviews', path: '/reviews/0', want: 200 },
      { from: 'reviews-v2', to: 'ratings', path: '/ratings/0', want: 200 },
    ]),
});
