// GRPCRoute (gateway.networking.k8s.io/v1, GA in Istio 1.26) as istiod translates it
// (pilot/pkg/config/kube/gateway/conversion.go convertGRPCRoute): like an HTTPRoute,
// with the gRPC method as the path `/<service>/<method>` (createGRPCURIMatch: Exact
// service and method -> exact path, service only -> prefix `/<service>/`, method only
// -> regex `/[^/]+/<method>`; RegularExpression -> regex), header matches, weighted
// backendRefs (no weight at all: a direct 500) and three filters (the two header
// modifiers, RequestMirror). Any other filter, on the rule or on a backendRef, is
// istiod's InvalidFilter: the whole GRPCRoute makes no route.
import {
  asList,
  asRecord,
  dropRefusedMirrors,
  type Entry,
  fqdn,
  ruleBackends,
  str,
} from './gateway-api-route.ts';
import type { HttpRouteObject } from './http-route.ts';
import { gatewayApiOrder, headerMatches } from './http-route.ts';
import { ruleFilters } from './http-route-filters.ts';
import type { Snapshot } from './snapshot.ts';

const RULE_FILTERS = ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror'];
const BACKEND_FILTERS = ['RequestHeaderModifier', 'ResponseHeaderModifier'];

/** The path match a gRPC method match stands for (undefined: no method, or neither service nor method). */
export function grpcPathMatch(method: unknown): Record<string, string> | undefined {
  const m = asRecord(method);
  const service = str(m.service);
  const name = str(m.method);
  if (!service && !name) return undefined;
  if ((str(m.type) ?? 'Exact') === 'RegularExpression') {
    if (!name) return { regex: `/${service}/.+` };
    if (!service) return { regex: `/[^/]+/${name}` };
    return { regex: `/${service}/${name}` };
  }
  if (!name) return { prefix: `/${service}/` };
  if (!service) return { regex: `/[^/]+/${name}` };
  return { exact: `/${service}/${name}` };
}

function grpcMatch(m: Entry, port: number | undefined): Entry {
  const out: Entry = {};
  const uri = grpcPathMatch(m.method);
  if (uri) out.uri = uri;
  const headers = headerMatches(m.headers);
  if (headers) out.headers = headers;
  if (port !== undefined) out.port = port;
  return out;
}

/** Why istiod makes no route of this GRPCRoute (InvalidFilter, a match without service or method), if it does not. */
export function grpcRouteInvalid(route: HttpRouteObject): string | undefined {
  const rules = asList(asRecord(route.raw.spec).rules);
  for (const [n, rule] of rules.entries()) {
    for (const f of asList(rule.filters))
      if (!RULE_FILTERS.includes(String(f.type)))
        return `rules[${n}]: unsupported filter type "${String(f.type)}" (a GRPCRoute takes ${RULE_FILTERS.join(', ')})`;
    for (const b of asList(rule.backendRefs))
      for (const f of asList(b.filters))
        if (!BACKEND_FILTERS.includes(String(f.type)))
          return `rules[${n}].backendRefs: unsupported filter type "${String(f.type)}" (a backendRef takes ${BACKEND_FILTERS.join(', ')})`;
    for (const m of asList(rule.matches))
      if (m.method !== undefined && !grpcPathMatch(m.method))
        return `rules[${n}].matches: a method match needs service or method`;
  }
  return undefined;
}

/** The route (without its match) of one GRPCRoute rule; undefined when no backend is a Service. */
function ruleRoute(
  snapshot: Snapshot,
  route: HttpRouteObject,
  rule: Entry,
  enforce: boolean,
): Entry | undefined {
  const entry: Entry = { ...ruleFilters(rule.filters, route.namespace, fqdn) };
  if (enforce) dropRefusedMirrors(snapshot, route, entry);
  const backends = ruleBackends(snapshot, route, rule, enforce);
  return backends && { ...entry, ...backends };
}

/**
 * The VirtualService spec a GRPCRoute stands for at one parent (hosts, optional port,
 * gateways): one route per match, named `ns.route.N` after its rule, in Gateway API
 * precedence; undefined when istiod makes none (grpcRouteInvalid).
 */
export function grpcRouteSpec(
  snapshot: Snapshot,
  route: HttpRouteObject,
  hosts: string[],
  port: number | undefined,
  gateways?: string[],
): Record<string, unknown> | undefined {
  if (grpcRouteInvalid(route)) return undefined;
  const http: Entry[] = [];
  asList(asRecord(route.raw.spec).rules).forEach((rule, n) => {
    const base = ruleRoute(snapshot, route, rule, gateways !== undefined);
    if (!base) return;
    const name = `${route.namespace}.${route.name}.${n}`;
    const matches = asList(rule.matches);
    // no matches: every gRPC request (a route without a match; a port still applies)
    if (matches.length === 0)
      http.push({ name, ...(port !== undefined ? { match: [{ port }] } : {}), ...base });
    for (const m of matches) http.push({ name, match: [grpcMatch(m, port)], ...base });
  });
  http.sort(gatewayApiOrder);
  return { hosts, ...(gateways ? { gateways } : {}), http };
}
