// A 3 s delay on every request to ratings (module task 3), checked by behaviour:
// what the callers of ratings (reviews v2 and v3) experience.
import { allOf, defineGrader, expectDelayed, expectUndisturbed } from '../src/core/grading/index.ts';

export default defineGrader({
  delayed: (ctx) =>
    expectDelayed(
      ctx,
      [
        { to: 'ratings', path: '/ratings/0', from: 'reviews-v2' },
        { to: 'ratings', path: '/ratings/0', from: 'reviews-v3' },
      ],
      'ratings',
      { minMs: 3000, maxMs: 3500, what: 'about 3 s' },
    ),
  'only-ratings': (ctx) =>
    allOf(
      expectUndisturbed(ctx, { to: 'details', path: '/details/0', from: 'productpage-v1' }, 'details'),
      // reviews v2/v3 wait for ratings, so only the fault flags and statuses count here
      expectUndisturbed(
        ctx,
        { to: 'reviews', path: '/reviews/0', from: 'productpage-v1' },
        'reviews',
        Number.POSITIVE_INFINITY,
      ),
    ),
});
