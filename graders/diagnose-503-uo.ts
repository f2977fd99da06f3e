// Diagnosis lab: a connection pool of 1 request overflows at 10 concurrent callers
// (503 UO). The fix is checked by behaviour at two loads: 10 callers all succeed,
// 100 still overflow (a limit remains).
import { expectDiagnosis } from '../src/core/grading/checks-diagnosis.ts';
import { defineGrader, expectOverflow, expectSuccess, flagNotes } from '../src/core/grading/index.ts';

export default defineGrader({
  diagnosis: (ctx) =>
    expectDiagnosis(ctx, {
      flag: 'UO',
      flagMeaning: 'UO: upstream overflow, the connection pool limits rejected the request',
      causes: [
        {
          kind: 'DestinationRule',
          name: 'reviews',
          fields: ['trafficpolicy.connectionpool', 'trafficpolicy', 'connectionpool'],
        },
      ],
    }),
  'normal-load': (ctx) =>
    expectSuccess(
      ctx,
      { to: 'reviews', path: '/reviews/0', concurrency: 10, requests: 500 },
      'reviews',
      100,
      flagNotes,
    ),
  'still-trips': (ctx) =>
    expectOverflow(
      ctx,
      { to: 'reviews', path: '/reviews/0', concurrency: 100, requests: 1000 },
      'reviews',
      5,
    ),
});
