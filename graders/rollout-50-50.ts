// Progressive rollout of reviews v3, step 2: 50% v1 / 50% v3 by behaviour.
import { defineGrader, expectPages, expectSplit, expectSubsets } from '../src/core/grading/index.ts';

export default defineGrader({
  subsets: (ctx) => expectSubsets(ctx, 'reviews', ['v1', 'v3']),
  split: (ctx) => expectSplit(ctx, { to: 'reviews', path: '/reviews/0' }, 'reviews', { v1: 50, v3: 50 }),
  pages: (ctx) => expectPages(ctx, {}, { 'no stars': 50, 'red stars': 50 }),
});
