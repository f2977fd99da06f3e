// A resource as the grader sees it, wherever it came from (a file, the cluster,
// or the built-in Bookinfo model), and field paths into it.

export type FieldPath = readonly (string | number)[];

export interface Origin {
  /** file path as given by the user, or "-" for stdin */
  file?: string;
  /** 1-based line and column of the resource (its first key) */
  line?: number;
  column?: number;
  /** 0-based index of the document in its file */
  document?: number;
  /** set when the resource came from a cluster */
  cluster?: string;
  /**
   * a cluster Secret whose data the account may not read (GET forbidden): its certificate
   * and CA are not checked, and it is assumed to exist
   */
  unread?: 'forbidden';
  /** set for resources of the built-in Bookinfo model */
  builtin?: boolean;
}

export interface Position {
  file?: string;
  line?: number;
  column?: number;
}

/** networking.istio.io kinds served at v1 (what the cohort reader lists too). */
export const NETWORKING_KINDS = [
  'VirtualService',
  'DestinationRule',
  'Gateway',
  'ServiceEntry',
  'Sidecar',
] as const;
export type NetworkingKind = (typeof NETWORKING_KINDS)[number];
/** security.istio.io kinds. */
export const SECURITY_KINDS = ['PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication'] as const;
export type SecurityKind = (typeof SECURITY_KINDS)[number];
/** networking.istio.io's ProxyConfig, served at v1beta1 only (Istio 1.26). */
export const PROXY_CONFIG_KINDS = ['ProxyConfig'] as const;
/** telemetry.istio.io kinds (v1 since Istio 1.22, v1alpha1 before). */
export const TELEMETRY_KINDS = ['Telemetry'] as const;
/** The Istio kinds the live source lists, one LIST each. */
export const LISTED_ISTIO_KINDS = [
  ...NETWORKING_KINDS,
  ...PROXY_CONFIG_KINDS,
  ...SECURITY_KINDS,
  ...TELEMETRY_KINDS,
] as const;
export type ListedIstioKind = (typeof LISTED_ISTIO_KINDS)[number];
/** Every Istio kind whose spec is parsed by a schema (schemas/<group>/); all are listed live. */
export const ISTIO_KINDS = LISTED_ISTIO_KINDS;
export type IstioKind = (typeof ISTIO_KINDS)[number];

/** Kubernetes kinds the rules read; anything else is skipped with an Info finding. */
export const KUBE_KINDS = [
  'Service',
  'Deployment',
  'Pod',
  'Secret',
  'Namespace',
  'ConfigMap',
  'IstioOperator',
  'MutatingWebhookConfiguration',
] as const;
export type KubeKind = (typeof KUBE_KINDS)[number];

export type Kind = IstioKind | KubeKind;

export interface Resource<Spec = Record<string, unknown>> {
  apiVersion: string;
  kind: Kind;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** The typed spec (for Istio kinds: after schema checks, with invalid parts pruned). */
  spec: Spec;
  /** The object as written. */
  raw: Record<string, unknown>;
  origin: Origin;
  /** Position of a field path (relative to the object root, e.g. ['spec','http',0]). */
  locate(path: FieldPath): Position;
}

/** `VirtualService default/reviews`, the way istioctl names a resource. */
export function resourceKey(r: Pick<Resource, 'kind' | 'namespace' | 'name'>): string {
  return `${r.kind} ${r.namespace}/${r.name}`;
}

/** `spec.http[0].route[1].destination.subset` */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function isIstioKind(kind: string): kind is IstioKind {
  return (ISTIO_KINDS as readonly string[]).includes(kind);
}

export function isKubeKind(kind: string): kind is KubeKind {
  return (KUBE_KINDS as readonly string[]).includes(kind);
}

/** API groups/versions accepted for each kind (Istio serves v1, v1beta1 and v1alpha3 alike). */
export const API_VERSIONS: Record<Kind, readonly string[]> = {
  VirtualService: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'],
  DestinationRule: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'],
  Gateway: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'],
  ServiceEntry: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'],
  Sidecar: ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'],
  PeerAuthentication: ['security.istio.io/v1', 'security.istio.io/v1beta1'],
  AuthorizationPolicy: ['security.istio.io/v1', 'security.istio.io/v1beta1'],
  RequestAuthentication: ['security.istio.io/v1', 'security.istio.io/v1beta1'],
  ProxyConfig: ['networking.istio.io/v1beta1'],
  Telemetry: ['telemetry.istio.io/v1', 'telemetry.istio.io/v1alpha1'],
  Service: ['v1'],
  Pod: ['v1'],
  Secret: ['v1'],
  Namespace: ['v1'],
  ConfigMap: ['v1'],
  Deployment: ['apps/v1'],
  IstioOperator: ['install.istio.io/v1alpha1'],
  MutatingWebhookConfiguration: ['admissionregistration.k8s.io/v1'],
};
