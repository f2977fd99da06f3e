// URI routing, regex: /reviews/<digits> -> v2, every other path -> v1. Behaviour over
// paths that tell + from *, a whole-path match from a partial one, and digits from
// anything. The simulator evaluates the regex with RE2 semantics, as Envoy does.
import { defineGrader, expectPaths } from '../src/core/grading/index.ts';

const to = 'reviews';

export default defineGrader({
  matched: (ctx) => expectPaths(ctx, to, ['/reviews/0', '/reviews/7', '/reviews/12345'], { v2: 100 }),
  others: (ctx) =>
    expectPaths(ctx, to, ['/reviews/abc', '/reviews/1a', '/reviews/', '/reviews/12/history', '/health'], {
      v1: 100,
    }),
});
