// Diagnosis lab: subset v2's labels select no pod, so its cluster has no endpoints
// (503 UH, not NC: the cluster exists). The fix is checked by behaviour.
import { expectDiagnosis } from '../src/core/grading/checks-diagnosis.ts';
import {
  defineGrader,
  expectSplit,
  expectSuccess,
  flagNotes,
  TO_REVIEWS,
} from '../src/core/grading/index.ts';

export default defineGrader({
  diagnosis: (ctx) =>
    expectDiagnosis(ctx, {
      flag: 'UH',
      flagMeaning: 'UH: the cluster has no healthy endpoint, its subset selects no pod',
      causes: [{ kind: 'DestinationRule', name: 'reviews', fields: ['subsets.labels', 'subsets'] }],
    }),
  'no-503': (ctx) => expectSuccess(ctx, { ...TO_REVIEWS, requests: 300 }, 'reviews', 100, flagNotes),
  'all-v2': (ctx) => expectSplit(ctx, { ...TO_REVIEWS, requests: 300 }, 'reviews', { v2: 100 }, 0),
});
