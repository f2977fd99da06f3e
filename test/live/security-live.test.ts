// The security.istio.io kinds read from the real API server (with the security CRDs of
// test/fixtures/crds/istio-security.yaml): listed at the version the server serves,
// analysed as offline, watched by `lab watch --live`, and a cluster without them is a
// note, not a failure.
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
  SECURITY_CRD_MANIFEST,
  startTestCluster,
  type TestCluster,
} from '../helpers/apiserver.ts';
import { bookinfoObjects, comparable, type Obj, RUN, Scratch, sleep } from './objects.ts';

const NS = `sec-${RUN}`;

// Written at v1beta1 and v1 alike, as course material does; one policy selects
// nothing (IST0127), one names a principal without the trust domain (ICA1206).
const SECURITY_YAML = (ns: string) => `
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata: {name: default, namespace: ${ns}}
spec:
  mtls: {mode: STRICT}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ratings-viewer, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ratings}}
  action: ALLOW
  rules:
  - from: [{source: {principals: ["ns/${ns}/sa/bookinfo-reviews"]}}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: typo, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ratingz}}
  rules: [{}]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: productpage}}
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://raw.githubusercontent.com/istio/istio/release-1.26/security/tools/jwt/samples/jwks.json
`;

describeLive('security.istio.io read from the cluster', () => {
  let cluster: TestCluster;
  let scratch: Scratch;
  beforeAll(async () => {
    cluster = await startTestCluster();
    scratch = new Scratch(cluster);
    await scratch.namespace(NS);
    await scratch.apply(bookinfoObjects(NS));
    for (const doc of loadAll(SECURITY_YAML(NS)) as Obj[]) await scratch.applyOne(doc);
  }, 180_000);
  afterAll(async () => {
    await scratch?.undo();
    await cluster?.stop();
  });

  it('lists the three kinds at the version the server prefers, keeping creationTimestamp', async () => {
    const live = await loadCluster({ kubeconfig: cluster.kubeconfig.admin, namespace: NS, env: {} });
    expect(live.istioVersions).toMatchObject({
      PeerAuthentication: 'v1',
      AuthorizationPolicy: 'v1',
      RequestAuthentication: 'v1',
    });
    const mine = live.load.resources
      .filter((r) => r.namespace === NS && r.apiVersion.startsWith('security.istio.io/'))
      .map((r) => `${r.apiVersion} ${r.kind} ${r.name}`)
      .sort();
    expect(mine).toEqual([
      'security.istio.io/v1 AuthorizationPolicy ratings-viewer',
      'security.istio.io/v1 AuthorizationPolicy typo',
      'security.istio.io/v1 PeerAuthentication default',
      'security.istio.io/v1 RequestAuthentication jwt',
    ]);
    const pa = live.load.resources.find((r) => r.kind === 'PeerAuthentication' && r.namespace === NS);
    expect(pa?.spec).toEqual({ mtls: { mode: 'STRICT' } });
    // of several PeerAuthentications at one level the oldest wins: the age must survive the read
    expect((pa?.raw.metadata as { creationTimestamp?: string } | undefined)?.creationTimestamp).toMatch(
      /^\d{4}-\d\d-\d\dT/,
    );
    expect(live.notes).toEqual([]);
  });

  it('analyze --live finds what offline analyze finds in the same policies', async () => {
    const chunks: string[] = [];
    const code = await runAnalyzeLive(
      { failureThreshold: 'Error', kubeconfig: cluster.kubeconfig.admin, namespace: NS, output: 'json' },
      { env: {}, write: async (t) => void chunks.push(t) },
    );
    expect(code).toBe(0);
    const live = JSON.parse(chunks.join('')) as { code: string; origin?: string }[];
    expect(live.map((f) => `${f.code} ${f.origin}`).sort()).toEqual([
      `ICA1206 AuthorizationPolicy ${NS}/ratings-viewer`,
      `IST0127 AuthorizationPolicy ${NS}/typo`,
    ]);
    const offline = analyzeText(SECURITY_YAML('default'));
    expect(comparable(chunks.join(''), NS)).toEqual(comparable(findingsToJson(offline.findings), 'default'));
  });

  it('the CRD schema rejects an unknown mTLS mode at apply time, as on a cluster with Istio', async () => {
    const bad = {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'typo', namespace: NS },
      spec: { mtls: { mode: 'STRICTT' } },
    } as Obj;
    const e = await applyObject(cluster.objects, bad).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiException);
    expect((e as ApiException<unknown>).code).toBe(422);
    expect(String((e as ApiException<unknown>).body)).toMatch(/Unsupported value: \\"STRICTT\\"/);
  });

  it('the watch that re-grades a lab sees an AuthorizationPolicy applied', async () => {
    const target = resolveKubeconfig({ kubeconfig: cluster.kubeconfig.admin, namespace: NS, env: {} });
    const changes: string[] = [];
    const w = watchIstio({
      target,
      namespace: NS,
      versions: { AuthorizationPolicy: 'v1', PeerAuthentication: 'v1' },
      onChange: (what) => changes.push(what),
      onStatus: () => {},
    });
    try {
      // the initial list arrives as ADDED events; wait for it, then apply
      const deadline = Date.now() + 20_000;
      while (!changes.includes('added AuthorizationPolicy typo') && Date.now() < deadline) await sleep(50);
      await scratch.applyOne({
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'deny-all', namespace: NS },
        spec: {},
      } as Obj);
      while (!changes.includes('added AuthorizationPolicy deny-all') && Date.now() < deadline)
        await sleep(50);
      expect(changes).toContain('added AuthorizationPolicy deny-all');
    } finally {
      w.stop();
    }
  });

  it('reads v1beta1 when that is the version the server serves', async () => {
    const [pa] = crdManifests(SECURITY_CRD_MANIFEST) as Obj[];
    const original = structuredClone(pa) as Obj & { spec: { versions: { name: string; served: boolean }[] } };
    const old = structuredClone(original);
    for (const v of old.spec.versions) v.served = v.name === 'v1beta1';
    await applyCrd(cluster.admin, old);
    try {
      let live = await loadCluster({ kubeconfig: cluster.kubeconfig.admin, namespace: NS, env: {} });
      const deadline = Date.now() + 20_000;
      while (live.istioVersions.PeerAuthentication !== 'v1beta1' && Date.now() < deadline) {
        await sleep(200);
        live = await loadCluster({ kubeconfig: cluster.kubeconfig.admin, namespace: NS, env: {} });
      }
      expect(live.istioVersions.PeerAuthentication).toBe('v1beta1');
      const read = live.load.resources.find((r) => r.kind === 'PeerAuthentication' && r.namespace === NS);
      expect(read?.apiVersion).toBe('security.istio.io/v1beta1');
      expect(read?.spec).toEqual({ mtls: { mode: 'STRICT' } });
    } finally {
      await applyCrd(cluster.admin, original);
    }
  });

  it('without the security CRDs: networking is still analysed, the three kinds are a note', async () => {
    const crds = crdManifests(SECURITY_CRD_MANIFEST) as Obj[];
    for (const crd of crds) await deleteObject(cluster.objects, crd);
    try {
      let r = await analyzeCluster({ kubeconfig: cluster.kubeconfig.admin, env: {} });
      const deadline = Date.now() + 30_000;
      while (r.live.missingKinds.length < 3 && Date.now() < deadline) {
        await sleep(200);
        r = await analyzeCluster({ kubeconfig: cluster.kubeconfig.admin, env: {} });
      }
      expect(r.live.missingKinds.sort()).toEqual([
        'AuthorizationPolicy',
        'PeerAuthentication',
        'RequestAuthentication',
      ]);
      const notes = r.findings.filter((f) => f.code === 'ICA0201').map((f) => f.message);
      expect(notes).toContainEqual(
        expect.stringMatching(
          /^Skipped peerauthentications\.security\.istio\.io: the API server does not serve it; rules not run: .+/,
        ),
      );
      expect(notes.filter((n) => n.includes('security.istio.io'))).toHaveLength(3);
      expect(r.skippedRules.length).toBeGreaterThan(0);
      expect(r.live.istioVersions.VirtualService).toBe('v1');
    } finally {
      await cluster.installCrds();
    }
  });
});
