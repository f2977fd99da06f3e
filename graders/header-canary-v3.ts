// Header routing: x-canary: "true" -> reviews v3, everything else v1, by behaviour: the
// intended match and its near misses from the grading library (truex, tru, xtrue,
// yes/1/on for true, an empty or missing header), and the header set to false.
import {
  allOf,
  defineGrader,
  expectCases,
  expectMatched,
  expectNotMatched,
  expectSubsets,
  type IntendedMatch,
} from '../src/core/grading/index.ts';

const CANARY: IntendedMatch = { header: 'x-canary', exact: 'true' };
const PROBE = { to: 'reviews', path: '/reviews/0' };

export default defineGrader({
  subsets: (ctx) => expectSubsets(ctx, 'reviews', ['v1', 'v3']),
  canary: (ctx) => expectMatched(ctx, 'reviews', PROBE, CANARY, { v3: 100 }),
  others: (ctx) =>
    allOf(
      expectNotMatched(ctx, 'reviews', PROBE, CANARY, { v1: 100 }),
      expectCases(ctx, 'reviews', [
        {
          probe: { ...PROBE, headers: { 'x-canary': 'false' } },
          expected: { v1: 100 },
          why: 'the header set to false',
        },
      ]),
    ),
});
