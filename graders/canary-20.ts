// Canary release: reviews 80% v1 / 20% v2, checked by behaviour.
import {
  defineGrader,
  describeMargin,
  expectSplit,
  expectSubsets,
  fail,
  pageShare,
  pass,
  round,
  run,
  shareMargin,
  withFindings,
  withinShare,
} from '../src/core/grading/index.ts';

export default defineGrader({
  subsets: (ctx) => expectSubsets(ctx, 'reviews', ['v1', 'v2']),
  split: (ctx) => expectSplit(ctx, { to: 'reviews', path: '/reviews/0' }, 'reviews', { v1: 80, v2: 20 }),
  stars: (ctx) => {
    const result = run(ctx, { to: 'productpage', path: '/productpage', requests: 2000 });
    const stars = pageShare(result, (p) => p.reviews && p.stars !== undefined && p.stars !== 'none');
    const views = result.records.filter((r) => r.page).length;
    const expected = `about 20%${describeMargin(shareMargin(20, views, 3), views, 3)}`;
    return withinShare(stars, 20, views, 3)
      ? pass(`${round(stars)}% of /productpage views show stars (expected ${expected})`)
      : withFindings(
          ctx,
          fail(`${round(stars)}% of /productpage views show stars, expected ${expected}`),
          'reviews',
        );
  },
});
