// A principal written with spiffe:// (ICA1206) admits nobody: checked by what
// productpage, reviews and the plaintext client get from details, and that the
// fix did not spill over to other services (a policy without selector would).
import { defineGrader, expectCalls } from '../src/core/grading/index.ts';

export default defineGrader({
  'productpage-allowed': (ctx) =>
    expectCalls(ctx, [{ from: 'productpage-v1', to: 'details', path: '/details/0', want: 200 }]),
  'others-denied': (ctx) =>
    expectCalls(ctx, [
      { from: 'reviews-v1', to: 'details', path: '/details/0', want: 403 },
      { from: 'legacy/curl', to: 'details.default', path: '/details/0', want: 403 },
    ]),
  'others-untouched': (ctx) =>
    expectCalls(ctx, [
      { from: 'productpage-v1', to: 'reviews', path: '/reviews/0', want: 200 },
      { from: 'reviews-v2', to: 'ratings', path: '/ratings/0', want: 200 },
    ]),
});
