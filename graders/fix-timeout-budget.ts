// A route timeout shorter than (attempts + 1) x perTryTimeout (ICA1003) cuts the retries short.
// Fixed when, by behaviour, every request gets its tries when all pods hang, requests
// recover when two of three pods hang, and a hanging try still costs at most 2 s.
import {
  defineGrader,
  expectPerTryCut,
  expectRetriesRecover,
  expectTries,
  TO_REVIEWS,
} from '../src/core/grading/index.ts';

export default defineGrader({
  'all-tries': (ctx) => expectTries(ctx, { ...TO_REVIEWS, latency: ['reviews=30s'] }, 'reviews', 3),
  recovers: (ctx) =>
    expectRetriesRecover(
      ctx,
      { ...TO_REVIEWS, latency: ['reviews:v2=30s', 'reviews:v3=30s'] },
      'reviews',
      97,
    ),
  'per-try-kept': (ctx) =>
    expectPerTryCut(ctx, { ...TO_REVIEWS, latency: ['reviews:v3=30s'] }, 'reviews', {
      minMs: 0,
      maxMs: 2500,
      what: 'at most about 2 s per try',
    }),
});
