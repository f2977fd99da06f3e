// 50% of ratings requests aborted with 503 by fault injection, checked by behaviour:
// what reviews (the caller of ratings) gets, and what /productpage shows.
import {
  defineGrader,
  describeFaults,
  expectAborted,
  expectRestServed,
  fail,
  pagesFrom,
  pass,
  round,
  run,
  withFindings,
  withinShare,
} from '../src/core/grading/index.ts';

const FROM_REVIEWS = { to: 'ratings', path: '/ratings/0', from: 'reviews-v2' };

export default defineGrader({
  aborted: (ctx) => expectAborted(ctx, FROM_REVIEWS, 'ratings', { status: 503, percent: 50, tolerance: 5 }),
  'rest-served': (ctx) => expectRestServed(ctx, FROM_REVIEWS, 'ratings'),
  page: (ctx) => {
    const result = run(ctx, { to: 'productpage', path: '/productpage', requests: 1500 });
    const loaded = result.records.filter((r) => r.status === 200 && r.page).length;
    const { count, percent } = pagesFrom(result, ['v2', 'v3'], (p) => p.ratings === false);
    const reason = `${loaded} of ${result.records.length} /productpage views loaded; of the ${count} views with reviews from v2 or v3, ${round(percent)}% show "ratings unavailable"`;
    if (loaded === result.records.length && count > 0 && withinShare(percent, 50, count, 8))
      return pass(`${reason} (expected about 50%)`);
    return withFindings(
      ctx,
      fail(
        `${reason}, expected every view to load and about 50% of those to miss their ratings; ${describeFaults(ctx, 'ratings')}`,
      ),
      'ratings',
    );
  },
});
