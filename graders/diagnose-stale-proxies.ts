// Diagnosis lab: istiod is scaled to 0, so the VirtualService applied since reached no
// proxy (productpage's calls still spread over every reviews version, no flag). Once
// istiod runs, the drill keeps productpage-v1 STALE until its Deployment is restarted.
// Graded: the diagnosis, istiod up, every proxy SYNCED (drill untouched), and behaviour.
import {
  expectDiagnosis,
  expectIstiodUp,
  expectProxiesSynced,
} from '../src/core/grading/checks-diagnosis.ts';
import { defineGrader, expectSplit, TO_REVIEWS } from '../src/core/grading/index.ts';

export default defineGrader({
  diagnosis: (ctx) =>
    expectDiagnosis(ctx, {
      flag: '-',
      flagMeaning:
        '-: no flag, the requests succeed; the proxies route with the configuration istiod last pushed',
      causes: [{ kind: 'Deployment', name: 'istiod', fields: ['replicas'] }],
    }),
  'istiod-up': (ctx) => expectIstiodUp(ctx),
  synced: (ctx) =>
    expectProxiesSynced(ctx, { stale: ['productpage-v1'], unpushed: ['VirtualService/default/reviews'] }),
  'all-v2': (ctx) => expectSplit(ctx, { ...TO_REVIEWS, requests: 300 }, 'reviews', { v2: 100 }, 0),
});
