// Weights 80/10 normalized to 88.9/11.1 (ICA1001); fixed when reviews splits 80/20,
// checked by behaviour on reviews and on the pages.
import { defineGrader, expectPages, expectSplit } from '../src/core/grading/index.ts';

export default defineGrader({
  split: (ctx) =>
    expectSplit(ctx, { to: 'reviews', path: '/reviews/0', from: 'productpage-v1' }, 'reviews', {
      v1: 80,
      v2: 20,
    }),
  stars: (ctx) => expectPages(ctx, {}, { 'no stars': 80, 'black stars': 20 }, 3),
});
