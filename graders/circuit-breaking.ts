// Connection pool limits on reviews (module task 4), checked by behaviour: fortio -c 3
// trips the circuit breaker (503 UO), one client at a time does not, other services are free.
import { allOf, defineGrader, expectOverflow, expectSuccess } from '../src/core/grading/index.ts';

const FORTIO = { to: 'reviews', path: '/reviews/1', concurrency: 3 };

export default defineGrader({
  trips: (ctx) => expectOverflow(ctx, FORTIO, 'reviews', 10),
  'single-ok': (ctx) =>
    expectSuccess(ctx, { to: 'reviews', path: '/reviews/1', requests: 300 }, 'reviews', 100),
  'only-reviews': (ctx) =>
    allOf(
      expectSuccess(
        ctx,
        { to: 'details', path: '/details/0', concurrency: 3, requests: 300 },
        'details',
        100,
      ),
      expectSuccess(
        ctx,
        { to: 'ratings', path: '/ratings/0', concurrency: 3, requests: 300 },
        'ratings',
        100,
      ),
    ),
});
