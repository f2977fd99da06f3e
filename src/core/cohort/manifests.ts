// The objects a cohort consists of, per learner and for the cohort as a whole:
//
//   Namespace <cohort>-<id>     labels ica-trainer/cohort=<cohort>, ica-trainer/learner=<id>,
//                               istio-injection=enabled
//     Bookinfo + fortio         from the project's Bookinfo model (cluster/manifests.ts)
//     ServiceAccount learner    the learner's identity (token in their kubeconfig)
//     Role ica-trainer-learner  Istio networking resources (VS, DR, GW, SE): all verbs;
//                               pods and services: read; their own Namespace object: get
//     RoleBinding               the Role to the ServiceAccount
//     Sidecar default           (when the cluster serves the Sidecar CRD) egress hosts ./* and
//                               istio-system/*: the learner's proxies import Services and
//                               Istio config from their own namespace and istio-system only,
//                               so another learner's VirtualService or ServiceEntry exported
//                               to "*" does not change their traffic. Learners cannot edit it.
//   RoleBinding ica-trainer-<cohort>-<id>-gateway-read, in istio-system (when it exists):
//                               ClusterRole ica-trainer-learner-gateway-read there, so that
//                               the learner's own `lab check --live` sees the ingress gateway
//   ClusterRole ica-trainer-learner-gateway-read   pods and services: read (granted only in
//                               istio-system by the RoleBindings above; no secrets)
//   ClusterRole ica-trainer-cohort-grader   read-only: Istio networking resources, services,
//                               pods, namespaces, the istio mesh ConfigMap (no secrets),
//                               Gateway API gateways, routes and referencegrants
//   Namespace ica-cohort-<cohort> with ServiceAccount grader, bound to that ClusterRole by
//   ClusterRoleBinding ica-trainer-cohort-<cohort>-grader
import { labManifests, type Manifest } from '../cluster/manifests.ts';
import { cohortNamespace, learnerNamespace } from './roster.ts';

export const COHORT_LABEL = 'ica-trainer/cohort';
export const LEARNER_LABEL = 'ica-trainer/learner';
export const ROLE_LABEL = 'ica-trainer/role';
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'ica-trainer' } as const;

export const LEARNER_SERVICE_ACCOUNT = 'learner';
export const LEARNER_ROLE = 'ica-trainer-learner';
export const GRADER_SERVICE_ACCOUNT = 'grader';
export const GRADER_CLUSTER_ROLE = 'ica-trainer-cohort-grader';
export const GATEWAY_READ_CLUSTER_ROLE = 'ica-trainer-learner-gateway-read';
/** Where the shared ingress gateway runs: its pods and Service are every learner's context. */
export const GATEWAY_NAMESPACE = 'istio-system';

export const ISTIO_GROUP = 'networking.istio.io';
export const ISTIO_RESOURCES = ['virtualservices', 'destinationrules', 'gateways', 'serviceentries'] as const;
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** `ica-trainer/cohort=<name>,ica-trainer/learner`: the cohort's learner namespaces. */
export function learnerSelector(cohort: string): string {
  return `${COHORT_LABEL}=${cohort},${LEARNER_LABEL}`;
}

export function graderBindingName(cohort: string): string {
  return `ica-trainer-cohort-${cohort}-grader`;
}

export function learnerNamespaceManifest(cohort: string, id: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: learnerNamespace(cohort, id),
      labels: {
        [COHORT_LABEL]: cohort,
        [LEARNER_LABEL]: id,
        'istio-injection': 'enabled',
        ...MANAGED_BY,
      },
    },
  };
}

/** The learner's ServiceAccount, Role and RoleBinding, in their namespace. */
export function learnerAccessManifests(cohort: string, id: string): Manifest[] {
  const ns = learnerNamespace(cohort, id);
  const labels = { [COHORT_LABEL]: cohort, [LEARNER_LABEL]: id, ...MANAGED_BY };
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: LEARNER_SERVICE_ACCOUNT, namespace: ns, labels },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: LEARNER_ROLE, namespace: ns, labels },
      rules: [
        { apiGroups: [ISTIO_GROUP], resources: [...ISTIO_RESOURCES], verbs: [...READ, ...WRITE] },
        // the namespace's Sidecar isolates the learner: readable (grading honours it), not writable
        { apiGroups: [ISTIO_GROUP], resources: ['sidecars'], verbs: READ },
        { apiGroups: [''], resources: ['pods', 'services'], verbs: READ },
        // `lab check --live --probe` sends its requests from fortio: `kubectl exec deploy/fortio-deploy`
        { apiGroups: ['apps'], resources: ['deployments'], verbs: READ },
        { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
        // `analyze --live` and `lab check --live` check that the namespace exists.
        { apiGroups: [''], resources: ['namespaces'], resourceNames: [ns], verbs: ['get'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: LEARNER_ROLE, namespace: ns, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: LEARNER_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: LEARNER_SERVICE_ACCOUNT, namespace: ns }],
    },
  ];
}

export function gatewayReadBindingName(cohort: string, id: string): string {
  return `ica-trainer-${cohort}-${id}-gateway-read`;
}

/**
 * Read access to the ingress gateway's pods and Service in istio-system for one learner:
 * without it their own `lab check --live` cannot see the gateway their Gateway selects
 * (IST0101 "selector not found", every route "no such workload"). Nothing secret.
 */
export function learnerGatewayReadManifest(cohort: string, id: string): Manifest {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: {
      name: gatewayReadBindingName(cohort, id),
      namespace: GATEWAY_NAMESPACE,
      labels: { [COHORT_LABEL]: cohort, [LEARNER_LABEL]: id, ...MANAGED_BY },
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: GATEWAY_READ_CLUSTER_ROLE },
    subjects: [
      { kind: 'ServiceAccount', name: LEARNER_SERVICE_ACCOUNT, namespace: learnerNamespace(cohort, id) },
    ],
  };
}

export const SIDECAR_NAME = 'default';

/**
 * The learner namespace's default Sidecar (no workloadSelector, so it applies to every
 * pod there): egress imports only `./*` (this namespace) and `istio-system/*`. Istio
 * selects VirtualServices, DestinationRules and ServiceEntries for a sidecar by the
 * namespace they are declared in, so another learner's resource for this learner's
 * host, exported to "*", is not imported. It does not bind the ingress gateway
 * (istio-system): alerts cover that.
 */
export function learnerSidecarManifest(cohort: string, id: string): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Sidecar',
    metadata: {
      name: SIDECAR_NAME,
      namespace: learnerNamespace(cohort, id),
      labels: { [COHORT_LABEL]: cohort, [LEARNER_LABEL]: id, ...MANAGED_BY },
    },
    spec: { egress: [{ hosts: ['./*', `${GATEWAY_NAMESPACE}/*`] }] },
  };
}

/** Everything in a learner's namespace, the Namespace first. */
export function learnerManifests(cohort: string, id: string): Manifest[] {
  const ns = learnerNamespace(cohort, id);
  const workloads = labManifests(ns).map((m) => {
    const meta = (m.metadata ?? {}) as { labels?: Record<string, string> };
    return { ...m, metadata: { ...meta, labels: { ...meta.labels, ...MANAGED_BY } } };
  });
  return [learnerNamespaceManifest(cohort, id), ...workloads, ...learnerAccessManifests(cohort, id)];
}

/** The read-only ClusterRole grading needs (shared by every cohort). */
export function graderClusterRole(): Manifest {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: GRADER_CLUSTER_ROLE, labels: { ...MANAGED_BY } },
    rules: [
      { apiGroups: [ISTIO_GROUP], resources: [...ISTIO_RESOURCES, 'sidecars'], verbs: READ },
      { apiGroups: [''], resources: ['pods', 'services', 'namespaces'], verbs: READ },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['istio'], verbs: ['get'] },
      // waypoints and HTTPRoutes: without them a VirtualService bound to a Kubernetes Gateway
      // could not be judged (a cluster that does not serve the group simply has none)
      // (and the other route kinds and ReferenceGrants, which decide what a route may reach)
      {
        apiGroups: ['gateway.networking.k8s.io'],
        resources: ['gateways', 'httproutes', 'grpcroutes', 'referencegrants', 'tcproutes', 'tlsroutes'],
        verbs: READ,
      },
    ],
  };
}

/** What learners may read in istio-system (bound there per learner; shared by every cohort). */
export function gatewayReadClusterRole(): Manifest {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: GATEWAY_READ_CLUSTER_ROLE, labels: { ...MANAGED_BY } },
    rules: [{ apiGroups: [''], resources: ['pods', 'services'], verbs: READ }],
  };
}

/** The cohort's own namespace, grader ServiceAccount and ClusterRoleBinding. */
export function cohortManifests(cohort: string): Manifest[] {
  const ns = cohortNamespace(cohort);
  const labels = { [COHORT_LABEL]: cohort, [ROLE_LABEL]: 'grading', ...MANAGED_BY };
  return [
    graderClusterRole(),
    gatewayReadClusterRole(),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: GRADER_SERVICE_ACCOUNT, namespace: ns, labels },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: graderBindingName(cohort), labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: GRADER_CLUSTER_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: GRADER_SERVICE_ACCOUNT, namespace: ns }],
    },
  ];
}
