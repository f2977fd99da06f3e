// The Kubernetes Gateway API kinds the trainer reads live: Gateways (waypoints are
// Gateways of class istio-waypoint) and HTTPRoutes (routed in the mesh when their
// parent is a Service), from gateway.networking.k8s.io at the version the server
// prefers. Istio 1.26 reads v1 (Gateway API 1.2 and 1.3's standard channel serve
// both kinds as v1, storage, and v1beta1). The group is optional: a cluster without
// the CRDs has no waypoints and no HTTPRoutes, which is said once as a note.
// GRPCRoutes (v1), ReferenceGrants (v1beta1), TCPRoutes and TLSRoutes (v1alpha2, the
// experimental channel) are read too, one LIST each when served; a cluster that does
// not serve one has none, which needs no note.

import type { HttpRouteObject } from '../config/http-route.ts';
import type { KubernetesGateway } from '../config/load.ts';
import { kubernetesGateway } from '../config/load.ts';
import type { GatewayApiObject, GatewayApiKind as RouteKind } from '../config/load-gateway-api.ts';
import type { WrittenObject } from '../config/written-object.ts';
import type { Denied } from './errors.ts';
import type { KubeHttp } from './http.ts';
import { denial, isStatus } from './istio-discovery.ts';
import type { ListOutcome, ReadNote } from './live-source.ts';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export type GatewayApiKind = 'Gateway' | 'HTTPRoute' | RouteKind;
/** The kinds whose absence is said (no waypoints, no HTTPRoutes); the others are optional. */
const CORE_KINDS: readonly GatewayApiKind[] = ['Gateway', 'HTTPRoute'];
export const GATEWAY_API_KINDS: readonly GatewayApiKind[] = [
  ...CORE_KINDS,
  'GRPCRoute',
  'ReferenceGrant',
  'TCPRoute',
  'TLSRoute',
];

/** The resource name of each kind (`gateways`, ...): LIST paths, watches and RBAC rules use it. */
export const GATEWAY_API_PLURALS: Record<GatewayApiKind, string> = {
  Gateway: 'gateways',
  HTTPRoute: 'httproutes',
  GRPCRoute: 'grpcroutes',
  ReferenceGrant: 'referencegrants',
  TCPRoute: 'tcproutes',
  TLSRoute: 'tlsroutes',
};

export interface GatewayApiSpec {
  kind: GatewayApiKind;
  version: string;
  plural: string;
}

export type GatewayApiDiscovery =
  | { served: GatewayApiSpec[] }
  /** the group (or neither of Gateway and HTTPRoute) is not served */
  | { notServed: true }
  | { denied: Denied };

interface ApiGroup {
  versions?: { version: string }[];
  preferredVersion?: { version: string };
}

/** Two GETs: the group, then its preferred version's resources (more only when a kind is missing there). */
export async function discoverGatewayApi(http: KubeHttp): Promise<GatewayApiDiscovery> {
  let info: ApiGroup;
  try {
    info = await http.get<ApiGroup>(`/apis/${GATEWAY_API_GROUP}`);
  } catch (e) {
    if (isStatus(e, 404)) return { notServed: true };
    if (isStatus(e, 403)) return { denied: denial(e, 'get', `API discovery of ${GATEWAY_API_GROUP}`) };
    throw e;
  }
  const versions = (info.versions ?? []).map((v) => v.version);
  const preferred = info.preferredVersion?.version ?? versions[0];
  const order = preferred ? [preferred, ...versions.filter((v) => v !== preferred)] : versions;
  const found = new Map<GatewayApiKind, GatewayApiSpec>();
  for (const version of order) {
    if (found.size === GATEWAY_API_KINDS.length) break;
    let list: { resources?: { name: string; kind: string; verbs?: string[] }[] };
    try {
      list = await http.get(`/apis/${GATEWAY_API_GROUP}/${version}`);
    } catch (e) {
      if (isStatus(e, 404)) continue;
      throw e;
    }
    for (const r of list.resources ?? []) {
      const kind = r.kind as GatewayApiKind;
      if (r.name.includes('/') || !GATEWAY_API_KINDS.includes(kind) || found.has(kind)) continue;
      if (r.verbs && !r.verbs.includes('list')) continue;
      found.set(kind, { kind, version, plural: r.name });
    }
  }
  return CORE_KINDS.some((k) => found.has(k)) ? { served: [...found.values()] } : { notServed: true };
}

/** `gateways.gateway.networking.k8s.io`: the name RBAC rules and notes use. */
export function gatewayApiResource(plural: string): string {
  return `${plural}.${GATEWAY_API_GROUP}`;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A listed Gateway as the file loader records it (items of a list carry no apiVersion or kind). */
export function liveGateway(item: unknown, context: string): KubernetesGateway | undefined {
  const obj = asRecord(item);
  const meta = asRecord(obj?.metadata);
  if (!obj || !meta || typeof meta.name !== 'string' || !meta.name) return undefined;
  return { ...kubernetesGateway(obj, {}), cluster: context };
}

/** A listed object of `kind` as written, as the file loader records it (undefined: no name). */
function liveWritten(
  item: unknown,
  kind: string,
  version: string,
  context: string,
): WrittenObject | undefined {
  const obj = asRecord(item);
  const meta = asRecord(obj?.metadata);
  if (!obj || !meta || typeof meta.name !== 'string' || !meta.name) return undefined;
  return {
    namespace: typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default',
    name: meta.name,
    raw: { apiVersion: `${GATEWAY_API_GROUP}/${version}`, kind, metadata: meta, spec: obj.spec ?? {} },
    cluster: context,
  };
}

/** A listed GRPCRoute, TCPRoute, TLSRoute or ReferenceGrant as the file loader records it. */
export function liveGatewayApiObject(
  item: unknown,
  kind: RouteKind,
  version: string,
  context: string,
): GatewayApiObject | undefined {
  const o = liveWritten(item, kind, version, context);
  return o && { kind, ...o };
}

/** A listed HTTPRoute as the file loader records it. */
export function liveHttpRoute(item: unknown, version: string, context: string): HttpRouteObject | undefined {
  return liveWritten(item, 'HTTPRoute', version, context);
}

export interface GatewayApiRead {
  /** the version each kind was read at */
  versions: Partial<Record<GatewayApiKind, string>>;
  /** a kind could not be read (forbidden): waypoints are unknown */
  missing: boolean;
  notes: ReadNote[];
  gateways: KubernetesGateway[];
  routes: HttpRouteObject[];
  /** GRPCRoutes, ReferenceGrants, TCPRoutes and TLSRoutes */
  objects: GatewayApiObject[];
}

const pluralOf = (kind: GatewayApiKind) => GATEWAY_API_PLURALS[kind];

/**
 * What discovery and the LISTs (one per served kind, in `served` order) found. Not served
 * is a note and not missing: without the CRDs no waypoint or HTTPRoute can exist.
 */
export function collectGatewayApi(
  discovery: GatewayApiDiscovery,
  outcomes: readonly ListOutcome[],
  context: string,
  namespace: string | undefined,
): GatewayApiRead {
  const read: GatewayApiRead = {
    versions: {},
    missing: false,
    notes: [],
    gateways: [],
    routes: [],
    objects: [],
  };
  if ('notServed' in discovery) {
    read.notes.push({
      reason: 'gateway-api-not-served',
      resource: `${GATEWAY_API_GROUP} (gateways, httproutes)`,
      kinds: [...CORE_KINDS],
    });
    return read;
  }
  if ('denied' in discovery) {
    read.missing = true;
    read.notes.push({
      reason: 'gateway-api-forbidden',
      resource: GATEWAY_API_GROUP,
      denied: discovery.denied,
    });
    return read;
  }
  const absent = CORE_KINDS.filter((k) => !discovery.served.some((g) => g.kind === k));
  if (absent.length)
    read.notes.push({
      reason: 'gateway-api-not-served',
      resource: absent.map((k) => gatewayApiResource(pluralOf(k))).join(', '),
      kinds: absent,
    });
  discovery.served.forEach((g, i) => {
    const outcome = outcomes[i];
    if (!outcome) return;
    const resource = gatewayApiResource(g.plural);
    if (!outcome.ok) {
      // forbidden: waypoints unknown (rules reading them are skipped); not served any more
      // (its CRD deleted since discovery): none exist
      if ('denied' in outcome) {
        read.missing = true;
        read.notes.push({ reason: 'gateway-api-forbidden', resource, denied: outcome.denied });
      } else read.notes.push({ reason: 'gateway-api-not-served', resource, kinds: [g.kind] });
      return;
    }
    read.versions[g.kind] = g.version;
    if (outcome.namespaceOnly && namespace)
      read.notes.push({
        reason: 'namespace-only',
        kind: 'Gateway',
        resource,
        namespace,
        denied: outcome.namespaceOnly,
      });
    for (const item of outcome.items) {
      if (g.kind === 'Gateway') {
        const gw = liveGateway(item, context);
        if (gw) read.gateways.push(gw);
      } else if (g.kind === 'HTTPRoute') {
        const route = liveHttpRoute(item, g.version, context);
        if (route) read.routes.push(route);
      } else {
        const o = liveGatewayApiObject(item, g.kind, g.version, context);
        if (o) read.objects.push(o);
      }
    }
  });
  return read;
}
