// Telemetry (telemetry.istio.io) and ProxyConfig (networking.istio.io v1beta1) read from
// the real API server (CRDs of test/fixtures/crds/istio-telemetry.yaml and
// istio-networking.yaml): listed at the version the server serves, analysed as offline,
// watched by `lab watch --live`, and a cluster without telemetry.istio.io is one note.
import { ApiException } from '@kubernetes/client-node';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAnalyzeLive } from '../../src/cli/analyze-live.ts';
import { findingsToJson } from '../../src/cli/format-findings.ts';
import { analyzeCluster } from '../../src/core/cluster/analyze-cluster.ts';
import { resolveKubeconfig } from '../../src/core/cluster/kubeconfig.ts';
import { loadCluster } from '../../src/core/cluster/live-source.ts';
import { watchIstio } from '../../src/core/labs/live-watch.ts';
import { analyzeText } from '../helpers/analyze.ts';
import {
  applyCrd,
  applyObject,
  crdManifests,
  deleteObject,
  describeLive,
  startTestCluster,
  TELEMETRY_CRD_MANIFEST,
  type TestCluster,
} from '../helpers/apiserver.ts';
import { bookinfoObjects, comparable, type Obj, RUN, Scratch, sleep } from './objects.ts';

const NS = `tel-${RUN}`;

// A misspelt provider (ICA1015: istiod skips it) and a negative concurrency (IST0106);
// the others are fine.
const YAML = (ns: string) => `
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: access-logs, namespace: ${ns}}
spec:
  accessLogging:
  - providers: [{name: envoy}]
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: typo, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: reviews}}
  accessLogging:
  - providers: [{name: envoyy}]
---
apiVersion: networking.istio.io/v1beta1
kind: ProxyConfig
metadata: {name: workers, namespace: ${ns}}
spec:
  concurrency: 2
---
apiVersion: networking.istio.io/v1beta1
kind: ProxyConfig
metadata: {name: negative, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ratings}}
  concurrency: -1
`;

describeLive('Telemetry and ProxyConfig read from the cluster', () => {
  let cluster: TestCluster;
  let scratch: Scratch;
  beforeAll(async () => {
    cluster = await startTestCluster();
    scratch = new Scratch(cluster);
    await scratch.namespace(NS);
    await scratch.apply(bookinfoObjects(NS));
    for (const doc of loadAll(YAML(NS)) as Obj[]) await scratch.applyOne(doc);
  }, 180_000);
  afterAll(async () => {
    await scratch?.undo();
    await cluster?.stop();
  });

  it('lists Telemetry at v1 and ProxyConfig at v1beta1, one LIST each', async () => {
    const live = await loadCluster({ kubeconfig: cluster.kubeconfig.admin, namespace: NS, env: {} });
    expect(live.istioVersions).toMatchObject({ Telemetry: 'v1', ProxyConfig: 'v1beta1' });
    const mine = live.load.resources
      .filter((r) => r.namespace === NS && (r.kind === 'Telemetry' || r.kind === 'ProxyConfig'))
      .map((r) => `${r.apiVersion} ${r.kind} ${r.name}`)
      .sort();
    expect(mine).toEqual([
      'networking.istio.io/v1beta1 ProxyConfig negative',
      'networking.istio.io/v1beta1 ProxyConfig workers',
      'telemetry.istio.io/v1 Telemetry access-logs',
      'telemetry.istio.io/v1 Telemetry typo',
    ]);
    expect(live.notes).toEqual([]);
  });

  it('analyze --live finds what offline analyze finds in the same resources', async () => {
    const chunks: string[] = [];
    const code = await runAnalyzeLive(
      { failureThreshold: 'Error', kubeconfig: cluster.kubeconfig.admin, namespace: NS, output: 'json' },
      { env: {}, write: async (t) => void chunks.push(t) },
    );
    expect(code).toBe(1);
    const live = JSON.parse(chunks.join('')) as { code: string; origin?: string }[];
    expect(live.map((f) => `${f.code} ${f.origin}`).sort()).toEqual([
      `ICA1015 Telemetry ${NS}/typo`,
      `IST0106 ProxyConfig ${NS}/negative`,
    ]);
    const offline = analyzeText(YAML('default'));
    expect(comparable(chunks.join(''), NS)).toEqual(comparable(findingsToJson(offline.findings), 'default'));
  });

  it('the CRD schema rejects an unknown workload mode at apply time, as on a cluster with Istio', async () => {
    const bad = {
      apiVersion: 'telemetry.istio.io/v1',
      kind: 'Telemetry',
      metadata: { name: 'typo-mode', namespace: NS },
      spec: { accessLogging: [{ match: { mode: 'CLIENTS' }, providers: [{ name: 'envoy' }] }] },
    } as Obj;
    const e = await applyObject(cluster.objects, bad).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiException);
    expect((e as ApiException<unknown>).code).toBe(422);
    expect(String((e as ApiException<unknown>).body)).toMatch(/Unsupported value: \\"CLIENTS\\"/);
  });

  it('the watch that re-grades a lab sees a Telemetry applied', async () => {
    const target = resolveKubeconfig({ kubeconfig: cluster.kubeconfig.admin, namespace: NS, env: {} });
    const changes: string[] = [];
    const w = watchIstio({
      target,
      namespace: NS,
      versions: { Telemetry: 'v1', ProxyConfig: 'v1beta1' },
      onChange: (what) => changes.push(what),
      onStatus: () => {},
    });
    try {
      // the initial lists arrive as ADDED events; wait for them, then apply
      const deadline = Date.now() + 20_000;
      while (
        !(changes.includes('added Telemetry typo') && changes.includes('added ProxyConfig workers')) &&
        Date.now() < deadline
      )
        await sleep(50);
      await scratch.applyOne({
        apiVersion: 'telemetry.istio.io/v1',
        kind: 'Telemetry',
        metadata: { name: 'no-logs', namespace: NS },
        spec: { accessLogging: [{ disabled: true }] },
      } as Obj);
      while (!changes.includes('added Telemetry no-logs') && Date.now() < deadline) await sleep(50);
      expect(changes).toContain('added ProxyConfig workers');
      expect(changes).toContain('added Telemetry no-logs');
    } finally {
      w.stop();
    }
  });

  it('reads v1alpha1 when that is the version the server serves (Istio before 1.22)', async () => {
    const [crd] = crdManifests(TELEMETRY_CRD_MANIFEST) as Obj[];
    const original = structuredClone(crd) as Obj & {
      spec: { versions: { name: string; served: boolean }[] };
    };
    const old = structuredClone(original);
    for (const v of old.spec.versions) v.served = v.name === 'v1alpha1';
    await applyCrd(cluster.admin, old);
    try {
      let live = await loadCluster({ kubeconfig: cluster.kubeconfig.admin, namespace: NS, env: {} });
      const deadline = Date.now() + 20_000;
      while (live.istioVersions.Telemetry !== 'v1alpha1' && Date.now() < deadline) {
        await sleep(200);
        live = await loadCluster({ kubeconfig: cluster.kubeconfig.admin, namespace: NS, env: {} });
      }
      expect(live.istioVersions.Telemetry).toBe('v1alpha1');
      const read = live.load.resources.find((r) => r.kind === 'Telemetry' && r.name === 'typo');
      expect(read?.apiVersion).toBe('telemetry.istio.io/v1alpha1');
      expect(read?.spec).toEqual({
        selector: { matchLabels: { app: 'reviews' } },
        accessLogging: [{ providers: [{ name: 'envoyy' }] }],
      });
    } finally {
      await applyCrd(cluster.admin, original);
    }
  });

  it('without telemetry.istio.io: one note, the Telemetry rules skipped, ProxyConfig still read', async () => {
    const crds = crdManifests(TELEMETRY_CRD_MANIFEST) as Obj[];
    for (const crd of crds) await deleteObject(cluster.objects, crd);
    try {
      let r = await analyzeCluster({ kubeconfig: cluster.kubeconfig.admin, namespace: NS, env: {} });
      const deadline = Date.now() + 30_000;
      while (!r.live.missingKinds.includes('Telemetry') && Date.now() < deadline) {
        await sleep(200);
        r = await analyzeCluster({ kubeconfig: cluster.kubeconfig.admin, namespace: NS, env: {} });
      }
      expect(r.live.missingKinds).toEqual(['Telemetry']);
      const notes = r.findings.filter((f) => f.code === 'ICA0201').map((f) => f.message);
      expect(notes).toEqual([
        'Skipped telemetries.telemetry.istio.io: the API server does not serve it; rules not run: telemetry.providers, validation.telemetry',
      ]);
      // schema.types judges each resource alone, so a missing kind does not stop it for the others
      expect(r.skippedRules.sort()).toEqual(['telemetry.providers', 'validation.telemetry']);
      expect(r.findings.map((f) => `${f.code} ${f.origin}`)).toContain(`IST0106 ProxyConfig ${NS}/negative`);
      expect(r.live.istioVersions.ProxyConfig).toBe('v1beta1');
    } finally {
      await cluster.installCrds();
    }
  });
});
