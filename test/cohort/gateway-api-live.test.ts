// cohort grade reads the Gateway API too: one LIST of gateways and one of httproutes for
// the whole cluster, split by learner namespace like the other kinds, so a learner's
// VirtualService bound to their Kubernetes Gateway is not IST0101. A grader that may not
// list them gets a note and the kinds recorded as unknown (no IST0101 either way). Against
// the real API server; the cohort's namespaces are made with its labels directly.
import { expect, it } from 'vitest';
import { analyzeLoaded } from '../../src/core/analysis/analyze.ts';
import { COHORT_LABEL, graderClusterRole, LEARNER_LABEL } from '../../src/core/cohort/manifests.ts';
import { type CohortSnapshot, readCohortSnapshot } from '../../src/core/cohort/source.ts';
import { describeLive, type TestUser } from '../helpers/apiserver.ts';
import { type Obj, RUN } from '../live/objects.ts';
import { sharedCluster } from '../live/steps.ts';

const COHORT = `gw${RUN}`;
const ns = (id: string) => `${COHORT}-${id}`;

const learnerNamespace = (id: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: ns(id), labels: { [COHORT_LABEL]: COHORT, [LEARNER_LABEL]: id } },
});

/** A VirtualService bound to the Kubernetes Gateway `web` of its namespace. */
const boundToWeb = (namespace: string): Obj => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'shop', namespace },
  spec: {
    hosts: ['shop.example.com'],
    gateways: ['web'],
    http: [{ route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] }],
  },
});

const web = (namespace: string): Obj => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'web', namespace },
  spec: {
    gatewayClassName: 'istio',
    listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname: 'shop.example.com' }],
  },
});

const route = (namespace: string): Obj => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'reviews', namespace },
  spec: {
    parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }],
    rules: [{ backendRefs: [{ name: 'reviews', port: 9080 }] }],
  },
});

describeLive('cohort grade reads the Gateway API', () => {
  const shared = sharedCluster(async (scratch, cluster) => {
    await scratch.namespace('istio-system');
    for (const id of ['ann', 'ben']) {
      await scratch.namespace(ns(id));
      await scratch.applyOne(learnerNamespace(id));
      await scratch.applyOne(boundToWeb(ns(id)));
    }
    // ann made the Gateway her VirtualService names, and an HTTPRoute; ben did not
    await scratch.apply([web(ns('ann')), route(ns('ann'))]);
    // carol: the cohort's grader ClusterRole; bob: the same without the Gateway API
    const role = graderClusterRole() as Obj & { rules: { apiGroups: string[] }[] };
    const withoutGatewayApi: Obj = {
      ...role,
      metadata: { name: `no-gateway-api-${RUN}` },
      rules: role.rules.filter((r) => !r.apiGroups.includes('gateway.networking.k8s.io')),
    };
    expect(withoutGatewayApi.rules).toHaveLength(role.rules.length - 1);
    const bind = (user: TestUser, roleName: string): Obj => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${roleName}-${user}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [cluster.subject(user)],
    });
    await scratch.applyOne(role);
    await scratch.applyOne(withoutGatewayApi);
    await scratch.applyOne(bind('carol', role.metadata.name));
    await scratch.applyOne(bind('bob', withoutGatewayApi.metadata.name));
  });

  const learner = (snap: CohortSnapshot, id: string) => {
    const l = snap.learners.find((x) => x.id === id);
    if (!l) throw new Error(`learner ${id} not read`);
    return l;
  };
  /** IST0101 for the gateway a VirtualService binds to (productpage is not deployed here: left out) */
  const ist0101 = (snap: CohortSnapshot, id: string) =>
    analyzeLoaded(learner(snap, id).load, { bookinfo: false })
      .findings.filter((f) => f.code === 'IST0101' && f.message.includes('gateway'))
      .map((f) => f.origin);

  for (const who of ['admin', 'carol'] as const) {
    it(`${who === 'admin' ? 'the instructor' : "the cohort's grader role"} reads each learner's Gateways and HTTPRoutes with one LIST per kind`, async () => {
      const snap = await readCohortSnapshot(COHORT, { kubeconfig: shared.cluster.kubeconfig[who], env: {} });
      // discovery (2), namespaces, 5 Istio kinds, services, pods, istio-system secrets, the
      // mesh ConfigMap (12 before), Gateway API discovery (3), gateways, httproutes
      expect(snap.requests).toBe(17);
      // (the grader role reads no Secrets: that note is cohort grade's as before)
      expect(snap.notes.filter((n) => !n.startsWith('could not list Secrets'))).toEqual([]);
      expect(snap.learners.map((l) => l.id)).toEqual(['ann', 'ben']);
      const ann = learner(snap, 'ann').load;
      expect(ann.kubernetesGateways?.map((g) => `${g.namespace}/${g.name}`)).toEqual([`${ns('ann')}/web`]);
      expect(ann.httpRoutes?.map((r) => `${r.namespace}/${r.name}`)).toEqual([`${ns('ann')}/reviews`]);
      expect(ann.gatewayApiUnknown).toBeUndefined();
      // ben's load holds none of ann's: his VirtualService binds to no Gateway
      expect(learner(snap, 'ben').load.kubernetesGateways).toEqual([]);
      expect(ist0101(snap, 'ann')).toEqual([]);
      expect(ist0101(snap, 'ben')).toEqual([`VirtualService ${ns('ben')}/shop`]);
    });
  }

  it('a grader that may not list them: one note, the kinds unknown, no IST0101 for anyone', async () => {
    const snap = await readCohortSnapshot(COHORT, { kubeconfig: shared.cluster.kubeconfig.bob, env: {} });
    expect(snap.notes.filter((n) => !n.startsWith('could not list Secrets'))).toEqual([
      'could not list the Gateway API kinds (gateway.networking.k8s.io): waypoints, Gateways and HTTPRoutes are unknown, so the checks that need them are skipped',
    ]);
    for (const id of ['ann', 'ben']) {
      expect(learner(snap, id).load.gatewayApiUnknown).toBe(true);
      expect(ist0101(snap, id)).toEqual([]);
    }
  });
});
