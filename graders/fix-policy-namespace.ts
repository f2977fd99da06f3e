// A policy in the wrong namespace (ICA1205) changes nothing: checked by what
// productpage, details and the plaintext client get from reviews, and that the fix
// closed nothing else (a policy without selector in default would).
import { defineGrader, expectCalls } from '../src/core/grading/index.ts';

export default defineGrader({
  'productpage-allowed': (ctx) =>
    expectCalls(ctx, [{ from: 'productpage-v1', to: 'reviews', path: '/reviews/0', want: 200 }]),
  'others-denied': (ctx) =>
    expectCalls(ctx, [
      { from: 'details-v1', to: 'reviews', path: '/reviews/0', want: 403 },
      { from: 'legacy/curl', to: 'reviews.default', path: '/reviews/0', want: 403 },
    ]),
  'others-untouched': (ctx) =>
    expectCalls(ctx, [
      { from: 'productpage-v1', to: 'details', path: '/details/0', want: 200 },
      { from: 'reviews-v2', to: 'ratings', path: '/ratings/0', want: 200 },
    ]),
});
