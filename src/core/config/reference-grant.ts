// ReferenceGrant (gateway.networking.k8s.io v1beta1): a reference from a route or
// Gateway to an object in another namespace is refused unless a ReferenceGrant in the
// target's namespace allows it, as istiod 1.26 reads them (pilot/pkg/config/kube/
// gateway/references_collection.go): `from` a Gateway, HTTPRoute, GRPCRoute, TLSRoute
// or TCPRoute (group gateway.networking.k8s.io) in a namespace, `to` a Service or a
// Secret (group ""), by name or all of them. Other kinds are ignored (another
// controller's). istiod checks backendRefs only for routes bound to a Gateway
// (enforceRefGrant is `!mesh` in route_collections.go): a mesh route (parent a
// Service) may name a Service in any namespace.
import { GATEWAY_API_GROUP } from './load-gateway-api.ts';
import type { Snapshot } from './snapshot.ts';

export type ReferenceFrom = 'Gateway' | 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute';
export type ReferenceTo = 'Service' | 'Secret';

const FROM_KINDS: readonly string[] = ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'];

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const asList = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(asRecord) : []);

/** Does a ReferenceGrant in `toNamespace` let a `from` in `fromNamespace` name the `to` object `toName`? */
export function referenceAllowed(
  snapshot: Snapshot,
  from: ReferenceFrom,
  fromNamespace: string,
  to: ReferenceTo,
  toNamespace: string,
  toName: string,
): boolean {
  if (fromNamespace === toNamespace) return true;
  for (const grant of snapshot.gatewayApiObjects('ReferenceGrant')) {
    if (grant.namespace !== toNamespace) continue;
    const spec = asRecord(grant.raw.spec);
    const fromOk = asList(spec.from).some(
      (f) =>
        f.group === GATEWAY_API_GROUP &&
        FROM_KINDS.includes(String(f.kind)) &&
        f.kind === from &&
        f.namespace === fromNamespace,
    );
    if (!fromOk) continue;
    const toOk = asList(spec.to).some(
      (t) =>
        (t.group ?? '') === '' &&
        t.kind === to &&
        (t.name === undefined || t.name === null || t.name === toName),
    );
    if (toOk) return true;
  }
  return false;
}

/** istiod's status message for a refused backendRef (reason RefNotPermitted). */
export function backendRefusedMessage(
  kind: string,
  namespace: string,
  name: string,
  routeNs: string,
): string {
  return `backendRef ${name}/${namespace} not accessible to a ${kind} in namespace "${routeNs}" (missing a ReferenceGrant?)`;
}

/**
 * A refused backend in a translated route: istiod keeps it as an empty destination,
 * which no cluster serves, so its share of requests gets 500 (Gateway API's rule for
 * an invalid backendRef). The simulator names it by this host (a reserved TLD).
 */
const REFUSED = '.ref-not-permitted.invalid';

export const refusedBackendHost = (name: string, namespace: string): string =>
  `${name}.${namespace}${REFUSED}`;

/** The backend a refused host stands for (`name`, `namespace`), or undefined for any other host. */
export function refusedBackend(host: string): { name: string; namespace: string } | undefined {
  if (!host.endsWith(REFUSED)) return undefined;
  const [name = '', namespace = ''] = host.slice(0, -REFUSED.length).split('.');
  return { name, namespace };
}
