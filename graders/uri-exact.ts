// URI routing, exact: /reviews/0 -> v2, every other path -> v1. Behaviour over
// paths that tell exact from prefix (and from a regex that matches too much).
import { defineGrader, expectPaths } from '../src/core/grading/index.ts';

const to = 'reviews';

export default defineGrader({
  matched: (ctx) => expectPaths(ctx, to, ['/reviews/0', '/reviews/0?lang=en'], { v2: 100 }),
  others: (ctx) =>
    expectPaths(ctx, to, ['/reviews/1', '/reviews/00', '/reviews/0/history', '/health'], { v1: 100 }),
});
