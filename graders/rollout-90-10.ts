// Progressive rollout of reviews v3, step 1: 90% v1 / 10% v3 by behaviour.
import { defineGrader, expectPages, expectSplit, expectSubsets } from '../src/core/grading/index.ts';

export default defineGrader({
  subsets: (ctx) => expectSubsets(ctx, 'reviews', ['v1', 'v3']),
  split: (ctx) => expectSplit(ctx, { to: 'reviews', path: '/reviews/0' }, 'reviews', { v1: 90, v3: 10 }),
  pages: (ctx) => expectPages(ctx, {}, { 'no stars': 90, 'red stars': 10 }),
});
