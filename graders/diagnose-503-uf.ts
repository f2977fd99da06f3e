// Diagnosis lab: a DestinationRule forces mTLS (tls.mode ISTIO_MUTUAL) towards
// ratings-v1, which runs without a sidecar: the handshake fails (503 UF, and
// URX once Istio's default retries give up). The fix is checked by behaviour,
// and ratings-v1 must stay out of the mesh (injecting it would hide the cause).
import { expectDiagnosis } from '../src/core/grading/checks-diagnosis.ts';
import { defineGrader, expectSidecar, expectSuccess, flagNotes } from '../src/core/grading/index.ts';

const TO_RATINGS = { to: 'ratings', path: '/ratings/0', from: 'reviews-v2' };

export default defineGrader({
  diagnosis: (ctx) =>
    expectDiagnosis(ctx, {
      flag: 'UF',
      alsoFlags: ['UF,URX'],
      flagMeaning: 'UF: upstream connection failure, the TLS handshake to a pod without a sidecar fails',
      causes: [
        {
          kind: 'DestinationRule',
          name: 'ratings',
          fields: ['trafficpolicy.tls', 'trafficpolicy', 'subsets.trafficpolicy.tls'],
        },
      ],
    }),
  'no-503': (ctx) => expectSuccess(ctx, { ...TO_RATINGS, requests: 300 }, 'ratings', 100, flagNotes),
  'no-sidecar': (ctx) => expectSidecar(ctx, 'default', 'ratings-v1', { sidecar: false }),
});
