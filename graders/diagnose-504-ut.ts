// Diagnosis lab: a route timeout of 1ms (meant 1s) cuts every call to reviews (504 UT).
// The fix is checked by behaviour: calls succeed, a slow reviews (700ms, ±25%) still answers,
// and a hung one (2 minutes) is cut by the route's timeout.
import { expectDiagnosis } from '../src/core/grading/checks-diagnosis.ts';
import {
  allOf,
  defineGrader,
  expectSuccess,
  expectTimedOut,
  flagNotes,
  TO_REVIEWS,
} from '../src/core/grading/index.ts';

export default defineGrader({
  diagnosis: (ctx) =>
    expectDiagnosis(ctx, {
      flag: 'UT',
      flagMeaning: 'UT: upstream request timeout, the route gave up before the answer came',
      causes: [{ kind: 'VirtualService', name: 'reviews', fields: ['http.timeout'] }],
    }),
  'no-504': (ctx) => expectSuccess(ctx, { ...TO_REVIEWS, requests: 300 }, 'reviews', 100, flagNotes),
  'keeps-timeout': (ctx) =>
    allOf(
      expectSuccess(
        ctx,
        { ...TO_REVIEWS, requests: 100, latency: ['reviews=700ms'] },
        'reviews',
        100,
        flagNotes,
      ),
      expectTimedOut(ctx, { ...TO_REVIEWS, requests: 50, latency: ['reviews=120s'] }, 'reviews', {
        minMs: 1000,
        maxMs: 119_000,
        what: 'the route timeout (at least 1s, less than the 2 minutes reviews hangs)',
      }),
    ),
});
