// URI routing, prefix: everything below /reviews/ -> v3, other paths -> v1. Behaviour
// over paths that tell a prefix from an exact match and "/reviews/" from "/reviews".
import { defineGrader, expectPaths } from '../src/core/grading/index.ts';

const to = 'reviews';

export default defineGrader({
  matched: (ctx) => expectPaths(ctx, to, ['/reviews/0', '/reviews/42', '/reviews/0/history'], { v3: 100 }),
  others: (ctx) => expectPaths(ctx, to, ['/health', '/reviews-archive/0'], { v1: 100 }),
});
