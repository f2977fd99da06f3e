// The security.istio.io kinds read from the real API server (with the security CRDs of
// test/fixtures/crds/istio-security.yaml): listed at the version the server serves,
// analysed as offline, watched by `lab watch --live`, and a cluster without them is a
// note, not a failure.
import { loadAll } from 'js-yaml';
import { expect, it } from 'vitest';
import { findingsToJson } from '../../src/cli/format-findings.ts';
import { analyzeCluster } from '../../src/core/cluster/analyze-cluster.ts';
import { loadCluster } from '../../src/core/cluster/live-source.ts';
import { analyzeText } from '../helpers/analyze.ts';
import { describeLive, SECURITY_CRD_MANIFEST } from '../helpers/apiserver.ts';
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
  const shared = sharedCluster(async (scratch) => {
    await scratch.namespace(NS);
    await scratch.apply(bookinfoObjects(NS));
    for (const doc of loadAll(SECURITY_YAML(NS)) as Obj[]) await scratch.applyOne(doc);
  });

  it('lists the three kinds at the version the server prefers, keeping creationTimestamp', async () => {
    const live = await loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} });
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
    const { code, json } = await analyzeLiveJson(shared.cluster, NS);
    expect(code).toBe(0);
    const live = JSON.parse(json) as { code: string; origin?: string }[];
    expect(live.map((f) => `${f.code} ${f.origin}`).sort()).toEqual([
      `ICA1206 AuthorizationPolicy ${NS}/ratings-viewer`,
      `IST0127 AuthorizationPolicy ${NS}/typo`,
    ]);
    const offline = analyzeText(SECURITY_YAML('default'));
    expect(comparable(json, NS)).toEqual(comparable(findingsToJson(offline.findings), 'default'));
  });

  it('the CRD schema rejects an unknown mTLS mode at apply time, as on a cluster with Istio', async () => {
    const bad = {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'typo', namespace: NS },
      spec: { mtls: { mode: 'STRICTT' } },
    } as Obj;
    await expectUnprocessable(shared.cluster, bad, /Unsupported value: \\"STRICTT\\"/);
  });

  it('the watch that re-grades a lab sees an AuthorizationPolicy applied', async () => {
    const watch = watchChanges(shared.cluster, NS, { AuthorizationPolicy: 'v1', PeerAuthentication: 'v1' });
    try {
      await watch.waitFor(['added AuthorizationPolicy typo']);
      await shared.scratch.applyOne({
        apiVersion: 'security.istio.io/v1',
        kind: 'AuthorizationPolicy',
        metadata: { name: 'deny-all', namespace: NS },
        spec: {},
      } as Obj);
      await watch.waitFor(['added AuthorizationPolicy deny-all']);
      expect(watch.changes).toContain('added AuthorizationPolicy deny-all');
    } finally {
      watch.stop();
    }
  });

  it('reads v1beta1 when that is the version the server serves', async () => {
    const pa = { manifest: SECURITY_CRD_MANIFEST, name: 'peerauthentications', version: 'v1beta1' };
    await servingOnly(shared.cluster, pa, async () => {
      const live = await readUntil(
        () => loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} }),
        (l) => l.istioVersions.PeerAuthentication === 'v1beta1',
      );
      expect(live.istioVersions.PeerAuthentication).toBe('v1beta1');
      const read = live.load.resources.find((r) => r.kind === 'PeerAuthentication' && r.namespace === NS);
      expect(read?.apiVersion).toBe('security.istio.io/v1beta1');
      expect(read?.spec).toEqual({ mtls: { mode: 'STRICT' } });
    });
  });

  it('without the security CRDs: networking is still analysed, the three kinds are a note', async () => {
    await withoutCrds(shared.cluster, SECURITY_CRD_MANIFEST, async () => {
      const r = await readUntil(
        () => analyzeCluster({ kubeconfig: shared.cluster.kubeconfig.admin, env: {} }),
        (r) => r.live.missingKinds.length >= 3,
        30_000,
      );
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
    });
  });
});
