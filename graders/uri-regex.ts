// URI routing, regex: /reviews/<digits> -> v2, every other path -> v1. Behaviour over
// the intended match and its near misses from the grading library: ids of one to ten
// digits must match; /reviews/ (no id), abc, 1a, a1, 12/, 12/history, /api/reviews/12
// and /health must not. The simulator evaluates the regex with RE2 semantics and a
// whole-path match, as Envoy does.
import {
  defineGrader,
  expectMatched,
  expectNotMatched,
  type IntendedMatch,
} from '../src/core/grading/index.ts';

const NUMERIC_ID: IntendedMatch = { uri: 'numeric-id', under: '/reviews/' };
const PROBE = { to: 'reviews' };

export default defineGrader({
  matched: (ctx) => expectMatched(ctx, 'reviews', PROBE, NUMERIC_ID, { v2: 100 }),
  others: (ctx) => expectNotMatched(ctx, 'reviews', PROBE, NUMERIC_ID, { v1: 100 }),
});
