// Facts about a workload that security reads: its service account (hence its
// SPIFFE identity) and whether an Envoy proxy runs beside it. Derived once
// when the snapshot lists workloads, from the pod (live: the istio-proxy
// container is there or not) or from what injection would do (files: the
// namespace's injection labels and the pod's own sidecar.istio.io/inject).
// Ambient enrolment (istio.io/dataplane-mode) is read here too: a pod without a
// sidecar whose namespace or own label says `ambient` has its traffic captured by
// ztunnel; a pod that keeps a sidecar is skipped by ztunnel even in an ambient namespace.
import type { Resource } from './resource.ts';

export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

export interface WorkloadFacts {
  /** spec.serviceAccountName, else `default` */
  serviceAccount: string;
  /** an Envoy proxy handles the pod's traffic: an injected sidecar, or the pod is a gateway */
  sidecar: boolean;
  /**
   * the control plane revision of its sidecar (`default` for the default one): the
   * running proxy's for an observed pod, else the one injection would pick; a
   * revision tag is left as written (Snapshot resolves tags)
   */
  revision?: string;
  /**
   * which data plane carries its traffic: its own Envoy (`sidecar`, gateways too),
   * ztunnel (`ambient`), or none
   */
  dataplane: Dataplane;
}

export type Dataplane = 'sidecar' | 'ambient' | 'none';

/** Is the workload's traffic captured by ztunnel (enrolled in ambient, no sidecar)? */
export function isAmbient(facts: Pick<WorkloadFacts, 'dataplane'>): boolean {
  return facts.dataplane === 'ambient';
}

/** The revision recorded by the injector in sidecar.istio.io/status, if any. */
export function statusRevision(annotations: Record<string, unknown>): string | undefined {
  const status = annotations['sidecar.istio.io/status'];
  if (typeof status !== 'string') return undefined;
  try {
    const rev = (JSON.parse(status) as { revision?: unknown }).revision;
    return typeof rev === 'string' && rev ? rev : 'default';
  } catch {
    return undefined;
  }
}

/** `cluster.local/ns/default/sa/bookinfo-reviews`: the principal AuthorizationPolicy compares. */
export function principalOf(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export type Injection = 'enabled' | 'disabled' | 'unlabelled';

/**
 * The revision a namespace's labels select (istio-injection=enabled wins over
 * istio.io/rev: the revision webhooks require istio-injection to be absent).
 */
export function namespaceRevision(ns: Resource | undefined): string | undefined {
  if (!ns) return undefined;
  const l = ns.labels;
  if (l['istio-injection'] === 'enabled') return 'default';
  if (l['istio-injection'] === undefined && l['istio.io/rev']) return l['istio.io/rev'];
  return undefined;
}

/**
 * What a namespace's labels say about injection (istio-injection=enabled or an
 * istio.io/rev label: enabled), or undefined when the snapshot does not hold the
 * namespace.
 */
export function namespaceInjection(ns: Resource | undefined): Injection | undefined {
  if (!ns) return undefined;
  const l = ns.labels;
  if (l['istio-injection'] === 'disabled') return 'disabled';
  if (l['istio-injection'] === 'enabled' || l['istio.io/rev'] !== undefined) return 'enabled';
  return 'unlabelled';
}

/**
 * The facts of a pod spec (a Pod's, or a Deployment's template). A pod read from a
 * cluster (`live`) has its sidecar or not; otherwise injection decides: a namespace
 * the snapshot does not hold counts as injected, as the lab namespaces are; in an
 * unlabelled namespace only a pod labelled sidecar.istio.io/inject=true is injected.
 */
export function workloadFacts(
  podSpec: unknown,
  labels: Record<string, string>,
  annotations: Record<string, unknown>,
  injection: Injection | undefined,
  live: boolean,
  nsRevision?: string,
  nsAmbient = false,
): WorkloadFacts {
  const spec = asRecord(podSpec);
  const sa =
    typeof spec.serviceAccountName === 'string' && spec.serviceAccountName
      ? spec.serviceAccountName
      : 'default';
  const containers = [
    ...(Array.isArray(spec.containers) ? spec.containers : []),
    ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
  ];
  const names = containers.map((c) => asRecord(c).name);
  if (labels.istio === 'ingressgateway' || labels.istio === 'egressgateway')
    return { serviceAccount: sa, sidecar: true, dataplane: 'sidecar' };
  if (names.includes('istio-proxy'))
    return {
      serviceAccount: sa,
      sidecar: true,
      dataplane: 'sidecar',
      revision: statusRevision(annotations) ?? labels['istio.io/rev'] ?? 'default',
    };
  if (live && names.length > 0)
    return {
      serviceAccount: sa,
      sidecar: false,
      dataplane: ambientByLabels(labels, annotations, nsAmbient) ? 'ambient' : 'none',
    };
  const podSays = labels['sidecar.istio.io/inject'] ?? annotations['sidecar.istio.io/inject'];
  let sidecar: boolean;
  if (injection === 'disabled') sidecar = false;
  else if (injection === 'unlabelled')
    sidecar =
      labels['sidecar.istio.io/inject'] === 'true' ||
      (labels['istio.io/rev'] !== undefined && podSays !== 'false');
  else sidecar = podSays !== 'false';
  if (!sidecar)
    return {
      serviceAccount: sa,
      sidecar,
      dataplane: ambientByLabels(labels, annotations, nsAmbient) ? 'ambient' : 'none',
    };
  return {
    serviceAccount: sa,
    sidecar,
    dataplane: 'sidecar',
    revision: nsRevision ?? labels['istio.io/rev'] ?? 'default',
  };
}

/** The label that enrols a namespace or pod in ambient mode (value `ambient`; `none` opts a pod out). */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
/** What istio-cni writes on a pod it redirected to ztunnel. */
export const AMBIENT_REDIRECTION_ANNOTATION = 'ambient.istio.io/redirection';

/**
 * Is a namespace in ambient mode? As istioctl decides it (analyzers/util
 * NamespaceInAmbientMode): labelled istio.io/dataplane-mode=ambient, and no
 * sidecar injection label (istio-injection=enabled or an istio.io/rev), which wins.
 */
export function namespaceAmbient(ns: Resource | undefined): boolean {
  if (!ns) return false;
  const l = ns.labels;
  if (l['istio-injection'] === 'enabled') return false;
  if (l['istio.io/rev']) return false;
  return l[DATAPLANE_MODE_LABEL] === 'ambient';
}

/**
 * Is a workload in ambient mode (its traffic captured by ztunnel, no sidecar)? A pod
 * with a sidecar never is. An observed pod is when istio-cni annotated it
 * (`ambient.istio.io/redirection: enabled`, what istioctl reads); otherwise the labels
 * decide: the pod's istio.io/dataplane-mode (`ambient` in, `none` out), else its
 * namespace's (see namespaceAmbient).
 */
export function workloadAmbient(
  labels: Record<string, string>,
  annotations: Record<string, unknown>,
  ns: Resource | undefined,
  sidecar: boolean,
): boolean {
  if (sidecar) return false;
  return ambientByLabels(labels, annotations, namespaceAmbient(ns));
}

/** workloadAmbient for a pod without a sidecar, its namespace already judged (namespaceAmbient). */
export function ambientByLabels(
  labels: Record<string, string>,
  annotations: Record<string, unknown>,
  nsAmbient: boolean,
): boolean {
  if (annotations[AMBIENT_REDIRECTION_ANNOTATION] === 'enabled') return true;
  const own = labels[DATAPLANE_MODE_LABEL];
  if (own === 'none') return false;
  if (own === 'ambient') return true;
  return nsAmbient;
}
