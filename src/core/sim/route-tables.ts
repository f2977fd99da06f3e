// Route tables and decisions: the compiled rules per (routing context, host, port)
// and what a caller's proxy decides. The Gateway server that accepts a request is
// found in gateway-servers.ts; what happens without a route, in fallbacks.ts.
import { ambientOf } from '../config/ambient.ts';
import { isGatewayApiRoute } from '../config/gateway-api-route.ts';
import { hostCovers, hostsOverlap, toFqdn } from '../config/hosts.ts';
import { gatewayApiOrder, gatewayRoutes, httpRouteRuleIndex, meshRoutes } from '../config/http-route.ts';
import { type SidecarScope, sidecarScope } from '../config/sidecar-scope.ts';
import type { Snapshot, VirtualService } from '../config/snapshot.ts';
import { tlsRoutes } from '../config/tls-route.ts';
import type { ClusterBuilder } from './clusters.ts';
import { corsPreflight } from './cors.ts';
import { Fallbacks } from './fallbacks.ts';
import { credentialCheck } from './gateway-credentials.ts';
import { gatewayServer, hasListener, needsClientCert, tlsOnlyPort } from './gateway-servers.ts';
import { registered, registryTls, serviceEntryPort } from './registry.ts';
import { type CompiledRule, compileTlsRoutes, compileVirtualService } from './routes.ts';
import { type Caller, F, type GatewayServerMatch, type RouteEntry, type SimRequest } from './types.ts';

export type Decision =
  | { kind: 'route'; rule: CompiledRule }
  /**
   * answered by the proxy itself (404 NR, a redirect, 502 to BlackHoleCluster ...);
   * status 0: a TLS connection closed without a response. `unsupported`: what the
   * simulator does not model happens here (the text says what).
   */
  | {
      kind: 'local';
      status: number;
      flags: number;
      cluster?: string;
      rule?: CompiledRule;
      unsupported?: string;
      /** no listener on the port: the connection is refused, nothing is logged (curl exit 7) */
      refused?: true;
      /** a CORS preflight the proxy answers itself (cors.ts): why */
      preflight?: string;
    };

const NO_ROUTE: Decision = { kind: 'local', status: 404, flags: F.NR };
/** a TLS connection no filter chain accepts: closed without a response, flag NR */
const CLOSED: Decision = { kind: 'local', status: 0, flags: F.NR };
/** a gateway port no Gateway server opens: no listener, the connection is refused */
const NO_LISTENER: Decision = { kind: 'local', status: 0, flags: 0, refused: true };
/** an HTTP server with tls.httpsRedirect: 301 to https for every request */
const HTTPS_REDIRECT: Decision = { kind: 'local', status: 301, flags: 0 };
/** the TLS handshake fails (no client certificate for a MUTUAL server, plaintext to a TLS port): no HTTP status */
const HANDSHAKE_FAILED: Decision = { kind: 'local', status: 0, flags: 0 };

export function firstMatch(
  rules: CompiledRule[],
  req: SimRequest,
  caller: Caller,
  context: string,
): CompiledRule | undefined {
  for (const rule of rules) {
    if (rule.match && !rule.match(req, caller, context)) continue;
    if (rule.action === 'delegate') return firstMatch(rule.delegate ?? [], req, caller, context);
    return rule;
  }
  return undefined;
}

interface HostIndex {
  /** VirtualServices by host pattern, as written (FQDN), in input order */
  exact: Map<string, VirtualService[]>;
  wildcards: { pattern: string; vs: VirtualService }[];
}

/** The route tables of one mesh, compiled on first use and cached. */
export class RouteTables {
  private readonly snapshot: Snapshot;
  private readonly clusters: ClusterBuilder;
  private readonly vsByContext = new Map<string, VirtualService[]>();
  private readonly tlsVsByContext = new Map<string, VirtualService[]>();
  private readonly tables = new Map<string, CompiledRule[] | null>();
  private readonly tlsTables = new Map<string, CompiledRule[] | null>();
  private readonly fallbacks: Fallbacks;
  private readonly hostIndexes = new Map<string, HostIndex>();

  constructor(snapshot: Snapshot, clusters: ClusterBuilder) {
    this.snapshot = snapshot;
    this.clusters = clusters;
    this.fallbacks = new Fallbacks(snapshot, clusters);
    // HTTPRoutes route as the VirtualServices they translate to: in the mesh for a Service
    // parent, at the Gateway's listeners for a class-istio Gateway parent
    for (const vs of [
      ...snapshot.virtualServices,
      ...meshRoutes(snapshot),
      ...gatewayRoutes(snapshot),
      ...tlsRoutes(snapshot),
    ]) {
      for (const [byContext, present] of [
        [this.vsByContext, (vs.spec.http?.length ?? 0) > 0],
        [this.tlsVsByContext, (vs.spec.tls?.length ?? 0) > 0],
      ] as const) {
        if (!present) continue;
        for (const ref of snapshot.gatewayRefs(vs)) {
          let list = byContext.get(ref);
          if (!list) byContext.set(ref, (list = []));
          list.push(vs);
        }
      }
    }
  }

  /** The routing decision for a request (before weights are drawn). */
  decide(caller: Caller, req: SimRequest): Decision {
    if (caller.direct) return this.fallbacks.direct(req);
    // ambient: ztunnel forwards at L4; only a waypoint serving the Service routes (and applies VirtualServices)
    if (caller.ambient && !ambientOf(this.snapshot).serviceWaypoint(req.host))
      return this.fallbacks.direct(req, true);
    let e = req.route;
    if (!e || e.caller !== caller) req.route = e = this.entry(caller, req);
    if (e.fallback) return e.fallback;
    const rule = firstMatch(e.rules!, req, caller, e.context);
    if (!rule) return e.noMatch ?? NO_ROUTE;
    const preflight = corsPreflight(rule, req);
    if (preflight) return { kind: 'local', status: 200, flags: 0, rule, preflight };
    if (rule.action === 'local') return { kind: 'local', status: rule.status, flags: rule.localFlags, rule };
    return { kind: 'route', rule };
  }

  /** What the caller's proxy has for the request's host and port (computed once per request template). */
  entry(caller: Caller, req: SimRequest): RouteEntry {
    if (caller.gateway) {
      if (!hasListener(this.snapshot, caller, req))
        return { caller, context: '', rules: null, fallback: NO_LISTENER, tls: req.scheme === 'https' };
      const server = this.gatewayServer(caller, req);
      if (!server) {
        const tls = req.scheme === 'https';
        // plaintext to a port only TLS servers listen on: no filter chain takes it
        if (!tls && req.scheme === 'http' && req.explicitPort && tlsOnlyPort(this.snapshot, caller, req.port))
          return { caller, context: '', rules: null, fallback: HANDSHAKE_FAILED, tls: false };
        return { caller, context: '', rules: null, fallback: tls ? CLOSED : NO_ROUTE, tls };
      }
      const context = server.gateway;
      const cert =
        server.mode === 'https' && req.scheme === 'https' ? needsClientCert(server.tlsMode) : undefined;
      if (cert === 'istio' || (cert === 'any' && !req.clientCert))
        return { caller, context, server, rules: null, fallback: HANDSHAKE_FAILED, tls: false };
      const credential =
        server.mode === 'https' && req.scheme === 'https'
          ? credentialCheck(this.snapshot, caller.namespace, server, req.sni ?? req.host)
          : {};
      if (credential.failure) {
        const tlsProblem = credential.failure;
        return { caller, context, server, rules: null, fallback: HANDSHAKE_FAILED, tls: false, tlsProblem };
      }
      switch (server.mode) {
        case 'http':
        case 'https': {
          const rules = this.table(context, req.host, req.port);
          const unchecked = credential.unchecked ? { tlsUnchecked: credential.unchecked } : {};
          return {
            caller,
            context,
            server,
            rules,
            fallback: rules ? null : NO_ROUTE,
            tls: false,
            ...unchecked,
          };
        }
        case 'redirect':
          return { caller, context, server, rules: null, fallback: HTTPS_REDIRECT, tls: false };
        case 'passthrough': {
          const rules = this.tlsTable(context, req.host, server.port);
          return {
            caller,
            context,
            server,
            rules,
            fallback: rules ? null : CLOSED,
            noMatch: CLOSED,
            tls: true,
          };
        }
        default: {
          const what = `${server.protocol}${server.tlsMode ? ` ${server.tlsMode}` : ''}`;
          const fallback: Decision = {
            kind: 'local',
            status: 0,
            flags: 0,
            unsupported: `Gateway ${context} accepts ${req.host} on a ${what} server (port ${server.port}): TCP routes, TLS termination to TCP and AUTO_PASSTHROUGH are not simulated`,
          };
          return { caller, context, server, rules: null, fallback, tls: true };
        }
      }
    }
    const context = 'mesh';
    const snapshot = this.snapshot;
    // the sidecar sees only the ServiceEntries exported to its namespace, and of those
    // only what its Sidecar resource imports (with that Sidecar's outbound mode, if set)
    const from = caller.namespace;
    const scope = this.scopeOf(caller);
    const mode = scope?.outboundMode ?? snapshot.outboundModeFor(caller.namespace, caller.labels);
    const hides = scope !== undefined && !scope.importsAll && !scope.importsService(req.host, req.port);
    const sidecar: RouteEntry['sidecar'] = scope
      ? { ref: scope.ref, hides, ...(scope.outboundSource !== 'mesh' ? { mode } : {}) }
      : undefined;
    const base = { caller, context, ...(sidecar ? { sidecar } : {}) };
    if (req.tls) {
      // tls rules apply on ports the registry declares TLS/HTTPS; on other ports tcp rules would
      const dflt = hides
        ? this.fallbacks.unknown(req, true, mode, scope)
        : this.fallbacks.registryOrUnknown(req, true, from, mode, scope);
      const tlsPort =
        !hides &&
        registered(snapshot, req.host, req.port, true, from) &&
        registryTls(snapshot, req.host, req.port, from);
      // a Sidecar imports only the tls/tcp rules of the VirtualServices its egress hosts select
      const rules = tlsPort ? this.tlsTable(context, req.host, req.port, scope) : null;
      if (!hides && !tlsPort && this.hasTcpRoutes(context, req.host, req.port, scope)) {
        const fallback: Decision = {
          kind: 'local',
          status: 0,
          flags: 0,
          unsupported: `${req.host}:${req.port} is not a TLS port in the registry, so its tcp routes would apply: tcp routes are not simulated`,
        };
        return { ...base, rules: null, fallback, tls: true };
      }
      return { ...base, rules, fallback: rules ? null : dflt, noMatch: dflt, tls: true };
    }
    // A VirtualService host that a ServiceEntry registers gets http routes on the entry's HTTP ports only.
    const rules =
      serviceEntryPort(snapshot, req.host, req.port, from) === undefined ||
      registered(snapshot, req.host, req.port, false, from)
        ? this.table(context, req.host, req.port, scope)
        : null;
    if (rules) return { ...base, rules, fallback: null, tls: false };
    const fallback = hides
      ? this.fallbacks.unknown(req, false, mode, scope)
      : this.fallbacks.registryOrUnknown(req, false, from, mode, scope);
    return { ...base, rules: null, fallback, tls: false };
  }

  /** The scope of a sidecar caller when a Sidecar resource applies to it (never a gateway's). */
  scopeOf(caller: Caller): SidecarScope | undefined {
    if (caller.gateway || this.snapshot.sidecars.length === 0) return undefined;
    caller.scope ??= sidecarScope(this.snapshot, caller.namespace, caller.labels);
    return caller.scope.sidecar ? caller.scope : undefined;
  }

  /** Compiled HTTP rules of the VirtualService(s) for a host in a routing context, or null. */
  table(context: string, host: string, port: number, scope?: SidecarScope): CompiledRule[] | null {
    // a Sidecar resource imports only the VirtualServices its egress hosts select
    const only = scope && !scope.importsAll ? scope : undefined;
    const key = `${context}|${host}|${port}${only ? `|${only.key}` : ''}`;
    const cached = this.tables.get(key);
    if (cached !== undefined) return cached;
    const imported = (vs: VirtualService) => !only || only.importsVirtualService(vs, port);
    // an exact host beats every wildcard; among wildcards the longest wins (ties: all, in order)
    const idx = this.hostIndex(context);
    let best: VirtualService[] = (idx.exact.get(host) ?? []).filter(imported);
    if (best.length === 0) {
      let bestScore = -1;
      for (const { pattern, vs } of idx.wildcards) {
        if (!hostCovers(pattern, host) || !imported(vs)) continue;
        const score = pattern.length;
        if (score > bestScore) {
          bestScore = score;
          best = [vs];
        } else if (score === bestScore && !best.includes(vs)) best.push(vs);
      }
    }
    // Gateways merge the VirtualServices for one host; sidecars use the first (IST0109
    // otherwise), except Gateway API routes: istiod merges every HTTPRoute (or every
    // GRPCRoute: one VirtualService per kind) for the host into one
    const first = best[0];
    const routes = best.filter(
      (vs) => first !== undefined && isGatewayApiRoute(first) && vs.raw.kind === first.raw.kind,
    );
    const chosen = context !== 'mesh' ? best : routes.length > 0 ? routes : best.slice(0, 1);
    const rules = chosen.length
      ? chosen.flatMap((vs) => {
          const compiled = compileVirtualService(vs, this.snapshot, this.clusters, port);
          if (isGatewayApiRoute(vs)) {
            for (const r of compiled)
              r.where = `${String(vs.raw.kind)} ${vs.namespace}/${vs.name} rules[${httpRouteRuleIndex(r.source?.http?.name) ?? r.source?.index}]`;
          }
          return compiled;
        })
      : null;
    // the routes of several HTTPRoutes for one host are ordered together by Gateway API precedence
    if (rules && chosen.length > 1 && chosen.every(isGatewayApiRoute))
      rules.sort((a, b) => gatewayApiOrder(a.source?.http ?? {}, b.source?.http ?? {}));
    this.tables.set(key, rules);
    return rules;
  }

  /** The VirtualService hosts of a routing context: exact names, and wildcard patterns in order. */
  private hostIndex(context: string): HostIndex {
    let idx = this.hostIndexes.get(context);
    if (idx) return idx;
    idx = { exact: new Map(), wildcards: [] };
    for (const vs of this.vsByContext.get(context) ?? []) {
      for (const h of vs.spec.hosts ?? []) {
        const pattern = toFqdn(h, vs.namespace);
        let list = idx.exact.get(pattern);
        if (!list) idx.exact.set(pattern, (list = []));
        if (!list.includes(vs)) list.push(vs);
        if (pattern.startsWith('*')) idx.wildcards.push({ pattern, vs });
      }
    }
    this.hostIndexes.set(context, idx);
    return idx;
  }

  private hasTcpRoutes(context: string, host: string, port: number, scope?: SidecarScope): boolean {
    const only = scope && !scope.importsAll ? scope : undefined;
    return this.snapshot.virtualServices.some(
      (vs) =>
        (vs.spec.tcp?.length ?? 0) > 0 &&
        this.snapshot.gatewayRefs(vs).includes(context) &&
        (!only || only.importsVirtualService(vs, port)) &&
        (vs.spec.hosts ?? []).some((h) => hostsOverlap(toFqdn(h, vs.namespace), host)),
    );
  }

  /**
   * Compiled tls rules of the VirtualServices bound to a routing context for a TLS
   * connection (SNI `sni`, arriving on `port`), in order; null when none has any.
   */
  tlsTable(context: string, sni: string, port: number, scope?: SidecarScope): CompiledRule[] | null {
    const only = scope && !scope.importsAll ? scope : undefined;
    const key = `${context}|${sni}|${port}${only ? `|${only.key}` : ''}`;
    const cached = this.tlsTables.get(key);
    if (cached !== undefined) return cached;
    const rules: CompiledRule[] = [];
    for (const vs of this.tlsVsByContext.get(context) ?? []) {
      if (only && !only.importsVirtualService(vs, port)) continue;
      if (!(vs.spec.hosts ?? []).some((h) => hostsOverlap(toFqdn(h, vs.namespace), sni))) continue;
      rules.push(...compileTlsRoutes(vs, this.snapshot, this.clusters, context, sni, port));
    }
    const out = rules.length > 0 ? rules : null;
    this.tlsTables.set(key, out);
    return out;
  }

  /** The Gateway server of a gateway caller that accepts the request (gateway-servers.ts). */
  gatewayServer(caller: Caller, req: SimRequest): GatewayServerMatch | null {
    return gatewayServer(this.snapshot, caller, req);
  }
}
