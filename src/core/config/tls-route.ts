// TLSRoute (gateway.networking.k8s.io/v1alpha2) as istiod 1.26 translates it when it
// reads the kind at all (PILOT_ENABLE_ALPHA_GATEWAY_API=true, gateway-api-alpha.ts):
// each rule is a VirtualService tls route matching the route's hostnames as SNI
// (convertTLSRoute, buildTLSMatch: none written is `*`; in the mesh, the parent
// Service's host, augmentTLSPortMatch), to its weighted backendRefs (all weights 0:
// connections go nowhere). At a class-istio Gateway it binds to TLS listeners in
// Passthrough mode, which the simulator routes by SNI; in the mesh, to the Service's
// TLS ports. TCPRoutes translate into tcp routes, which the simulator does not route.
import { alphaGatewayApiEnabled } from './gateway-api-alpha.ts';
import {
  asList,
  asRecord,
  asVirtualService,
  backendDestination,
  type Entry,
  isServiceRef,
  parentServices,
  weightSum,
} from './gateway-api-route.ts';
import type { HttpRouteObject } from './http-route.ts';
import { ingressListeners } from './k8s-gateway.ts';
import type { Resource } from './resource.ts';
import type { VirtualServiceSpec } from './schemas/index.ts';
import type { Snapshot } from './snapshot.ts';

/** The tls routes of a TLSRoute: one per rule, SNI `sni`, optional port. */
function tlsSpec(
  snapshot: Snapshot,
  route: HttpRouteObject,
  hosts: string[],
  sni: string[],
  port: number | undefined,
  gateways?: string[],
): Record<string, unknown> {
  const tls: Entry[] = [];
  for (const rule of asList(asRecord(route.raw.spec).rules)) {
    const refs = asList(rule.backendRefs);
    const match = [{ sniHosts: sni, ...(port !== undefined ? { port } : {}) }];
    // no backend with weight: istiod routes to a cluster that does not exist (closed)
    const backends = weightSum(refs) === 0 ? [] : refs.filter(isServiceRef);
    tls.push({
      match,
      route: backends.map((b) => ({
        destination: backendDestination(snapshot, route, b, gateways !== undefined).destination,
        weight: typeof b.weight === 'number' ? b.weight : 1,
      })),
    });
  }
  return { hosts, ...(gateways ? { gateways } : {}), tls };
}

const cache = new WeakMap<Snapshot, Resource<VirtualServiceSpec>[]>();

/** The TLSRoutes of a snapshot as VirtualServices, when istiod reads them (none by default). */
export function tlsRoutes(snapshot: Snapshot): Resource<VirtualServiceSpec>[] {
  let out = cache.get(snapshot);
  if (out) return out;
  out = [];
  if (alphaGatewayApiEnabled(snapshot)) {
    for (const route of snapshot.gatewayApiObjects('TLSRoute')) {
      const names = asRecord(route.raw.spec).hostnames;
      const written = (Array.isArray(names) ? names : []).filter((h): h is string => typeof h === 'string');
      for (const [host, port] of parentServices(route))
        out.push(
          asVirtualService(route, tlsSpec(snapshot, route, [host], written.length ? written : [host], port)),
        );
      for (const { gateway, hosts } of ingressListeners(snapshot, route))
        out.push(asVirtualService(route, tlsSpec(snapshot, route, hosts, hosts, undefined, [gateway])));
    }
  }
  cache.set(snapshot, out);
  return out;
}
