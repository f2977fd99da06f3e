// Retries without outlier detection (ICA1002): a broken pod keeps its share and every
// failed request is retried. Fixed when, by behaviour with reviews v3 failing every
// request, v3 is ejected while the retries still save every request.
import {
  defineGrader,
  expectAvoided,
  expectRetriesRecover,
  expectSpread,
  TO_REVIEWS,
} from '../src/core/grading/index.ts';

const V3_DOWN = { ...TO_REVIEWS, fail: ['reviews:v3=100%:503'] };

export default defineGrader({
  ejects: (ctx) => expectAvoided(ctx, V3_DOWN, 'reviews', 'v3', 5),
  recovers: (ctx) => expectRetriesRecover(ctx, V3_DOWN, 'reviews', 99.9),
  healthy: (ctx) => expectSpread(ctx, TO_REVIEWS, 'reviews', ['v1', 'v2', 'v3'], 25),
});
