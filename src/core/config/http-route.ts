// Gateway API HTTPRoutes for the mesh (GAMMA): a route whose parentRef is a
// Service routes the traffic sent to that Service, at a sidecar client or at the
// waypoint that serves the Service in ambient, as a VirtualService for the
// Service's host would. The simulator reads each one translated into the
// VirtualService it stands for (matches, weighted backendRefs, request timeout).
// Filters become the VirtualService fields istiod makes of them (http-route-filters.ts).
// PathPrefix matches whole path
// segments (`/foo` matches `/foo` and `/foo/bar`, not `/foobar`): the translated
// rule keeps `prefix`, and the simulator matches it as Envoy's path_separated_prefix
// for a rule whose source is an HTTPRoute (sim/match.ts), as istiod does.

import {
  asList,
  asRecord,
  asVirtualService,
  dropRefusedMirrors,
  type Entry,
  fqdn,
  isGatewayApiRoute,
  parentGatewayKey,
  parentGateways,
  parentServices,
  ruleBackends,
  str,
} from './gateway-api-route.ts';
import { grpcRouteSpec } from './grpc-route.ts';
import { httpRouteInvalid, ruleFilters } from './http-route-filters.ts';
import { derivedListener, ingressListeners, listenerVerdicts } from './k8s-gateway.ts';
import type { Resource } from './resource.ts';
import type { VirtualServiceSpec } from './schemas/index.ts';
import type { Snapshot } from './snapshot.ts';
import type { WrittenObject } from './written-object.ts';

/** An HTTPRoute as written (gateway.networking.k8s.io v1 or v1beta1). */
export type HttpRouteObject = WrittenObject;

export function stringMatch(type: unknown, value: string, dflt: 'exact' | 'prefix'): Record<string, string> {
  if (type === 'RegularExpression') return { regex: value };
  // istiod's createURIMatch: "a trailing `/` is ignored" (except the root `/`)
  if (type === 'PathPrefix') return { prefix: value !== '/' ? value.replace(/\/$/, '') : value };
  if (type === 'Exact') return { exact: value };
  return { [dflt]: value };
}

/** A route match's header matches, by lowercased name (undefined: none). */
export function headerMatches(written: unknown): Entry | undefined {
  const headers: Entry = {};
  for (const h of asList(written)) {
    const name = str(h.name);
    if (name) headers[name.toLowerCase()] = stringMatch(h.type, String(h.value ?? ''), 'exact');
  }
  return Object.keys(headers).length > 0 ? headers : undefined;
}

function match(m: Record<string, unknown>, port: number | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const path = asRecord(m.path);
  const value = str(path.value) ?? '/';
  out.uri = stringMatch(path.type ?? 'PathPrefix', value, 'prefix');
  const headers = headerMatches(m.headers);
  if (headers) out.headers = headers;
  const query: Record<string, unknown> = {};
  for (const q of asList(m.queryParams)) {
    const name = str(q.name);
    if (name) query[name] = stringMatch(q.type, String(q.value ?? ''), 'exact');
  }
  if (Object.keys(query).length > 0) out.queryParams = query;
  const method = str(m.method);
  if (method) out.method = { exact: method };
  if (port !== undefined) out.port = port;
  return out;
}

/** Exact 3, prefix 2, regex 1, no uri -1 (istiod's getURIRank). */
function uriRank(m: Entry | undefined): number {
  const uri = asRecord(m?.uri);
  return 'exact' in uri ? 3 : 'prefix' in uri ? 2 : 'regex' in uri ? 1 : -1;
}
const uriLength = (m: Entry | undefined): number => {
  const uri = asRecord(m?.uri);
  return String(uri.exact ?? uri.prefix ?? uri.regex ?? '').length;
};
const count = (v: unknown): number => Object.keys(asRecord(v)).length;

/**
 * Gateway API precedence, as istiod's sortHTTPRoutes orders the routes it generates
 * (one match each): a route without a match last; then exact before prefix before
 * regex, the longer path first, a method match first, more header matches, more query
 * matches. Stable: ties keep the order written.
 */
export function gatewayApiOrder(a: { match?: unknown[] }, b: { match?: unknown[] }): number {
  const ma = a.match?.[0] as Entry | undefined;
  const mb = b.match?.[0] as Entry | undefined;
  if (!ma || !mb) return ma ? -1 : mb ? 1 : 0;
  const ra = uriRank(ma);
  const rb = uriRank(mb);
  if (ra !== rb) return rb - ra;
  const la = uriLength(ma);
  const lb = uriLength(mb);
  if (la !== lb) return lb - la;
  if (!ma.method !== !mb.method) return ma.method ? -1 : 1;
  if (count(ma.headers) !== count(mb.headers)) return count(mb.headers) - count(ma.headers);
  return count(mb.queryParams) - count(ma.queryParams);
}

/** The index of the HTTPRoute rule a translated route came from (its name: `ns.route.N`). */
export function httpRouteRuleIndex(name: string | undefined): number | undefined {
  const n = name?.slice(name.lastIndexOf('.') + 1);
  return n && /^\d+$/.test(n) ? Number(n) : undefined;
}

/**
 * The route (without its match) one HTTPRoute rule stands for; undefined when it routes
 * nowhere simulated. `enforce`: bound to a Gateway, so a backendRef to another namespace
 * needs a ReferenceGrant (gateway-api-route.ts).
 */
function ruleRoute(
  snapshot: Snapshot,
  route: HttpRouteObject,
  rule: Entry,
  enforce: boolean,
): Entry | undefined {
  const entry: Entry = { ...ruleFilters(rule.filters, route.namespace, fqdn) };
  // a RequestMirror to a Service a ReferenceGrant does not allow: istiod adds no mirror
  if (enforce) dropRefusedMirrors(snapshot, route, entry);
  if (!entry.redirect) {
    // a direct 500 or the weighted Services; none a Service: the rule is left out
    const backends = ruleBackends(snapshot, route, rule, enforce);
    if (!backends) return undefined;
    Object.assign(entry, backends);
  }
  const timeout = str(asRecord(rule.timeouts).request);
  if (timeout && !entry.redirect && !entry.directResponse) entry.timeout = timeout;
  return entry;
}

/**
 * The VirtualService spec an HTTPRoute stands for, for one parent (`hosts`, optional
 * port, gateways): as istiod, one route per match (named `ns.route.N` after its rule),
 * in Gateway API precedence order.
 */
function httpRouteSpec(
  snapshot: Snapshot,
  route: HttpRouteObject,
  hosts: string[],
  port: number | undefined,
  gateways?: string[],
): Record<string, unknown> | undefined {
  if (httpRouteInvalid(asRecord(route.raw.spec).rules)) return undefined;
  const http: Entry[] = [];
  asList(asRecord(route.raw.spec).rules).forEach((rule, n) => {
    const base = ruleRoute(snapshot, route, rule, gateways !== undefined);
    if (!base) return;
    const matches = asList(rule.matches);
    // no matches: the CRD's default, PathPrefix /
    for (const m of matches.length > 0 ? matches : [{}])
      http.push({ name: `${route.namespace}.${route.name}.${n}`, match: [match(m, port)], ...base });
  });
  http.sort(gatewayApiOrder);
  return { hosts, ...(gateways ? { gateways } : {}), http };
}

/** The HTTPRoutes and GRPCRoutes of a snapshot (both translate into http rules). */
function routesOf(snapshot: Snapshot): HttpRouteObject[] {
  return [...snapshot.httpRoutes(), ...snapshot.gatewayApiObjects('GRPCRoute')];
}

/** The VirtualService spec a route stands for at one parent (undefined: istiod makes none). */
function translate(
  snapshot: Snapshot,
  route: HttpRouteObject,
  hosts: string[],
  port: number | undefined,
  gateways?: string[],
): Record<string, unknown> | undefined {
  return route.raw.kind === 'GRPCRoute'
    ? grpcRouteSpec(snapshot, route, hosts, port, gateways)
    : httpRouteSpec(snapshot, route, hosts, port, gateways);
}

const cache = new WeakMap<Snapshot, Resource<VirtualServiceSpec>[]>();
const gatewayCache = new WeakMap<Snapshot, Resource<VirtualServiceSpec>[]>();

/**
 * The mesh HTTPRoutes of a snapshot as VirtualServices (one per parent Service), each
 * carrying the HTTPRoute as its `raw` object (kind HTTPRoute), for the route tables.
 */
export function meshRoutes(snapshot: Snapshot): Resource<VirtualServiceSpec>[] {
  let out = cache.get(snapshot);
  if (out) return out;
  out = [];
  for (const route of routesOf(snapshot))
    for (const [host, port] of parentServices(route)) {
      const spec = translate(snapshot, route, [host], port);
      if (spec) out.push(asVirtualService(route, spec));
    }
  cache.set(snapshot, out);
  return out;
}

/**
 * The HTTPRoutes bound to class-`istio` Gateways, as VirtualServices bound to the
 * listeners (Istio Gateways) that accept them: the route's hostnames that fit the
 * listener's, from namespaces its allowedRoutes lets in (config/k8s-gateway.ts).
 */
export function gatewayRoutes(snapshot: Snapshot): Resource<VirtualServiceSpec>[] {
  let out = gatewayCache.get(snapshot);
  if (out) return out;
  out = [];
  for (const route of routesOf(snapshot))
    for (const { gateway, hosts } of ingressListeners(snapshot, route)) {
      const spec = translate(snapshot, route, hosts, undefined, [gateway]);
      if (spec) out.push(asVirtualService(route, spec));
    }
  gatewayCache.set(snapshot, out);
  return out;
}

/**
 * For the Istio Gateway istiod makes of a class-istio listener (`ref`): the HTTPRoutes
 * that name its Gateway as parent, each with the hosts the listener takes from it or why
 * it is not attached there. Empty for any other Gateway.
 */
export function listenerRouteNotes(snapshot: Snapshot, ref: string): string[] {
  const at = derivedListener(snapshot, ref);
  if (!at) return [];
  const { gateway: gw, listener } = at;
  const notes: string[] = [];
  for (const route of routesOf(snapshot)) {
    for (const parent of parentGateways(route)) {
      if (parentGatewayKey(route, parent) !== `${gw.namespace}/${gw.name}`) continue;
      const v = listenerVerdicts(snapshot, route, gw, parent).find((x) => x.listener === listener);
      const name = `${String(route.raw.kind)} ${route.namespace}/${route.name}`;
      if (!v) continue;
      if (v.hosts.length > 0)
        notes.push(`${name} is attached to listener ${listener} for ${v.hosts.join(', ')}`);
      else if (v.refused) notes.push(`${name} is not attached to listener ${listener}: ${v.refused}`);
      else notes.push(`${name} names another listener or port (sectionName/port), not ${listener}`);
    }
  }
  return notes;
}

/** `VirtualService default/reviews` or `HTTPRoute default/reviews`: what a compiled rule came from. */
export function routeSourceName(vs: Resource): string {
  return `${isGatewayApiRoute(vs) ? String(vs.raw.kind) : 'VirtualService'} ${vs.namespace}/${vs.name}`;
}
