// URI routing, prefix: everything below /reviews/ -> v3, other paths -> v1. Behaviour
// over paths that tell a prefix from an exact match and "/reviews/" from "/reviews".
import { defineGrader, expectCases } from '../src/core/grading/index.ts';

const to = 'reviews';

export default defineGrader({
  matched: (ctx) =>
    expectCases(
      ctx,
      to,
      ['/reviews/0', '/reviews/42', '/reviews/0/history'].map((path) => ({
        probe: { to, path },
        expected: { v3: 100 },
      })),
    ),
  others: (ctx) =>
    expectCases(
      ctx,
      to,
      ['/health', '/reviews-archive/0'].map((path) => ({ probe: { to, path }, expected: { v1: 100 } })),
    ),
});
