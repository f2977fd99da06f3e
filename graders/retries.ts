// Retries (3 attempts, 2 s per try, 5xx and connect-failure), an overall timeout that
// leaves room for them, and outlier detection, on reviews. Checked by behaviour under
// four bad days played by the simulator, plus a healthy one.
import {
  defineGrader,
  expectAvoided,
  expectPerTryCut,
  expectRetriesRecover,
  expectSpread,
  expectTries,
  TO_REVIEWS,
} from '../src/core/grading/index.ts';

export default defineGrader({
  retries: (ctx) => expectRetriesRecover(ctx, { ...TO_REVIEWS, fail: ['reviews:v3=50%'] }, 'reviews', 99.9),
  'per-try': (ctx) =>
    expectPerTryCut(ctx, { ...TO_REVIEWS, latency: ['reviews:v3=10s'] }, 'reviews', {
      minMs: 1900,
      maxMs: 2500,
      what: 'about 2 s per try',
    }),
  budget: (ctx) => expectTries(ctx, { ...TO_REVIEWS, latency: ['reviews=10s'] }, 'reviews', 3),
  'no-storm': (ctx) => expectAvoided(ctx, { ...TO_REVIEWS, fail: ['reviews:v3=100%'] }, 'reviews', 'v3', 5),
  spread: (ctx) => expectSpread(ctx, TO_REVIEWS, 'reviews', ['v1', 'v2', 'v3'], 25),
});
