// The module's war story: a VirtualService sends 100% to subset v2 and no DestinationRule
// defines it (503 NC). Checked by behaviour: the 503s are gone, reviews is all v2, and
// the page shows black stars.
import {
  defineGrader,
  expectPages,
  expectSplit,
  expectSuccess,
  flagNotes,
  TO_REVIEWS,
} from '../src/core/grading/index.ts';

export default defineGrader({
  'no-503': (ctx) =>
    expectSuccess(ctx, { ...TO_REVIEWS, requests: 300 }, 'reviews', 100, flagNotes, ['IST0101', 'IST0173']),
  'all-v2': (ctx) => expectSplit(ctx, { ...TO_REVIEWS, requests: 300 }, 'reviews', { v2: 100 }, 0),
  page: (ctx) => expectPages(ctx, {}, { 'black stars': 100 }, 0),
});
