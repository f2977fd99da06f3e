// Canary release: reviews 80% v1 / 20% v2, checked by behaviour.
import {
  defineGrader,
  expectSplit,
  expectSubsets,
  fail,
  pageShare,
  pass,
  round,
  run,
  withFindings,
} from '../src/core/grading/index.ts';

export default defineGrader({
  subsets: (ctx) => expectSubsets(ctx, 'reviews', ['v1', 'v2']),
  split: (ctx) => expectSplit(ctx, { to: 'reviews', path: '/reviews/0' }, 'reviews', { v1: 80, v2: 20 }),
  stars: (ctx) => {
    const result = run(ctx, { to: 'productpage', path: '/productpage', requests: 2000 });
    const stars = pageShare(result, (p) => p.reviews && p.stars !== undefined && p.stars !== 'none');
    return Math.abs(stars - 20) <= 3
      ? pass(`${round(stars)}% of /productpage views show stars`)
      : withFindings(
          ctx,
          fail(`${round(stars)}% of /productpage views show stars, expected about 20%`),
          'reviews',
        );
  },
});
