// URI routing, exact: /reviews/0 -> v2, every other path -> v1. Behaviour over the
// intended match and its near misses from the grading library: /reviews/00 (a prefix
// would take it), /reviews/0/ and /reviews/0/history, another id, /health.
import {
  defineGrader,
  expectMatched,
  expectNotMatched,
  type IntendedMatch,
} from '../src/core/grading/index.ts';

const EXACT: IntendedMatch = { uri: 'exact', path: '/reviews/0' };
const PROBE = { to: 'reviews' };

export default defineGrader({
  matched: (ctx) => expectMatched(ctx, 'reviews', PROBE, EXACT, { v2: 100 }),
  others: (ctx) => expectNotMatched(ctx, 'reviews', PROBE, EXACT, { v1: 100 }),
});
