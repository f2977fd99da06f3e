// VirtualService rules compiled for the router: HTTP rules (matches, weighted
// destinations normalized as Istio does, faults, timeouts, retries, mirrors)
// and tls rules (SNI + port, weighted destinations, nothing else: the proxy
// forwards the connection without reading it).
import { isGatewayApiRoute } from '../config/gateway-api-route.ts';
import { gatewayRef, hostCovers, toFqdn } from '../config/hosts.ts';
import { backendRefusedMessage, refusedBackend } from '../config/reference-grant.ts';
import { type HttpRoute, mirrorPercentOf, type TlsRoute } from '../config/schemas/index.ts';
import type { Snapshot, VirtualService } from '../config/snapshot.ts';
import type { ClusterBuilder } from './clusters.ts';
import { compileRuleMatch, compileSourceMatch, type RequestPredicate } from './match.ts';
import {
  compileFault,
  compileRetry,
  durationOrZero,
  type FaultPolicy,
  fraction,
  type RetryPolicy,
} from './route-policy.ts';
import { compileTransform, type RequestTransform } from './transform.ts';
import { type Cluster, F } from './types.ts';

export interface Mirror {
  cluster: Cluster;
  /** 0..1 */
  fraction: number;
}

/** The VirtualService rule a compiled rule comes from. */
export interface RuleSource {
  vs: VirtualService;
  kind: 'http' | 'tls';
  index: number;
  http?: HttpRoute;
}

export interface CompiledRule {
  /** `VirtualService default/reviews http[0]` (or `default route` when no VirtualService applies) */
  where: string;
  source?: RuleSource;
  /** routes a TLS connection (tcp proxy): no faults, timeouts, retries or mirrors */
  tls: boolean;
  match: RequestPredicate | undefined;
  action: 'route' | 'local' | 'delegate';
  /** the status of a redirect or direct response */
  status: number;
  /** response flags of a local reply (NC for a rule without destinations) */
  localFlags: number;
  clusters: Cluster[];
  /** cumulative normalized weights, last one 1 */
  cumulative: number[];
  fault: FaultPolicy | undefined;
  timeoutMs: number;
  retry: RetryPolicy | null;
  mirrors: Mirror[];
  delegate?: CompiledRule[];
  /** rewrite and request header changes, when the rule has any */
  transform?: RequestTransform;
  /** forwarded by ztunnel (ambient, no waypoint): no Envoy answers, a failure is a closed connection */
  l4?: boolean;
}

export function compileVirtualService(
  vs: VirtualService,
  snapshot: Snapshot,
  clusters: ClusterBuilder,
  port: number,
  depth = 0,
): CompiledRule[] {
  const out: CompiledRule[] = [];
  (vs.spec.http ?? []).forEach((r, i) => {
    const rule = compileRule(
      r,
      `VirtualService ${vs.namespace}/${vs.name} http[${i}]`,
      vs,
      snapshot,
      clusters,
      port,
      depth,
    );
    rule.source = { vs, kind: 'http', index: i, http: r };
    out.push(rule);
  });
  return out;
}

/**
 * A registry host's port for a destination without one: the port asked for when the
 * host has it (or is not registered), else the host's only port (pilot GetDestinationCluster).
 */
export function destinationPort(snapshot: Snapshot, fqdn: string, port: number): number {
  const svc = snapshot.service(fqdn);
  const ports = svc
    ? svc.ports.map((p) => p.port)
    : snapshot.serviceEntriesFor(fqdn).flatMap((se) => (se.spec.ports ?? []).map((p) => p.number ?? 0));
  if (ports.length === 0 || ports.includes(port)) return port;
  return ports[0]!;
}

/**
 * The tls rules of a VirtualService for a TLS connection with this SNI arriving on
 * `port` in a routing context (`mesh` or a Gateway `ns/name`). Port, gateways and
 * SNI are decided here, as Istio decides them when it builds the listener's filter
 * chains; source labels and namespace (sidecars only) stay predicates.
 * `destinationSubnets` is not simulated: such a match never applies.
 */
export function compileTlsRoutes(
  vs: VirtualService,
  snapshot: Snapshot,
  clusters: ClusterBuilder,
  context: string,
  sni: string,
  port: number,
): CompiledRule[] {
  const out: CompiledRule[] = [];
  const gateway = context !== 'mesh';
  (vs.spec.tls ?? []).forEach((r, i) => {
    const preds: RequestPredicate[] = [];
    let any = (r.match ?? []).length === 0;
    for (const m of r.match ?? []) {
      if (m.destinationSubnets?.length) continue;
      if (m.port !== undefined && m.port !== port) continue;
      if (m.gateways?.length && !m.gateways.some((g) => gatewayRef(g, vs.namespace) === context)) continue;
      if (m.sniHosts?.length && !m.sniHosts.some((h) => hostCovers(toFqdn(h, vs.namespace), sni))) continue;
      // gateways ignore source labels and namespace on tls matches (pilot l4SingleMatch)
      const p = gateway ? undefined : compileSourceMatch(m.sourceLabels, m.sourceNamespace);
      if (!p) any = true;
      else preds.push(p);
    }
    if (!any && preds.length === 0) return;
    const rule = compileTlsRule(
      r,
      vs.raw.kind === 'TLSRoute'
        ? `TLSRoute ${vs.namespace}/${vs.name} rules[${i}]`
        : `VirtualService ${vs.namespace}/${vs.name} tls[${i}]`,
      vs,
      snapshot,
      clusters,
      port,
    );
    rule.source = { vs, kind: 'tls', index: i };
    if (!any) rule.match = (req, caller, ctx) => preds.some((p) => p(req, caller, ctx));
    out.push(rule);
  });
  return out;
}

function compileTlsRule(
  r: TlsRoute,
  where: string,
  vs: VirtualService,
  snapshot: Snapshot,
  clusters: ClusterBuilder,
  port: number,
): CompiledRule {
  const rule = emptyRule(where, undefined, true);
  rule.retry = null;
  addDestinations(rule, r.route ?? [], vs, snapshot, clusters, port);
  return rule;
}

function emptyRule(where: string, match: RequestPredicate | undefined, tls: boolean): CompiledRule {
  return {
    where,
    tls,
    match,
    action: 'route',
    status: 0,
    localFlags: 0,
    clusters: [],
    cumulative: [],
    fault: undefined,
    timeoutMs: 0,
    retry: null,
    mirrors: [],
  };
}

type RouteDestination = NonNullable<HttpRoute['route']>[number];

/**
 * Weighted destinations: a lone destination gets all traffic whatever its weight;
 * otherwise 0-weight ones are dropped and each other one gets weight/sum (pilot
 * route.go applyHTTPRouteDestination; tcp proxy weighted clusters alike). Returns
 * the destinations kept, in the order of the rule's clusters.
 */
function addDestinations<D extends RouteDestination>(
  rule: CompiledRule,
  route: readonly D[],
  vs: VirtualService,
  snapshot: Snapshot,
  clusters: ClusterBuilder,
  port: number,
): D[] {
  const dests = route.filter((d) => d.destination?.host);
  let weighted = dests.length === 1 ? dests : dests.filter((d) => (d.weight ?? 0) > 0);
  if (weighted.length === 0) weighted = dests.slice(0, 1);
  const total = weighted.length === 1 ? 1 : weighted.reduce((s, d) => s + (d.weight ?? 0), 0);
  let acc = 0;
  for (const d of weighted) {
    const dest = d.destination!;
    rule.clusters.push(
      resolveCluster(snapshot, clusters, vs, dest.host!, dest.subset, dest.port?.number, port),
    );
    acc += weighted.length === 1 ? 1 : (d.weight ?? 0) / total;
    rule.cumulative.push(acc);
  }
  if (rule.cumulative.length > 0) rule.cumulative[rule.cumulative.length - 1] = 1;
  else {
    rule.action = 'local';
    rule.status = 503;
    rule.localFlags = F.NC;
  }
  return weighted;
}

function resolveCluster(
  snapshot: Snapshot,
  clusters: ClusterBuilder,
  vs: VirtualService,
  host: string,
  subset: string | undefined,
  p: number | undefined,
  port: number,
): Cluster {
  // a backendRef a ReferenceGrant does not allow: no cluster, its share gets 500 (reference-grant.ts)
  const refused = refusedBackend(host);
  if (refused)
    return clusters.absent(
      host,
      subset,
      p,
      `${backendRefusedMessage(String(vs.raw.kind), refused.namespace, refused.name, vs.namespace)}: RefNotPermitted, no ReferenceGrant in namespace ${refused.namespace} lets a ${String(vs.raw.kind)} from ${vs.namespace} name Service ${refused.name}; istiod routes this share nowhere and the Gateway answers 500`,
      500,
    );
  const fqdn = toFqdn(host, vs.namespace);
  return clusters.cluster(fqdn, subset, p ?? destinationPort(snapshot, fqdn, port));
}

function compileRule(
  r: HttpRoute,
  where: string,
  vs: VirtualService,
  snapshot: Snapshot,
  clusters: ClusterBuilder,
  port: number,
  depth: number,
): CompiledRule {
  const rule = emptyRule(where, compileRuleMatch(r.match, vs.namespace, isGatewayApiRoute(vs)), false);
  rule.fault = compileFault(r.fault);
  rule.timeoutMs = durationOrZero(r.timeout);
  rule.retry = compileRetry(r.retries);
  if (r.redirect) {
    rule.action = 'local';
    rule.status = r.redirect.redirectCode ?? 301;
    return rule;
  }
  if (r.directResponse) {
    rule.action = 'local';
    rule.status = r.directResponse.status ?? 200;
    return rule;
  }
  if (r.delegate) {
    rule.action = 'delegate';
    const ns = r.delegate.namespace ?? vs.namespace;
    const target = snapshot.virtualServices.find((v) => v.name === r.delegate?.name && v.namespace === ns);
    rule.delegate =
      target && depth < 4 ? compileVirtualService(target, snapshot, clusters, port, depth + 1) : [];
    return rule;
  }
  const resolve = (host: string, subset: string | undefined, p: number | undefined): Cluster =>
    resolveCluster(snapshot, clusters, vs, host, subset, p, port);
  const weighted = addDestinations(rule, r.route ?? [], vs, snapshot, clusters, port);
  const transform = compileTransform(
    r,
    weighted.map((d) => d.headers),
    vs.namespace,
    isGatewayApiRoute(vs),
  );
  if (transform) rule.transform = transform;
  if (r.mirror?.host) {
    // mirrorPercentage (or the deprecated mirrorPercent) absent = 100%, an explicit 0 turns mirroring off
    const f = fraction(mirrorPercentOf(r));
    rule.mirrors.push({
      cluster: resolve(r.mirror.host, r.mirror.subset, r.mirror.port?.number),
      fraction: f,
    });
  }
  for (const m of r.mirrors ?? []) {
    const d = m.destination;
    if (!d?.host) continue;
    const f = m.percentage ? fraction(m.percentage.value ?? 0) : 1;
    rule.mirrors.push({ cluster: resolve(d.host, d.subset, d.port?.number), fraction: f });
  }
  return rule;
}

/**
 * The route Istio generates for a host without a VirtualService (default retry
 * policy), or the tcp proxy to the host's cluster for a TLS connection.
 */
export function defaultRule(cluster: Cluster, where = 'default route', tls = false): CompiledRule {
  const rule = emptyRule(where, undefined, tls);
  rule.clusters.push(cluster);
  rule.cumulative.push(1);
  rule.retry = tls ? null : compileRetry(undefined);
  return rule;
}

/** Picks a destination by normalized weight (its index in `rule.clusters`). */
export function pickIndex(rule: CompiledRule, u: number): number {
  const cum = rule.cumulative;
  for (let i = 0; i < cum.length - 1; i++) if (u < cum[i]!) return i;
  return cum.length - 1;
}

/** Picks a destination by normalized weight. */
export function pickCluster(rule: CompiledRule, u: number): Cluster {
  return rule.clusters[pickIndex(rule, u)]!;
}
