// Diagnosis lab: the namespace is STRICT, and a DestinationRule's tls DISABLE makes
// reviews send plaintext to ratings: ratings' sidecar closes the connection (503 UC,
// not retried by Istio's default retryOn). The fix is checked by behaviour, and the
// server side must stay STRICT (PERMISSIVE would hide the cause, not fix it).
import { expectDiagnosis } from '../src/core/grading/checks-diagnosis.ts';
import { allOf, defineGrader, expectCalls, expectServerMtls } from '../src/core/grading/index.ts';

export default defineGrader({
  diagnosis: (ctx) =>
    expectDiagnosis(ctx, {
      flag: 'UC',
      flagMeaning:
        'UC: upstream connection termination, the STRICT server closes the plaintext connection the client opened',
      causes: [
        {
          kind: 'DestinationRule',
          name: 'ratings',
          fields: ['trafficpolicy.tls', 'trafficpolicy', 'subsets.trafficpolicy.tls'],
        },
      ],
    }),
  'no-503': (ctx) =>
    expectCalls(ctx, [
      { from: 'reviews-v2', to: 'ratings', path: '/ratings/0', want: 200, requests: 100 },
      { from: 'reviews-v3', to: 'ratings', path: '/ratings/0', want: 200, requests: 100 },
    ]),
  strict: (ctx) =>
    allOf(
      expectServerMtls(ctx, 'ratings', 9080, ['STRICT']),
      expectCalls(ctx, [{ from: 'legacy/curl', to: 'ratings.default', path: '/ratings/0', want: 'refused' }]),
    ),
});
