// Diagnosis lab: an ALLOW policy on ratings names the principal
// cluster.local/ns/default/sa/reviews, but Bookinfo's reviews run as bookinfo-reviews:
// no rule matches, so ratings' sidecar answers 403 RBAC: access denied (no response
// flag). Graded on the calls: reviews allowed, productpage still denied.
import { expectDiagnosis } from '../src/core/grading/checks-diagnosis.ts';
import { defineGrader, expectCalls } from '../src/core/grading/index.ts';

export default defineGrader({
  diagnosis: (ctx) =>
    expectDiagnosis(ctx, {
      flag: '-',
      flagMeaning: "-: no flag, ratings' sidecar answered 403 itself, an answer from upstream for reviews",
      causes: [
        {
          kind: 'AuthorizationPolicy',
          name: 'ratings-access',
          fields: ['rules.from.source.principals', 'rules.from.source', 'rules.from', 'rules'],
        },
      ],
    }),
  'reviews-allowed': (ctx) =>
    expectCalls(ctx, [
      { from: 'reviews-v2', to: 'ratings', path: '/ratings/0', want: 200 },
      { from: 'reviews-v3', to: 'ratings', path: '/ratings/0', want: 200 },
    ]),
  'others-denied': (ctx) =>
    expectCalls(ctx, [{ from: 'productpage-v1', to: 'ratings', path: '/ratings/0', want: 403 }]),
});
