// URI routing, prefix: everything below /reviews/ -> v3, other paths -> v1. Behaviour
// over the intended match and its near misses from the grading library: /reviews/
// itself, /reviews/12/, a long id and a deeper path must match; /reviews (no slash),
// /reviews-archive/0, /api/reviews/0 and /health must not.
import {
  defineGrader,
  expectMatched,
  expectNotMatched,
  type IntendedMatch,
} from '../src/core/grading/index.ts';

const PREFIX: IntendedMatch = { uri: 'prefix', path: '/reviews/' };
const PROBE = { to: 'reviews' };

export default defineGrader({
  matched: (ctx) => expectMatched(ctx, 'reviews', PROBE, PREFIX, { v3: 100 }),
  others: (ctx) => expectNotMatched(ctx, 'reviews', PROBE, PREFIX, { v1: 100 }),
});
