// The live snapshot source: reads a cluster through the Kubernetes API and builds
// the same LoadResult the file loader builds, so the same rules run on it.
//
// Calls, each with a timeout:
//   GET  /apis/networking.istio.io, /apis/security.istio.io and /apis/telemetry.istio.io
//        (+ /<version> until each group's kinds are found: ProxyConfig is v1beta1 only)
//   GET  /api/v1/namespaces/NS                     (-n: does the namespace exist?)
//   LIST virtualservices, destinationrules, gateways, serviceentries,
//        proxyconfigs, peerauthentications, authorizationpolicies, requestauthentications,
//        telemetries (served version),
//        services, pods, deployments, secrets (metadata only: secret data is never requested),
//        namespaces (with -n too, for their injection labels; the GET above answers when refused)
//   LIST mutatingwebhookconfigurations, configmaps in istio-system (see live-install.ts; the
//        mesh configs istio and istio-<rev> come with the latter)
//   GET  /api/v1/namespaces/istio-system/configmaps/istio   (the mesh config, only when the
//        ConfigMap LIST was refused: a Role may grant get on it by name)
//   GET  /apis/gateway.networking.k8s.io (+ /<version>), LIST gateways, httproutes (served
//        version; see gateway-api.ts): waypoints and mesh HTTPRoutes. Optional: a cluster
//        without the Gateway API CRDs gets one note
//   GET  /api/v1/namespaces/NS/secrets/NAME        (only with credentialData, for lab grading:
//        one per credentialName a Gateway names, plus NAME-cacert for MUTUAL when it may
//        exist; see credential-secrets.ts. Forbidden is a note, not an error)
// With -n the lists are cluster-wide when RBAC allows (references cross namespaces:
// the ingress gateway pods live in istio-system), else narrowed to the namespace.
// What cannot be read is reported as notes and the kinds listed as missing, so the
// caller can skip the rules that need them; nothing is silently assumed empty.

import type { LoadResult } from '../config/load.ts';
import {
  type IstioKind,
  isIstioKind,
  type Kind,
  LISTED_ISTIO_KINDS,
  type Resource,
} from '../config/resource.ts';
import { type CredentialRead, readCredentialSecrets } from './credential-secrets.ts';
import { ClusterError, type Denied, ForbiddenError } from './errors.ts';
import {
  collectGatewayApi,
  discoverGatewayApi,
  GATEWAY_API_GROUP,
  type GatewayApiKind,
} from './gateway-api.ts';
import { DEFAULT_TIMEOUT_MS, KubeHttp } from './http.ts';
import {
  denial,
  discoverIstioGroups,
  isStatus,
  istioGroupOf,
  type KindSpec,
  PLURALS,
} from './istio-discovery.ts';
import { type KubeconfigOptions, resolveKubeconfig } from './kubeconfig.ts';
import { INSTALL_READS, readInstall } from './live-install.ts';
import { toResource } from './to-resource.ts';

export {
  discoverIstio,
  discoverIstioGroups,
  ISTIO_GROUP,
  istioGroupOf,
  type KindSpec,
  PLURALS,
  SECURITY_GROUP,
  TELEMETRY_GROUP,
} from './istio-discovery.ts';

/** Secrets are listed as PartialObjectMetadata: names and labels, never data. */
export const METADATA_ONLY_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
export const MESH_CONFIG = { namespace: 'istio-system', name: 'istio' } as const;

export interface LiveSourceOptions extends KubeconfigOptions {
  /** -A: every namespace */
  allNamespaces?: boolean;
  /** per-request timeout (default 10 s) */
  timeoutMs?: number;
  /**
   * read the data of the Secrets Gateways name in credentialName (one GET each), so the
   * certificate and a MUTUAL server's CA are checked as the gateway reads them: lab grading
   * only; `analyze --live` lists Secrets by name
   */
  credentialData?: boolean;
}

export type ReadNote =
  /** nothing of this kind could be listed */
  | { reason: 'forbidden'; kind: Kind; resource: string; denied: Denied }
  /** listed in the namespace only: the cluster-wide list was forbidden */
  | { reason: 'namespace-only'; kind: Kind; resource: string; namespace: string; denied: Denied }
  /** the API server does not serve this Istio kind */
  | { reason: 'not-served'; kind: Kind; resource: string }
  /** API discovery of this kind's group was forbidden, so it was not read */
  | { reason: 'discovery-forbidden'; kind: Kind; resource: string; denied: Denied }
  /** the istio ConfigMap could not be read */
  | { reason: 'mesh-config-forbidden'; kind: Kind; resource: string; denied: Denied }
  /** gateway.networking.k8s.io (or one of its kinds) is not served: no waypoints / HTTPRoutes (one note for the group) */
  | { reason: 'gateway-api-not-served'; resource: string; kinds: GatewayApiKind[] }
  /** Gateway API kinds that could not be read (discovery or list forbidden): the ambient rules are skipped */
  | { reason: 'gateway-api-forbidden'; resource: string; denied: Denied }
  /** a credentialName Secret whose data the account may not get: its certificate and CA are not checked */
  | { reason: 'credential-forbidden'; kind: 'Secret'; resource: string; name: string; denied: Denied };

export interface LiveLoad {
  load: LoadResult;
  context: string;
  server: string;
  /** the namespace analysed; undefined with --all-namespaces */
  namespace: string | undefined;
  /** kinds that could not be read at all (rules reading them must not run) */
  missingKinds: Kind[];
  notes: ReadNote[];
  /** the version each Istio kind was read at (in its group: networking or security.istio.io) */
  istioVersions: Partial<Record<IstioKind, string>>;
  /** the version each Gateway API kind was read at (gateway.networking.k8s.io) */
  gatewayApiVersions: Partial<Record<GatewayApiKind, string>>;
  /** a Gateway API kind could not be read: rules reading waypoints or HTTPRoutes must not run */
  gatewayApiMissing: boolean;
  /** HTTP requests made */
  requests: number;
  /** the credentialName Secrets read by name (with credentialData) */
  credentials?: CredentialRead[];
}

const CORE_KINDS: readonly KindSpec[] = [
  { kind: 'Service', group: '', version: 'v1', plural: 'services' },
  { kind: 'Pod', group: '', version: 'v1', plural: 'pods' },
  { kind: 'Deployment', group: 'apps', version: 'v1', plural: 'deployments' },
  { kind: 'Secret', group: '', version: 'v1', plural: 'secrets', accept: METADATA_ONLY_ACCEPT },
];
const NAMESPACES: KindSpec = { kind: 'Namespace', group: '', version: 'v1', plural: 'namespaces' };

function basePath(spec: KindSpec): string {
  return spec.group ? `/apis/${spec.group}/${spec.version}` : `/api/${spec.version}`;
}

function listPath(spec: KindSpec, namespace?: string): string {
  return namespace
    ? `${basePath(spec)}/namespaces/${encodeURIComponent(namespace)}/${spec.plural}`
    : `${basePath(spec)}/${spec.plural}`;
}

/** `virtualservices.networking.istio.io`, `pods`: the names RBAC rules use. */
export function rbacResource(spec: { plural: string; group: string }): string {
  return spec.group ? `${spec.plural}.${spec.group}` : spec.plural;
}

function apiVersionOf(spec: KindSpec): string {
  return spec.group ? `${spec.group}/${spec.version}` : spec.version;
}

interface ObjectList {
  kind?: string;
  items?: unknown[];
}

export type ListOutcome =
  | { ok: true; items: unknown[]; namespaceOnly?: Denied }
  | { ok: false; denied: Denied }
  | { ok: false; notServed: true };

const GATEWAY_CONTEXT_NAMESPACE = 'istio-system';
const GATEWAY_CONTEXT_KINDS: ReadonlySet<Kind> = new Set<Kind>(['Pod', 'Service']);

/** One LIST (two or three when a cluster-wide list is forbidden and a namespace is given). */
async function listKind(http: KubeHttp, spec: KindSpec, namespace: string | undefined): Promise<ListOutcome> {
  const resource = rbacResource(spec);
  const list = async (ns?: string): Promise<unknown[]> => {
    const body = await http.get<ObjectList>(listPath(spec, ns), spec.accept ? { accept: spec.accept } : {});
    if (spec.accept === METADATA_ONLY_ACCEPT && body.kind !== 'PartialObjectMetadataList') {
      // The server ignored the metadata-only request: keep names, drop everything else now.
      return (body.items ?? []).map((i) => ({ metadata: (i as { metadata?: unknown }).metadata }));
    }
    return body.items ?? [];
  };
  try {
    return { ok: true, items: await list() };
  } catch (e) {
    if (isStatus(e, 404)) return { ok: false, notServed: true };
    if (!isStatus(e, 403)) throw e;
    if (!namespace) return { ok: false, denied: denial(e, 'list', resource) };
    const clusterDenied = denial(e, 'list', resource);
    try {
      const items = await list(namespace);
      // The ingress gateway's pods and Service are in istio-system: every namespace's
      // Gateways select them. Read them too when allowed (a cohort learner is).
      if (GATEWAY_CONTEXT_KINDS.has(spec.kind) && namespace !== GATEWAY_CONTEXT_NAMESPACE) {
        items.push(...(await list(GATEWAY_CONTEXT_NAMESPACE).catch(() => [])));
      }
      return { ok: true, items, namespaceOnly: clusterDenied };
    } catch (e2) {
      if (isStatus(e2, 404)) return { ok: false, notServed: true };
      if (isStatus(e2, 403)) return { ok: false, denied: denial(e2, 'list', resource, namespace) };
      throw e2;
    }
  }
}

async function getMeshConfig(http: KubeHttp): Promise<{ cm?: unknown; denied?: Denied }> {
  try {
    return {
      cm: await http.get<unknown>(
        `/api/v1/namespaces/${MESH_CONFIG.namespace}/configmaps/${MESH_CONFIG.name}`,
      ),
    };
  } catch (e) {
    if (isStatus(e, 404)) return {};
    if (isStatus(e, 403))
      return { denied: denial(e, 'get', `configmaps/${MESH_CONFIG.name}`, MESH_CONFIG.namespace) };
    throw e;
  }
}

/** Reads the cluster named by the kubeconfig options into a LoadResult. */
export async function loadCluster(options: LiveSourceOptions = {}): Promise<LiveLoad> {
  const target = resolveKubeconfig(options);
  const http = new KubeHttp(target, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const namespace = options.allNamespaces ? undefined : target.namespace;
  const resources: Resource[] = [];
  const load: LoadResult = { resources, problems: [], meshConfigs: [], filesRead: 1 };
  const notes: ReadNote[] = [];
  const missingKinds: Kind[] = [];
  const add = (items: unknown[], spec: KindSpec) => {
    for (const item of items) {
      const r = toResource(item, apiVersionOf(spec), spec.kind, target.context);
      if (r) resources.push(r);
    }
  };

  const [discovery, gatewayApi] = await Promise.all([
    discoverIstioGroups(http, target),
    discoverGatewayApi(http),
  ]);
  const istio = discovery.specs;
  const istioVersions: Partial<Record<IstioKind, string>> = {};
  for (const kind of LISTED_ISTIO_KINDS) {
    const spec = istio.get(kind);
    const resource = `${PLURALS[kind]}.${istioGroupOf(kind)}`;
    if (spec) istioVersions[kind] = spec.version;
    else if (discovery.deniedGroups.has(istioGroupOf(kind))) {
      const denied = discovery.deniedGroups.get(istioGroupOf(kind)) as Denied;
      notes.push({ reason: 'discovery-forbidden', kind, resource, denied });
      missingKinds.push(kind);
    } else {
      notes.push({ reason: 'not-served', kind, resource });
      missingKinds.push(kind);
    }
  }

  let ownNamespace: unknown;
  if (namespace) {
    try {
      ownNamespace = await http.get<unknown>(`/api/v1/namespaces/${encodeURIComponent(namespace)}`);
    } catch (e) {
      if (isStatus(e, 404)) {
        throw new ClusterError(
          'namespace-missing',
          `namespace "${namespace}" does not exist in context ${target.context}; check the name (kubectl get namespaces) or create it`,
        );
      }
      // 403: this user may not read Namespace objects; the lists below still tell what it may read.
      if (!isStatus(e, 403)) throw e;
    }
  }

  const specs: KindSpec[] = [...LISTED_ISTIO_KINDS.flatMap((k) => istio.get(k) ?? []), ...CORE_KINDS];
  const [outcomes, gatewayApiOutcomes, namespaces, install] = await Promise.all([
    Promise.all(specs.map((spec) => listKind(http, spec, namespace))),
    // (the kind only matters to listKind for istio-system's pods and Services)
    Promise.all(
      ('served' in gatewayApi ? gatewayApi.served : []).map((g) =>
        listKind(
          http,
          { kind: 'Gateway', group: GATEWAY_API_GROUP, version: g.version, plural: g.plural },
          namespace,
        ),
      ),
    ),
    listKind(http, NAMESPACES, undefined),
    Promise.all(INSTALL_READS.map((spec) => readInstall(http, spec))),
  ]);
  // The mesh configs came with istio-system's ConfigMaps; when that LIST was refused, ask
  // for the istio ConfigMap by name.
  const configMapsListed = install.some((o) => o.spec.kind === 'ConfigMap' && 'items' in o);
  const mesh = configMapsListed ? {} : await getMeshConfig(http);

  let istioDenied: Denied | undefined;
  let istioRead = 0;
  // which namespaces the Secret LIST covered (a -cacert Secret not listed there does not exist)
  let secretsListed: (ns: string) => boolean = () => false;
  specs.forEach((spec, i) => {
    const outcome = outcomes[i];
    if (!outcome) return;
    const resource = rbacResource(spec);
    if (spec.kind === 'Secret' && outcome.ok)
      secretsListed = outcome.namespaceOnly ? (ns) => ns === namespace : () => true;
    if (outcome.ok) {
      add(outcome.items, spec);
      if (isIstioKind(spec.kind)) istioRead++;
      if (outcome.namespaceOnly && namespace) {
        notes.push({
          reason: 'namespace-only',
          kind: spec.kind,
          resource,
          namespace,
          denied: outcome.namespaceOnly,
        });
      }
      return;
    }
    // Pods are what runs; Deployments only add the template new pods are made from.
    // Refused, they are left out quietly rather than skipping every rule that reads workloads.
    if (spec.kind === 'Deployment') return;
    missingKinds.push(spec.kind);
    if ('notServed' in outcome) {
      notes.push({ reason: 'not-served', kind: spec.kind, resource });
      return;
    }
    if (isIstioKind(spec.kind) && !istioDenied) istioDenied = outcome.denied;
    notes.push({ reason: 'forbidden', kind: spec.kind, resource, denied: outcome.denied });
  });
  // Nothing Istio could be read: there is nothing to analyse, and the user must know why.
  if (istioRead === 0 && istioDenied) {
    throw new ForbiddenError(
      istioDenied,
      namespace
        ? 'ask for a Role that grants get/list on it, or choose a namespace you may read with -n'
        : 'ask for a ClusterRole that grants get/list on it, or analyse one namespace with -n NAME',
    );
  }
  // All namespaces when allowed (injection labels, revisions), else the one -n named.
  if (namespaces.ok) add(namespaces.items, NAMESPACES);
  else if (ownNamespace) add([ownNamespace], NAMESPACES);
  for (const outcome of install) {
    const { kind, apiVersion, resource } = outcome.spec;
    if ('items' in outcome) {
      for (const item of outcome.items) {
        const r = toResource(item, apiVersion, kind, target.context);
        if (r) resources.push(r);
      }
      continue;
    }
    missingKinds.push(kind);
    notes.push(
      'denied' in outcome
        ? { reason: 'forbidden', kind, resource, denied: outcome.denied }
        : { reason: 'not-served', kind, resource },
    );
  }
  const gatewayApiRead = collectGatewayApi(gatewayApi, gatewayApiOutcomes, target.context, namespace);
  notes.push(...gatewayApiRead.notes);
  if (gatewayApiRead.gateways.length) load.kubernetesGateways = gatewayApiRead.gateways;
  if (gatewayApiRead.routes.length) load.httpRoutes = gatewayApiRead.routes;
  if (gatewayApiRead.objects.length) load.gatewayApiObjects = gatewayApiRead.objects;
  if (gatewayApiRead.missing) load.gatewayApiUnknown = true;
  if (mesh.cm) add([mesh.cm], { kind: 'ConfigMap', group: '', version: 'v1', plural: 'configmaps' });
  if (mesh.denied) {
    notes.push({
      reason: 'mesh-config-forbidden',
      kind: 'ConfigMap',
      resource: 'configmaps',
      denied: mesh.denied,
    });
  }
  let credentials: CredentialRead[] | undefined;
  if (options.credentialData) {
    credentials = await readCredentialSecrets(http, resources, target.context, secretsListed);
    const notFound = credentials.filter((c) => c.outcome === 'not-found');
    if (notFound.length) load.secretsNotFound = notFound.map((c) => `${c.namespace}/${c.name}`);
    for (const c of credentials) {
      if (c.outcome !== 'forbidden' || !c.denied) continue;
      notes.push({
        reason: 'credential-forbidden',
        kind: 'Secret',
        resource: 'secrets',
        name: c.name,
        denied: c.denied,
      });
    }
  }

  return {
    load,
    context: target.context,
    server: target.server,
    namespace,
    missingKinds,
    notes,
    istioVersions,
    gatewayApiVersions: gatewayApiRead.versions,
    gatewayApiMissing: gatewayApiRead.missing,
    requests: http.requests,
    ...(credentials ? { credentials } : {}),
  };
}
