// Diagnosis lab: the namespace has no injection label, so no Bookinfo pod has a
// sidecar and no proxy applies the VirtualService (productpage's calls are spread
// by kube-proxy over every reviews pod). No request fails: the flag is `-`. The fix
// is checked by what injection decides and by behaviour.
import { expectDiagnosis } from '../src/core/grading/checks-diagnosis.ts';
import { allOf, defineGrader, expectSidecar, expectSplit, TO_REVIEWS } from '../src/core/grading/index.ts';

const BOOKINFO = ['productpage-v1', 'details-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'ratings-v1'];

export default defineGrader({
  diagnosis: (ctx) =>
    expectDiagnosis(ctx, {
      flag: '-',
      flagMeaning: '-: no flag, the requests succeed; the caller simply has no proxy to apply the rules',
      causes: [{ kind: 'Namespace', name: 'default', fields: ['metadata.labels', 'metadata'] }],
    }),
  injected: (ctx) => allOf(...BOOKINFO.map((w) => expectSidecar(ctx, 'default', w, { sidecar: true }))),
  'all-v2': (ctx) => expectSplit(ctx, { ...TO_REVIEWS, requests: 300 }, 'reviews', { v2: 100 }, 0),
});
