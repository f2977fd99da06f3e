// Diagnosis lab: the namespace is labelled, but productpage's pod (pods.yaml, a
// `kubectl get pod -o yaml` dump) was created before the label: no istio-proxy, so
// no proxy applies the VirtualService to its calls (flag -). Fixed by replacing the
// pod: a restartedAt after its creation in the Deployment's template, or the pod
// deleted. Editing the dump (adding istio-proxy by hand) is not a fix.
import { expectDiagnosis } from '../src/core/grading/checks-diagnosis.ts';
import { defineGrader, expectSplit, fail, pass, TO_REVIEWS } from '../src/core/grading/index.ts';

const OLD_POD = 'productpage-v1-6b746f74dc-9stvs';

export default defineGrader({
  diagnosis: (ctx) =>
    expectDiagnosis(ctx, {
      flag: '-',
      flagMeaning: '-: no flag, the requests succeed; the pod simply has no proxy to apply the rules',
      causes: [{ kind: 'Pod', name: OLD_POD, fields: ['metadata.creationtimestamp', 'containers'] }],
    }),
  injected: (ctx) => {
    const pods = ctx.snapshot.workloads('default').filter((w) => w.labels.app === 'productpage');
    if (pods.length === 0) return fail('no productpage workload in default');
    const old = pods.find((w) => w.name === OLD_POD);
    if (old?.sidecar)
      return fail(
        `${OLD_POD} is the pod that runs since yesterday: adding istio-proxy to pods.yaml does not inject it, replace the pod`,
      );
    if (old) return fail(`${OLD_POD} (created before the label) still runs, without a sidecar: replace it`);
    const bare = pods.filter((w) => !w.sidecar);
    if (bare.length > 0) return fail(`${bare.map((w) => w.name).join(', ')} gets no sidecar`);
    return pass('productpage runs in new pods, injected with a sidecar');
  },
  'all-v2': (ctx) => expectSplit(ctx, { ...TO_REVIEWS, requests: 300 }, 'reviews', { v2: 100 }, 0),
});
