// Progressive rollout of reviews v3, step 3: all traffic to v3 by behaviour, with the
// v1 subset kept for a rollback (structural: what the subsets select).
import { defineGrader, expectPages, expectSplit, expectSubsets } from '../src/core/grading/index.ts';

export default defineGrader({
  rollback: (ctx) => expectSubsets(ctx, 'reviews', ['v1', 'v3']),
  split: (ctx) =>
    expectSplit(ctx, { to: 'reviews', path: '/reviews/0', requests: 400 }, 'reviews', { v3: 100 }, 0),
  pages: (ctx) => expectPages(ctx, {}, { 'red stars': 100 }, 0),
});
