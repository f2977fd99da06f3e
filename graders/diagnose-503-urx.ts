// Diagnosis lab: the route sends 20% of reviews traffic to the v3 canary, whose pod
// fails every request. Retries stay in the cluster the route picked, so each such
// request is retried on v3 alone until the attempts run out (503 URX). The fix is
// checked by behaviour with v3 still failing: nothing fails, all of it on v2.
import { expectDiagnosis } from '../src/core/grading/checks-diagnosis.ts';
import {
  defineGrader,
  expectSplit,
  expectSuccess,
  flagNotes,
  TO_REVIEWS,
} from '../src/core/grading/index.ts';

/** the bad day the lab is about: the v3 canary answers every request with 503 */
const V3_DOWN = { ...TO_REVIEWS, fail: ['reviews:v3=100%:503'], requests: 300 };

export default defineGrader({
  diagnosis: (ctx) =>
    expectDiagnosis(ctx, {
      flag: 'URX',
      flagMeaning: 'URX: retries exhausted, every retry went to the same failing subset',
      causes: [{ kind: 'VirtualService', name: 'reviews', fields: ['http.route'] }],
    }),
  'no-503': (ctx) => expectSuccess(ctx, V3_DOWN, 'reviews', 100, flagNotes),
  'all-v2': (ctx) => expectSplit(ctx, { ...TO_REVIEWS, requests: 300 }, 'reviews', { v2: 100 }, 0),
});
