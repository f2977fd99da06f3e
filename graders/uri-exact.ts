// URI routing, exact: /reviews/0 -> v2, every other path -> v1. Behaviour over
// paths that tell exact from prefix (and from a regex that matches too much).
import { defineGrader, expectCases } from '../src/core/grading/index.ts';

const to = 'reviews';

export default defineGrader({
  matched: (ctx) =>
    expectCases(
      ctx,
      to,
      ['/reviews/0', '/reviews/0?lang=en'].map((path) => ({ probe: { to, path }, expected: { v2: 100 } })),
    ),
  others: (ctx) =>
    expectCases(
      ctx,
      to,
      ['/reviews/1', '/reviews/00', '/reviews/0/history', '/health'].map((path) => ({
        probe: { to, path },
        expected: { v1: 100 },
      })),
    ),
});
