// Gateway API kinds that cannot be read are unknown, not absent: a learner whose
// credentials may not list gateway.networking.k8s.io must not be told that a Gateway
// their VirtualService binds to (IST0101) or the waypoint their Service uses (ICA1303)
// is missing. Without the CRDs none can exist, and both findings are right. Against
// the real API server, with a learner (alice) allowed one namespace and no Gateway API.
import { describe, expect, it } from 'vitest';
import { analyzeLoaded } from '../../src/core/analysis/analyze.ts';
import { analyzeCluster } from '../../src/core/cluster/analyze-cluster.ts';
import { loadCluster } from '../../src/core/cluster/live-source.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { GATEWAY_API_UNKNOWN, gradeLab } from '../../src/core/grading/grade.ts';
import { describeLive, GATEWAY_API_CRD_MANIFEST } from '../helpers/apiserver.ts';
import { bookinfoObjects, type Obj, RUN } from './objects.ts';
import { readerRole, readUntil, sharedCluster, withoutCrds } from './steps.ts';

const NS = `gwu-${RUN}`;

const OBJECTS = (ns: string): Obj[] => [
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'web', namespace: ns },
    spec: {
      gatewayClassName: 'istio',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'shop.example.com' }],
    },
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'waypoint', namespace: ns },
    spec: {
      gatewayClassName: 'istio-waypoint',
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
    },
  },
  // binds to the Kubernetes Gateway above (IST0101 when no Gateway of that name exists)
  {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'shop', namespace: ns },
    spec: {
      hosts: ['shop.example.com'],
      gateways: ['web'],
      http: [{ route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] }],
    },
  },
  // uses the waypoint above (ICA1303 when no waypoint of that name exists)
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'tools', namespace: ns, labels: { 'istio.io/use-waypoint': 'waypoint' } },
    spec: { selector: { app: 'tools' }, ports: [{ name: 'http', port: 8080 }] },
  },
];

describeLive('Gateway API kinds that cannot be read are unknown, not missing', () => {
  const shared = sharedCluster(async (scratch, cluster) => {
    await scratch.namespace(NS);
    await scratch.apply([...bookinfoObjects(NS), ...OBJECTS(NS)]);
    // alice reads everything the analysis lists in NS, except the Gateway API
    await scratch.apply(
      readerRole(cluster, {
        name: 'no-gateway-api',
        namespace: NS,
        user: 'alice',
        apiGroups: ['', 'apps', 'networking.istio.io', 'security.istio.io', 'telemetry.istio.io'],
      }),
    );
  });

  const codes = (findings: { code: string; origin?: string }[]) =>
    findings
      .filter((f) => ['IST0101', 'IST0132', 'ICA1303'].includes(f.code))
      .map((f) => `${f.code} ${f.origin}`)
      .sort();

  it('read (admin): the Gateway and the waypoint are found, nothing is reported missing', async () => {
    const r = await analyzeCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} });
    expect(r.live.load.gatewayApiUnknown).toBeUndefined();
    expect(codes(r.findings)).toEqual([]);
  });

  it('forbidden (alice): the snapshot records them unknown; no IST0101 or ICA1303, live or graded', async () => {
    const live = await loadCluster({ kubeconfig: shared.cluster.kubeconfig.alice, namespace: NS, env: {} });
    expect(live.load.gatewayApiUnknown).toBe(true);
    expect(live.load.kubernetesGateways ?? []).toEqual([]);
    expect(live.notes.filter((n) => n.reason === 'gateway-api-forbidden').length).toBeGreaterThan(0);
    // what lab check --live and cohort grade run: the load alone, without analyze --live's skips
    const graded = analyzeLoaded(live.load, { bookinfo: false });
    expect(graded.snapshot.gatewayApiUnknown).toBe(true);
    expect(graded.snapshot.applied().gatewayApiUnknown).toBe(true);
    expect(codes(graded.findings)).toEqual([]);
    const r = await analyzeCluster({ kubeconfig: shared.cluster.kubeconfig.alice, namespace: NS, env: {} });
    expect(codes(r.findings)).toEqual([]);
    // an ambient lab graded with these credentials: a failure says the waypoints were not readable
    const lab = loadExercises().exercises.find((e) => e.id === 'ambient-waypoint-route');
    if (!lab) throw new Error('lab ambient-waypoint-route is missing');
    const result = await gradeLab(lab, { dir: NS, mode: 'live', load: live.load, namespace: NS });
    const failed = result.criteria.filter((c) => !c.pass);
    expect(failed.length).toBeGreaterThan(0);
    for (const c of failed) expect(c.reason).toContain(GATEWAY_API_UNKNOWN);
    expect(r.findings.filter((f) => f.code === 'ICA0201').map((f) => f.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('gateway.networking.k8s.io')]),
    );
  });

  describe('a cluster without the Gateway API CRDs', () => {
    it('none can exist: the VirtualService binds to nothing (IST0101, IST0132) and the waypoint is missing (ICA1303)', async () => {
      await withoutCrds(shared.cluster, GATEWAY_API_CRD_MANIFEST, async () => {
        const r = await readUntil(
          () => analyzeCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} }),
          (r) => r.live.notes.some((n) => n.reason === 'gateway-api-not-served'),
          30_000,
        );
        expect(r.live.load.gatewayApiUnknown).toBeUndefined();
        expect(codes(r.findings)).toEqual([
          `ICA1303 Service ${NS}/tools`,
          `IST0101 VirtualService ${NS}/shop`,
          `IST0132 VirtualService ${NS}/shop`,
        ]);
      });
    });
  });
});
