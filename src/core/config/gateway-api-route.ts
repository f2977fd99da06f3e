// What the Gateway API route kinds share as istiod translates them into
// VirtualServices (pilot/pkg/config/kube/gateway/conversion.go): their parents (a
// Service for the mesh, a Gateway for ingress), their backendRefs as weighted
// destinations (a cross-namespace one refused without a ReferenceGrant when the
// route is bound to a Gateway), and the VirtualService resource the simulator reads,
// which keeps the route as its `raw` object.
import type { HttpRouteObject } from './http-route.ts';
import { backendHeaders } from './http-route-filters.ts';
import {
  backendRefusedMessage,
  type ReferenceFrom,
  referenceAllowed,
  refusedBackendHost,
} from './reference-grant.ts';
import type { FieldPath, Position, Resource } from './resource.ts';
import { parseSpec, type VirtualServiceSpec } from './schemas/index.ts';
import type { Snapshot } from './snapshot.ts';

export const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
export const asList = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(asRecord) : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const fqdn = (name: string, ns: string): string => `${name}.${ns}.svc.cluster.local`;

export type Entry = Record<string, unknown>;

/** The route kinds that translate into http rules (a VirtualService's `http`). */
export const HTTP_ROUTE_KINDS: readonly string[] = ['HTTPRoute', 'GRPCRoute'];

/** Is this translated VirtualService an HTTPRoute or GRPCRoute (Gateway API semantics)? */
export const isGatewayApiRoute = (vs: Resource): boolean => HTTP_ROUTE_KINDS.includes(String(vs.raw.kind));

/** The sum of a rule's backend weights (an unset weight counts 1), as istiod's weightSum. */
export function weightSum(backends: Record<string, unknown>[]): number {
  return backends.reduce((s, b) => s + (typeof b.weight === 'number' ? b.weight : 1), 0);
}

/** A backendRef of kind Service (the default) in the core group, with a name. */
export const isServiceRef = (b: Record<string, unknown>): boolean =>
  (str(b.kind) ?? 'Service') === 'Service' && (str(b.group) ?? '') === '' && str(b.name) !== undefined;

/**
 * The destination a Service backendRef stands for. `enforce` (a route bound to a
 * Gateway): a Service in another namespace needs a ReferenceGrant there, else the
 * destination is the refused host (reference-grant.ts) and `refused` says why.
 */
export function backendDestination(
  snapshot: Snapshot,
  route: HttpRouteObject,
  b: Record<string, unknown>,
  enforce: boolean,
): { destination: Entry; refused?: string } {
  const name = String(b.name);
  const ns = str(b.namespace) ?? route.namespace;
  const port = typeof b.port === 'number' ? { port: { number: b.port } } : {};
  const kind = String(route.raw.kind) as ReferenceFrom;
  if (
    enforce &&
    ns !== route.namespace &&
    !referenceAllowed(snapshot, kind, route.namespace, 'Service', ns, name)
  )
    return {
      destination: { host: refusedBackendHost(name, ns), ...port },
      refused: backendRefusedMessage(kind, ns, name, route.namespace),
    };
  return { destination: { host: fqdn(name, ns), ...port } };
}

/**
 * Where an HTTPRoute or GRPCRoute rule's backendRefs send a request: no backend with
 * weight, a direct 500 (the spec's rule, as istiod); else its Service backends,
 * weighted, each with its header filters. Undefined when none is a Service: backends
 * of other kinds are not simulated, so the rule is left out.
 */
export function ruleBackends(
  snapshot: Snapshot,
  route: HttpRouteObject,
  rule: Entry,
  enforce: boolean,
): Entry | undefined {
  const refs = asList(rule.backendRefs);
  if (weightSum(refs) === 0) return { directResponse: { status: 500 } };
  const backends = refs.filter(isServiceRef);
  if (backends.length === 0) return undefined;
  return {
    route: backends.map((b) => {
      const headers = backendHeaders(b.filters);
      return {
        destination: backendDestination(snapshot, route, b, enforce).destination,
        weight: typeof b.weight === 'number' ? b.weight : 1,
        ...(headers ? { headers } : {}),
      };
    }),
  };
}

/** The parent Services of a route: `[fqdn, port]` (kind Service, group "" or core). */
export function parentServices(route: HttpRouteObject): [string, number | undefined][] {
  const out: [string, number | undefined][] = [];
  for (const p of asList(asRecord(route.raw.spec).parentRefs)) {
    const group = typeof p.group === 'string' ? p.group : 'gateway.networking.k8s.io';
    if (str(p.kind) !== 'Service' || (group !== '' && group !== 'core') || !str(p.name)) continue;
    out.push([
      fqdn(String(p.name), str(p.namespace) ?? route.namespace),
      typeof p.port === 'number' ? p.port : undefined,
    ]);
  }
  return out;
}

/** The Gateway parents of a route (kind Gateway, the default; group gateway.networking.k8s.io). */
export function parentGateways(route: HttpRouteObject): Record<string, unknown>[] {
  return asList(asRecord(route.raw.spec).parentRefs).filter(
    (p) =>
      (str(p.kind) ?? 'Gateway') === 'Gateway' &&
      (typeof p.group === 'string' ? p.group : 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io' &&
      str(p.name),
  );
}

/** `namespace/name` of a Gateway parentRef (the route's namespace unless it names one). */
export const parentGatewayKey = (route: HttpRouteObject, parent: Record<string, unknown>): string =>
  `${str(parent.namespace) ?? route.namespace}/${String(parent.name)}`;

/** The route as the VirtualService `spec` stands for (its `raw` stays the route). */
export function asVirtualService(
  route: HttpRouteObject,
  spec: Record<string, unknown>,
): Resource<VirtualServiceSpec> {
  const parsed = parseSpec('VirtualService', spec).spec;
  const at: Position = route.cluster ? {} : { file: route.file, line: route.line };
  return {
    apiVersion: String(route.raw.apiVersion),
    kind: 'VirtualService',
    name: route.name,
    namespace: route.namespace,
    labels: {},
    spec: parsed as VirtualServiceSpec,
    raw: route.raw,
    origin: route.cluster ? { cluster: route.cluster } : { file: route.file, line: route.line },
    locate: (_path: FieldPath) => at,
  };
}

/**
 * A rule's mirrors without those a ReferenceGrant does not allow (a route bound to a
 * Gateway mirroring to a Service in another namespace: istiod adds no mirror for it).
 */
export function dropRefusedMirrors(snapshot: Snapshot, route: HttpRouteObject, entry: Entry): void {
  if (!Array.isArray(entry.mirrors)) return;
  const kind = String(route.raw.kind) as ReferenceFrom;
  const kept = (entry.mirrors as Entry[]).filter((m) => {
    const [name = '', ns = ''] = String(asRecord(m.destination).host).split('.');
    return ns === route.namespace || referenceAllowed(snapshot, kind, route.namespace, 'Service', ns, name);
  });
  if (kept.length > 0) entry.mirrors = kept;
  else delete entry.mirrors;
}
