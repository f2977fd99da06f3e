// The mesh config of a revisioned install read from the real API server. istiod of
// revision X reads the ConfigMap istio-X in istio-system (pilot/pkg/bootstrap
// getMeshConfigMapName; `cluster up --revision X` installs it so): the live read takes
// it from the one LIST of istio-system's ConfigMaps, and grading uses it. No injector
// runs here: Bookinfo's pods are created as revision X's injector leaves them
// (istio-proxy, the sidecar.istio.io/status revision and the istio.io/rev label).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeLive } from '../../src/cli/lab-grade-live.ts';
import { analyzeLoaded } from '../../src/core/analysis/analyze.ts';
import { loadCluster } from '../../src/core/cluster/live-source.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import type { LabResult } from '../../src/core/grading/types.ts';
import { describeLive } from '../helpers/apiserver.ts';
import { yamlObjects } from '../helpers/yaml-objects.ts';
import { bookinfoObjects, gatewayObjects, type Obj, RUN, Scratch } from './objects.ts';
import { failing, sharedCluster } from './steps.ts';

const meshConfig = (name: string, mode: 'REGISTRY_ONLY' | 'ALLOW_ANY'): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'istio-system' },
  data: { mesh: `outboundTrafficPolicy:\n  mode: ${mode}\n` },
});

/** Revision `rev`'s injector webhook; its one entry selects no namespace, so it never calls out. */
const injectorWebhook = (rev: string): Obj => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  metadata: {
    name: rev === 'default' ? 'istio-sidecar-injector' : `istio-sidecar-injector-${rev}`,
    labels: { 'istio.io/rev': rev },
  },
  webhooks: [
    {
      name: 'rev.namespace.sidecar-injector.istio.io',
      admissionReviewVersions: ['v1'],
      clientConfig: { url: 'https://istiod.invalid:15017/inject' },
      failurePolicy: 'Ignore',
      sideEffects: 'None',
      namespaceSelector: { matchLabels: { 'ica-test-never': 'true' } },
    },
  ],
});

/** Bookinfo in `ns`, its pods injected by revision `rev` (the namespace labelled for it). */
function bookinfoOn(ns: string, rev: string): Obj[] {
  const labels: Record<string, string> =
    rev === 'default' ? { 'istio-injection': 'enabled' } : { 'istio.io/rev': rev };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } },
    ...bookinfoObjects(ns).map((o) => {
      if (o.kind !== 'Pod') return o;
      const meta = o.metadata as Obj['metadata'] & {
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      return {
        ...o,
        metadata: {
          ...meta,
          labels: { ...meta.labels, 'istio.io/rev': rev },
          annotations: { ...meta.annotations, 'sidecar.istio.io/status': JSON.stringify({ revision: rev }) },
        },
      };
    }),
  ];
}

describeLive('a revision’s mesh config (istio-<rev>) read from the cluster', () => {
  const lab = loadExercises().exercises.find((e) => e.id === 'mesh-config-registry-only');
  const ns = `rev-${RUN}`;
  const shared = sharedCluster(async (scratch) => {
    if (!lab) throw new Error('lab mesh-config-registry-only is missing');
    await scratch.namespace('istio-system');
    await scratch.namespace(ns);
    await scratch.apply(gatewayObjects());
    // the lab's registered host, catalog.example.com
    await scratch.apply(yamlObjects<Obj>(lab.solutionDir, ns).filter((o) => o.kind !== 'ConfigMap'));
  });

  /** The lab graded in `ns`, with the mesh configs and pods the test left there. */
  const grade = async (): Promise<LabResult> => {
    if (!lab) throw new Error('lab mesh-config-registry-only is missing');
    return gradeLive(lab, { live: true, kubeconfig: shared.cluster.kubeconfig.admin, namespace: ns });
  };

  describe('cluster up --revision canary: istio-canary only, no istio ConfigMap', () => {
    let work: Scratch;
    beforeAll(async () => {
      work = new Scratch(shared.cluster);
      await work.apply([injectorWebhook('canary'), ...bookinfoOn(ns, 'canary')]);
    }, 60_000);
    afterAll(async () => {
      await work?.undo();
    });

    it('reads istio-canary with the ConfigMap LIST it already made: 30 requests (one GET of istio fewer than before)', async (ctx) => {
      await work.applyOne(meshConfig('istio-canary', 'REGISTRY_ONLY'));
      const live = await loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: ns, env: {} });
      const meshes = live.load.resources.filter(
        (r) => r.kind === 'ConfigMap' && !r.name.includes('injector'),
      );
      // an existing cluster (ICA_TEST_KUBECONFIG) may have its own istio ConfigMap
      if (meshes.some((r) => r.name === 'istio')) ctx.skip();
      expect(meshes.map((r) => r.name)).toEqual(['istio-canary']);
      expect(live.requests).toBe(30);
      expect(live.notes).toEqual([]);
    });

    it('grades as REGISTRY_ONLY when istio-canary says so, and as ALLOW_ANY when it does not', async () => {
      await work.applyOne(meshConfig('istio-canary', 'REGISTRY_ONLY'));
      expect(failing(await grade())).toEqual([]);
      await work.applyOne(meshConfig('istio-canary', 'ALLOW_ANY'));
      const allowAny = await grade();
      expect(allowAny.pass).toBe(false);
      expect(allowAny.criteria.find((c) => c.id === 'registry-only')?.pass).toBe(false);
    });

    it('an istio-<name> ConfigMap of no running revision is read by nothing', async () => {
      await work.applyOne(meshConfig('istio-canary', 'ALLOW_ANY'));
      await work.applyOne(meshConfig('istio-mesh', 'REGISTRY_ONLY'));
      expect((await grade()).criteria.find((c) => c.id === 'registry-only')?.pass).toBe(false);
    });
  });

  describe('two revisions side by side, with different outbound policies', () => {
    let work: Scratch;
    beforeAll(async () => {
      work = new Scratch(shared.cluster);
      await work.apply([
        injectorWebhook('default'),
        injectorWebhook('canary'),
        meshConfig('istio', 'ALLOW_ANY'),
        meshConfig('istio-canary', 'REGISTRY_ONLY'),
      ]);
    }, 60_000);
    afterAll(async () => {
      await work?.undo();
    });

    it("the pods on canary get istio-canary's; moved back to the default revision, istio's", async () => {
      await work.apply(bookinfoOn(ns, 'canary'));
      expect(failing(await grade())).toEqual([]);
      await work.apply(bookinfoOn(ns, 'default'));
      const back = await grade();
      const registryOnly = back.criteria.find((c) => c.id === 'registry-only');
      expect(registryOnly?.pass).toBe(false);
      // which mesh config was taken, and why, is in the reason
      expect(registryOnly?.reason).toContain(
        "several revisions' mesh configs in istio-system: istio (revision default), istio-canary (revision canary); each sidecar takes its outbound traffic policy and access logging from its own revision's",
      );
    });

    it('mid-upgrade, each sidecar follows its own revision: productpage on canary is REGISTRY_ONLY beside pods still on default', async () => {
      const old = `old-${RUN}`;
      await work.namespace(old);
      // sidecars on both revisions: the mesh-wide choice is the default revision's (istio)
      await work.apply([...bookinfoOn(old, 'default'), ...bookinfoOn(ns, 'canary')]);
      const r = await grade();
      expect(failing(r)).toEqual([]);
      const live = await loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: ns, env: {} });
      const { snapshot } = analyzeLoaded(live.load, { bookinfo: false });
      expect(snapshot.meshChoice?.configMap.name).toBe('istio');
      expect(snapshot.mesh.outboundMode).toBe('ALLOW_ANY');
      expect(
        snapshot.outboundModeFor(ns, { app: 'productpage', version: 'v1', 'istio.io/rev': 'canary' }),
      ).toBe('REGISTRY_ONLY');
    });
  });
});
