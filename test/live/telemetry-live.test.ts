// Telemetry (telemetry.istio.io) and ProxyConfig (networking.istio.io v1beta1) read from
// the real API server (CRDs of test/fixtures/crds/istio-telemetry.yaml and
// istio-networking.yaml): listed at the version the server serves, analysed as offline,
// watched by `lab watch --live`, and a cluster without telemetry.istio.io is one note.
import { loadAll } from 'js-yaml';
import { expect, it } from 'vitest';
import { findingsToJson } from '../../src/cli/format-findings.ts';
import { analyzeCluster } from '../../src/core/cluster/analyze-cluster.ts';
import { loadCluster } from '../../src/core/cluster/live-source.ts';
import { analyzeText } from '../helpers/analyze.ts';
import { describeLive, TELEMETRY_CRD_MANIFEST } from '../helpers/apiserver.ts';
import { bookinfoObjects, comparable, type Obj, RUN } from './objects.ts';
import {
  analyzeLiveJson,
  expectUnprocessable,
  readUntil,
  servingOnly,
  sharedCluster,
  watchChanges,
  withoutCrds,
} from './steps.ts';

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
  const shared = sharedCluster(async (scratch) => {
    await scratch.namespace(NS);
    await scratch.apply(bookinfoObjects(NS));
    for (const doc of loadAll(YAML(NS)) as Obj[]) await scratch.applyOne(doc);
  });

  it('lists Telemetry at v1 and ProxyConfig at v1beta1, one LIST each', async () => {
    const live = await loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} });
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
    const { code, json } = await analyzeLiveJson(shared.cluster, NS);
    expect(code).toBe(1);
    const live = JSON.parse(json) as { code: string; origin?: string }[];
    expect(live.map((f) => `${f.code} ${f.origin}`).sort()).toEqual([
      `ICA1015 Telemetry ${NS}/typo`,
      `IST0106 ProxyConfig ${NS}/negative`,
    ]);
    const offline = analyzeText(YAML('default'));
    expect(comparable(json, NS)).toEqual(comparable(findingsToJson(offline.findings), 'default'));
  });

  it('the CRD schema rejects an unknown workload mode at apply time, as on a cluster with Istio', async () => {
    const bad = {
      apiVersion: 'telemetry.istio.io/v1',
      kind: 'Telemetry',
      metadata: { name: 'typo-mode', namespace: NS },
      spec: { accessLogging: [{ match: { mode: 'CLIENTS' }, providers: [{ name: 'envoy' }] }] },
    } as Obj;
    await expectUnprocessable(shared.cluster, bad, /Unsupported value: \\"CLIENTS\\"/);
  });

  it('the watch that re-grades a lab sees a Telemetry applied', async () => {
    const watch = watchChanges(shared.cluster, NS, { Telemetry: 'v1', ProxyConfig: 'v1beta1' });
    try {
      await watch.waitFor(['added Telemetry typo', 'added ProxyConfig workers']);
      await shared.scratch.applyOne({
        apiVersion: 'telemetry.istio.io/v1',
        kind: 'Telemetry',
        metadata: { name: 'no-logs', namespace: NS },
        spec: { accessLogging: [{ disabled: true }] },
      } as Obj);
      await watch.waitFor(['added Telemetry no-logs']);
      expect(watch.changes).toContain('added ProxyConfig workers');
      expect(watch.changes).toContain('added Telemetry no-logs');
    } finally {
      watch.stop();
    }
  });

  it('reads v1alpha1 when that is the version the server serves (Istio before 1.22)', async () => {
    const telemetry = { manifest: TELEMETRY_CRD_MANIFEST, name: 'telemetries', version: 'v1alpha1' };
    await servingOnly(shared.cluster, telemetry, async () => {
      const live = await readUntil(
        () => loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} }),
        (l) => l.istioVersions.Telemetry === 'v1alpha1',
      );
      expect(live.istioVersions.Telemetry).toBe('v1alpha1');
      const read = live.load.resources.find((r) => r.kind === 'Telemetry' && r.name === 'typo');
      expect(read?.apiVersion).toBe('telemetry.istio.io/v1alpha1');
      expect(read?.spec).toEqual({
        selector: { matchLabels: { app: 'reviews' } },
        accessLogging: [{ providers: [{ name: 'envoyy' }] }],
      });
    });
  });

  it('without telemetry.istio.io: one note, the Telemetry rules skipped, ProxyConfig still read', async () => {
    await withoutCrds(shared.cluster, TELEMETRY_CRD_MANIFEST, async () => {
      const r = await readUntil(
        () => analyzeCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} }),
        (r) => r.live.missingKinds.includes('Telemetry'),
        30_000,
      );
      expect(r.live.missingKinds).toEqual(['Telemetry']);
      const notes = r.findings.filter((f) => f.code === 'ICA0201').map((f) => f.message);
      expect(notes).toEqual([
        'Skipped telemetries.telemetry.istio.io: the API server does not serve it; rules not run: telemetry.providers, validation.telemetry',
      ]);
      // schema.types judges each resource alone, so a missing kind does not stop it for the others
      expect(r.skippedRules.sort()).toEqual(['telemetry.providers', 'validation.telemetry']);
      expect(r.findings.map((f) => `${f.code} ${f.origin}`)).toContain(`IST0106 ProxyConfig ${NS}/negative`);
      expect(r.live.istioVersions.ProxyConfig).toBe('v1beta1');
    });
  });
});
