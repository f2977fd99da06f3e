// Ambient read from the real API server (with the Gateway API CRDs of
// test/fixtures/crds/gateway-api.yaml): waypoints (Gateways of class istio-waypoint)
// and HTTPRoutes listed once per kind at the served version, analysed as offline,
// watched by `lab watch --live`; a cluster without the Gateway API is one note. The
// ambient labs are applied as written in default, with Bookinfo's pods as an ambient
// namespace has them (no istio-proxy container): each solution passes, each starter fails.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { gradeLive } from '../../src/cli/lab-grade-live.ts';
import { analyzeCluster } from '../../src/core/cluster/analyze-cluster.ts';
import { loadCluster } from '../../src/core/cluster/live-source.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { openLiveLab } from '../../src/core/labs/live-lab.ts';
import { describeLive, GATEWAY_API_CRD_MANIFEST } from '../helpers/apiserver.ts';
import { bookinfoObjects, gatewayObjects, type Obj, RUN, Scratch, sleep } from './objects.ts';
import { failing, readUntil, servingOnly, sharedCluster, withoutCrds, withScratch } from './steps.ts';

const NS = `amb-${RUN}`;
/** Bookinfo in an ambient namespace: the injector leaves its pods alone (no istio-proxy). */
function ambientBookinfo(ns: string): Obj[] {
  return bookinfoObjects(ns).map((o) => {
    if (o.kind !== 'Pod') return o;
    const spec = o.spec as { containers: { name: string }[] };
    return { ...o, spec: { ...spec, containers: spec.containers.filter((c) => c.name !== 'istio-proxy') } };
  });
}

/** Every document of a lab folder as written (the Namespace object too); namespaced ones default to default. */
function labObjects(dir: string): Obj[] {
  const out: Obj[] = [];
  for (const f of readdirSync(dir).sort())
    if (/\.ya?ml$/.test(f))
      for (const doc of loadAll(readFileSync(join(dir, f), 'utf8')) as (Obj | null)[]) {
        if (!doc || typeof doc !== 'object') continue;
        out.push(
          doc.kind === 'Namespace' ? doc : { ...doc, metadata: { namespace: 'default', ...doc.metadata } },
        );
      }
  return out;
}

const waypoint = (ns: string, labels: Record<string, string> = {}): Obj =>
  ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'waypoint', namespace: ns, labels },
    spec: {
      gatewayClassName: 'istio-waypoint',
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
    },
  }) as Obj;

describeLive('ambient read from the cluster', () => {
  const shared = sharedCluster(async (scratch) => {
    await scratch.namespace('istio-system');
    await scratch.apply(gatewayObjects());
    await scratch.namespace(NS);
    await scratch.apply([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: NS, labels: { 'istio.io/dataplane-mode': 'ambient' } },
      },
      ...ambientBookinfo(NS),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'reviews-v2', namespace: NS },
        spec: { selector: { app: 'reviews', version: 'v2' }, ports: [{ name: 'http', port: 9080 }] },
      } as Obj,
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'reviews', namespace: NS },
        spec: {
          parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }],
          rules: [
            {
              matches: [{ path: { type: 'PathPrefix', value: '/reviews' } }],
              backendRefs: [{ name: 'reviews-v2', port: 9080 }],
            },
          ],
        },
      } as Obj,
    ]);
  }, 120_000);

  it('reads Gateways and HTTPRoutes with one LIST each, at v1', async () => {
    const live = await loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} });
    // 25 for the Istio and core kinds (analyze-live.test.ts), plus the Gateway API's
    // discovery (group, v1, v1beta1 for ReferenceGrants) and 2 LISTs
    expect(live.requests).toBe(30);
    expect(live.notes).toEqual([]);
    expect(live.gatewayApiVersions).toEqual({ Gateway: 'v1', HTTPRoute: 'v1' });
    const route = live.load.httpRoutes?.find((r) => r.namespace === NS);
    expect(route?.name).toBe('reviews');
    // the API server's defaults came with it (a backendRef's group and kind, its weight)
    expect(route?.raw).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      spec: { rules: [{ backendRefs: [{ group: '', kind: 'Service', name: 'reviews-v2', weight: 1 }] }] },
    });
  });

  it('an HTTPRoute for an ambient Service without a waypoint is ICA1301; a waypoint for the namespace clears it', async () => {
    const first = await analyzeCluster({
      kubeconfig: shared.cluster.kubeconfig.admin,
      namespace: NS,
      env: {},
    });
    const ica1301 = first.findings.filter((f) => f.code === 'ICA1301');
    expect(ica1301.map((f) => f.origin)).toEqual([`HTTPRoute ${NS}/reviews`]);
    expect(ica1301[0]?.message).toMatch(`reviews.${NS}.svc.cluster.local`);
    const work = new Scratch(shared.cluster);
    try {
      await work.apply([
        waypoint(NS),
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: NS,
            labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' },
          },
        },
      ]);
      const after = await analyzeCluster({
        kubeconfig: shared.cluster.kubeconfig.admin,
        namespace: NS,
        env: {},
      });
      expect(after.findings.filter((f) => /^ICA13/.test(f.code))).toEqual([]);
      const read = after.snapshot.kubernetesGatewayList().find((g) => g.namespace === NS);
      expect(read).toMatchObject({ name: 'waypoint', className: 'istio-waypoint' });
    } finally {
      await work.undo();
      await shared.scratch.applyOne({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: NS, labels: { 'istio.io/dataplane-mode': 'ambient' } },
      } as Obj);
    }
  });

  it('lab watch --live re-grades an ambient lab when a waypoint is applied', async () => {
    const lab = loadExercises().exercises.find((e) => e.id === 'ambient-waypoint-route');
    if (!lab) throw new Error('lab ambient-waypoint-route is missing');
    const live = await openLiveLab(lab, { kubeconfig: shared.cluster.kubeconfig.admin, env: {} });
    expect(live.namespace).toBe('default');
    const changes: string[] = [];
    const stop = live.watch(
      (what) => changes.push(what),
      () => {},
    );
    const work = new Scratch(shared.cluster);
    try {
      await sleep(500);
      await work.applyOne(waypoint('default'));
      const deadline = Date.now() + 15_000;
      while (!changes.includes('added Gateway waypoint') && Date.now() < deadline) await sleep(50);
      expect(changes).toContain('added Gateway waypoint');
    } finally {
      stop();
      await work.undo();
    }
  });

  describe('the ambient labs graded from the cluster', () => {
    const labs = loadExercises().exercises.filter((e) => e.id.startsWith('ambient-'));

    it('has both labs, graded live in default and not per cohort learner', () => {
      expect(labs.map((l) => [l.id, l.modes, l.namespace, l.cohort])).toEqual([
        ['ambient-waypoint-route', ['offline', 'live'], 'default', false],
        ['ambient-l7-authz', ['offline', 'live'], 'default', false],
      ]);
    });

    for (const id of ['ambient-waypoint-route', 'ambient-l7-authz']) {
      it(`${id}: applied as written in default, the starter fails and the solution passes`, async () => {
        const lab = labs.find((l) => l.id === id);
        if (!lab) throw new Error(`lab ${id} is missing`);
        const grade = (dir: string) =>
          withScratch(shared.cluster, async (work) => {
            await work.apply(ambientBookinfo('default'));
            for (const o of labObjects(dir)) await work.applyOne(o);
            return await gradeLive(lab, { live: true, kubeconfig: shared.cluster.kubeconfig.admin });
          });
        const starter = await grade(lab.starterDir);
        expect(starter.pass, starter.criteria.map((c) => `${c.id}: ${c.reason}`).join('\n')).toBe(false);
        const solution = await grade(lab.solutionDir);
        expect(failing(solution)).toEqual([]);
      }, 90_000);
    }
  });

  it('reads HTTPRoutes at v1beta1 when that is the version the server serves (Gateway API before 1.0)', async () => {
    const route = {
      manifest: GATEWAY_API_CRD_MANIFEST,
      name: 'httproutes',
      version: 'v1beta1',
      storage: true,
    };
    await servingOnly(shared.cluster, route, async () => {
      const live = await readUntil(
        () => loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} }),
        (l) => l.gatewayApiVersions.HTTPRoute === 'v1beta1',
      );
      expect(live.gatewayApiVersions).toEqual({ Gateway: 'v1', HTTPRoute: 'v1beta1' });
      const read = live.load.httpRoutes?.find((r) => r.namespace === NS);
      expect(read?.raw.apiVersion).toBe('gateway.networking.k8s.io/v1beta1');
      expect(live.notes).toEqual([]);
    });
  });

  it('without the Gateway API CRDs: one note, no waypoints, the ambient rules still run', async () => {
    await withoutCrds(shared.cluster, GATEWAY_API_CRD_MANIFEST, async () => {
      const r = await readUntil(
        () => analyzeCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} }),
        (r) => r.live.notes.some((n) => n.reason === 'gateway-api-not-served' && n.kinds.length === 2),
        30_000,
      );
      const notes = r.findings.filter((f) => f.code === 'ICA0201').map((f) => f.message);
      expect(notes).toEqual([
        'Read no gateway.networking.k8s.io (gateways, httproutes): the API server does not serve them, so there are no waypoints and HTTPRoutes',
      ]);
      expect(r.live.gatewayApiMissing).toBe(false);
      expect(r.skippedRules).toEqual([]);
      expect(r.live.load.httpRoutes ?? []).toEqual([]);
    });
  });
});
