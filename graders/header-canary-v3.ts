// Header routing: x-canary: "true" -> reviews v3, everything else v1, by behaviour
// (requests with the header, without it, and with other values).
import { defineGrader, expectCases, expectSubsets } from '../src/core/grading/index.ts';

const path = '/reviews/0';

export default defineGrader({
  subsets: (ctx) => expectSubsets(ctx, 'reviews', ['v1', 'v3']),
  canary: (ctx) =>
    expectCases(ctx, 'reviews', [
      { probe: { to: 'reviews', path, headers: { 'x-canary': 'true' } }, expected: { v3: 100 } },
    ]),
  others: (ctx) =>
    expectCases(ctx, 'reviews', [
      { probe: { to: 'reviews', path }, expected: { v1: 100 } },
      { probe: { to: 'reviews', path, headers: { 'x-canary': 'false' } }, expected: { v1: 100 } },
      { probe: { to: 'reviews', path, headers: { 'x-canary': 'no' } }, expected: { v1: 100 } },
    ]),
});
