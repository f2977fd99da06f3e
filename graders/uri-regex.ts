// URI routing, regex: /reviews/<digits> -> v2, every other path -> v1. Behaviour over
// paths that tell + from *, a whole-path match from a partial one, and digits from
// anything. The simulator evaluates the regex with RE2 semantics, as Envoy does.
import { defineGrader, expectCases } from '../src/core/grading/index.ts';

const to = 'reviews';

export default defineGrader({
  matched: (ctx) =>
    expectCases(
      ctx,
      to,
      ['/reviews/0', '/reviews/7', '/reviews/12345'].map((path) => ({
        probe: { to, path },
        expected: { v2: 100 },
      })),
    ),
  others: (ctx) =>
    expectCases(
      ctx,
      to,
      ['/reviews/abc', '/reviews/1a', '/reviews/', '/reviews/12/history', '/health'].map((path) => ({
        probe: { to, path },
        expected: { v1: 100 },
      })),
    ),
});
