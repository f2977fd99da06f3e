// Diagnosis lab: a VirtualService routes to subset v3 that the DestinationRule does not
// define (503 NC). The diagnosis names NC and either side of the mismatch; the fix is
// checked by behaviour (no 503, all traffic on v3).
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
      flag: 'NC',
      flagMeaning: 'NC: no cluster for the route, a subset no DestinationRule defines',
      causes: [
        { kind: 'DestinationRule', name: 'reviews', fields: ['subsets'] },
        {
          kind: 'VirtualService',
          name: 'reviews',
          fields: ['http.route.destination.subset', 'http.route.destination', 'http.route'],
        },
      ],
    }),
  'no-503': (ctx) => expectSuccess(ctx, { ...TO_REVIEWS, requests: 300 }, 'reviews', 100, flagNotes),
  'all-v3': (ctx) => expectSplit(ctx, { ...TO_REVIEWS, requests: 300 }, 'reviews', { v3: 100 }, 0),
});
