// The snapshot compiled for simulation: callers, requests, route tables per
// (routing context, host) and clusters. Immutable once built and cached per
// snapshot, so graders that simulate many times pay for compilation once.
//
// A request is HTTP, or a TLS connection (an https:// target, or a port the
// registry or the Gateway server declares TLS/HTTPS): TLS connections follow
// tls rules by SNI and port, and are forwarded unread (tcp proxy).
import { BOOKINFO_NAMESPACE } from '../config/bookinfo.ts';
import { hostCovers, hostsOverlap, splitGatewayHost, toFqdn } from '../config/hosts.ts';
import type { Server } from '../config/schemas/index.ts';
import { labelsMatch, type Snapshot, type VirtualService } from '../config/snapshot.ts';
import { ClusterBuilder } from './clusters.ts';
import { type CompiledRule, compileTlsRoutes, compileVirtualService, defaultRule } from './routes.ts';
import {
  type Caller,
  type Endpoint,
  F,
  type GatewayServerMatch,
  type RouteEntry,
  type ServerMode,
  SimError,
  type SimRequest,
} from './types.ts';

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB']);
const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);
const ALIASES: Record<string, string> = { ingress: 'istio-ingressgateway', egress: 'istio-egressgateway' };

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
    };

/** How a Gateway server handles what it accepts, from its protocol and TLS settings. */
export function serverMode(server: Server): ServerMode {
  const proto = (server.port?.protocol ?? 'HTTP').toUpperCase();
  const mode = (server.tls?.mode ?? '').toUpperCase();
  if (HTTP_PROTOCOLS.has(proto)) return server.tls?.httpsRedirect ? 'redirect' : 'http';
  if (mode === 'PASSTHROUGH' && TLS_PROTOCOLS.has(proto)) return 'passthrough';
  if (proto === 'HTTPS' && mode !== 'AUTO_PASSTHROUGH') return 'https';
  return 'unsupported';
}

/** Is a Kubernetes Service port TLS by Istio's protocol selection (name prefix `https`/`tls`)? */
function tlsPortName(name: string | undefined): boolean {
  return name !== undefined && /^(https|tls)(-|$)/i.test(name);
}

export class SimMesh {
  readonly snapshot: Snapshot;
  readonly clusters: ClusterBuilder;
  private readonly vsByContext = new Map<string, VirtualService[]>();
  private readonly tlsVsByContext = new Map<string, VirtualService[]>();
  private readonly tables = new Map<string, CompiledRule[] | null>();
  private readonly tlsTables = new Map<string, CompiledRule[] | null>();
  private nextCaller = 0;

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    this.clusters = new ClusterBuilder(snapshot);
    for (const vs of snapshot.virtualServices) {
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

  /** A caller standing for the proxies of one Gateway (`ns/name`): its selector's labels, that context only. */
  gatewayCaller(ref: string): Caller {
    const gw = this.snapshot.gateway(ref);
    if (!gw) {
      const known = this.snapshot.gateways.map((g) => `${g.namespace}/${g.name}`).join(', ');
      throw new SimError(`no Gateway ${ref} (known: ${known || 'none'})`);
    }
    // the gateway pods' namespace (their Service maps client ports to server ports), else the Gateway's
    const selector = gw.spec.selector ?? {};
    const pod = Object.keys(selector).length > 0 ? this.snapshot.workloadsMatching(selector)[0] : undefined;
    return {
      id: this.nextCaller++,
      name: `Gateway ${ref}`,
      namespace: pod?.namespace ?? gw.namespace,
      labels: pod ? { ...pod.labels } : { ...selector },
      gateway: true,
      contexts: [ref],
    };
  }

  /** The gateway proxy behind a pod, when the pod is one (it routes what it receives). */
  gatewayOf(ep: Endpoint): Caller | null {
    if (ep.gateway !== undefined) return ep.gateway;
    if (ep.external) {
      ep.gateway = null;
      return null;
    }
    const c = this.makeCaller(ep.pod, ep.namespace, ep.labels);
    ep.gateway = c.gateway ? c : null;
    return ep.gateway;
  }

  /** The caller named by `--from`: a workload (`name`, `ns/name`), `ingress`, or labels `k=v,...`. */
  caller(from: string | undefined, namespace: string = BOOKINFO_NAMESPACE): Caller {
    if (!from) return this.makeCaller('client', namespace, { app: 'client' });
    if (from.includes('=')) {
      const slash = from.indexOf('/');
      const ns = slash > 0 && slash < from.indexOf('=') ? from.slice(0, slash) : BOOKINFO_NAMESPACE;
      const labels: Record<string, string> = {};
      for (const pair of from.slice(slash > 0 && slash < from.indexOf('=') ? slash + 1 : 0).split(',')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new SimError(`--from "${from}": labels are written k=v,k2=v2`);
        labels[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
      }
      return this.makeCaller(from, ns, labels);
    }
    const wanted = ALIASES[from] ?? from;
    const [ns, name] = wanted.includes('/') ? wanted.split('/', 2) : [undefined, wanted];
    // a bare name means the workload in the namespace being looked at, when there is one
    const everywhere = this.snapshot.workloadsMatching({});
    const local = everywhere.filter((x) => x.namespace === namespace);
    const all = [...local, ...everywhere.filter((x) => x.namespace !== namespace)];
    const w =
      all.find((x) => x.name === name && (ns === undefined || x.namespace === ns)) ??
      all.find((x) => (ns === undefined || x.namespace === ns) && name?.startsWith(`${x.name}-`)) ??
      // on a cluster the workloads are Pods named <deployment>-<hash>-<id>: `productpage-v1` names them
      all.find(
        (x) =>
          (ns === undefined || x.namespace === ns) &&
          x.resource.kind === 'Pod' &&
          x.name.startsWith(`${name}-`),
      );
    if (!w) {
      const names = [...new Set(all.map((x) => x.name))].sort().join(', ');
      throw new SimError(`--from "${from}": no such workload (known: ${names || 'none'})`);
    }
    return this.makeCaller(w.name, w.namespace, w.labels);
  }

  private makeCaller(name: string, namespace: string, labels: Record<string, string>): Caller {
    const refs = this.snapshot.gateways
      .filter(
        (g) =>
          g.spec.selector && Object.keys(g.spec.selector).length > 0 && labelsMatch(g.spec.selector, labels),
      )
      .map((g) => `${g.namespace}/${g.name}`);
    const gateway = refs.length > 0 || labels.istio === 'ingressgateway' || labels.istio === 'egressgateway';
    return { id: this.nextCaller++, name, namespace, labels, gateway, contexts: gateway ? refs : ['mesh'] };
  }

  /** The sidecar of a pod, as a caller of other services. */
  podCaller(ep: Endpoint): Caller {
    if (!ep.caller) {
      ep.caller = {
        id: this.nextCaller++,
        name: ep.pod,
        namespace: ep.namespace,
        labels: ep.labels,
        gateway: false,
        contexts: ['mesh'],
      };
    }
    return ep.caller;
  }

  /**
   * A request from `caller` to `target` (`host`, `host:port`, or a URL). Short names
   * resolve in the caller's namespace, as DNS would. Without a port: 443 for
   * https://, else the Service's (or ServiceEntry's, without a scheme) first port,
   * else 80. A sidecar sends a TLS connection for https:// and, without a scheme,
   * to a port the registry declares TLS or HTTPS.
   */
  request(
    caller: Caller,
    target: string,
    path = '/',
    headers: Record<string, string> = {},
    method = 'GET',
    inferNamespace = false,
  ): SimRequest {
    const sm = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target);
    const given = sm?.[1]?.toLowerCase();
    if (given !== undefined && given !== 'http' && given !== 'https')
      throw new SimError(`"${target}": the simulator sends http:// and https:// requests, not ${given}://`);
    const scheme = given ?? '';
    let t = sm ? target.slice(sm[0].length) : target;
    const slash = t.indexOf('/');
    if (slash >= 0) {
      if (path === '/') path = t.slice(slash);
      t = t.slice(0, slash);
    }
    const m = /^(.*?)(?::(\d+))?$/.exec(t);
    const name = (m?.[1] ?? t).toLowerCase();
    const explicitPort = m?.[2] !== undefined;
    const host = caller.gateway ? name : this.resolveHost(name, caller.namespace, inferNamespace);
    const port = explicitPort ? Number(m?.[2]) : this.defaultPort(caller, host, scheme);
    const lower: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
    const q = path.indexOf('?');
    return {
      method,
      scheme,
      tls: scheme === 'https' || (scheme === '' && !caller.gateway && this.registryTls(host, port)),
      authority: t,
      host,
      port,
      explicitPort,
      path,
      uri: q >= 0 ? path.slice(0, q) : path,
      query: q >= 0 ? path.slice(q + 1) : '',
      headers: lower,
    };
  }

  /** The request a gateway pod's proxy receives from a cluster on `port` (a hop). */
  forwardRequest(req: SimRequest, port: number, hops: number): SimRequest {
    const m = /^(.*?)(?::\d+)?$/.exec(req.authority);
    return {
      method: req.method,
      scheme: req.tls ? 'https' : 'http',
      tls: req.tls,
      hops,
      authority: req.authority,
      host: (m?.[1] ?? req.authority).toLowerCase(),
      port,
      explicitPort: true,
      path: req.path,
      uri: req.uri,
      query: req.query,
      headers: req.headers,
    };
  }

  private defaultPort(caller: Caller, host: string, scheme: string): number {
    if (scheme === 'https') return 443;
    if (caller.gateway) return 80;
    const svc = this.snapshot.service(host);
    if (svc) return svc.ports[0]?.port ?? 80;
    if (scheme === '') {
      for (const se of this.snapshot.serviceEntriesFor(host)) {
        const p = se.spec.ports?.[0]?.number;
        if (p !== undefined) return p;
      }
    }
    return 80;
  }

  /** Does the registry declare `host:port` TLS (a Service port named https/tls, a ServiceEntry port TLS/HTTPS)? */
  private registryTls(host: string, port: number): boolean {
    const svc = this.snapshot.service(host);
    if (svc) return tlsPortName(svc.ports.find((p) => p.port === port)?.name);
    return this.serviceEntryPort(host, port)?.tls === true;
  }

  /**
   * The ServiceEntry port registering `host:port`: undefined when no ServiceEntry
   * has the host, `null` when some do but none on this port (entries without
   * ports register every port).
   */
  private serviceEntryPort(host: string, port: number): { tls: boolean } | null | undefined {
    const entries = this.snapshot.serviceEntriesFor(host);
    if (entries.length === 0) return undefined;
    let listed = false;
    for (const se of entries) {
      for (const p of se.spec.ports ?? []) {
        listed = true;
        if (p.number === port) return { tls: TLS_PROTOCOLS.has((p.protocol ?? '').toUpperCase()) };
      }
    }
    return listed ? null : { tls: false };
  }

  /**
   * Is `host:port` in the registry for this kind of traffic? Kubernetes Services (and
   * cluster-local names) always are; a ServiceEntry host only on its ports, HTTP
   * traffic only on non-TLS ones and TLS connections only on non-HTTP ones.
   */
  registered(host: string, port: number, tls: boolean): boolean {
    if (this.snapshot.service(host) || host.endsWith('.svc.cluster.local')) return true;
    const p = this.serviceEntryPort(host, port);
    if (!p) return false;
    if (tls) return p.tls || !this.serviceEntryHttp(host, port);
    return !p.tls;
  }

  private serviceEntryHttp(host: string, port: number): boolean {
    return this.snapshot
      .serviceEntriesFor(host)
      .some((se) =>
        (se.spec.ports ?? []).some(
          (p) => p.number === port && HTTP_PROTOCOLS.has((p.protocol ?? '').toUpperCase()),
        ),
      );
  }

  private resolveHost(name: string, namespace: string, inferNamespace: boolean): string {
    if (!name.includes('.')) {
      const local = toFqdn(name, namespace);
      if (!inferNamespace || this.snapshot.service(local)) return local;
      const found = this.snapshot.services().filter((s) => s.name === name);
      return found.length === 1 ? found[0]!.fqdn : local;
    }
    const parts = name.split('.');
    if (parts.length === 2 && this.snapshot.service(`${name}.svc.cluster.local`))
      return `${name}.svc.cluster.local`;
    if (parts.length === 3 && parts[2] === 'svc') return `${name}.cluster.local`;
    return name;
  }

  /** Is `host` something a client could resolve (a Service, ServiceEntry or VirtualService host)? */
  knownHost(caller: Caller, host: string): boolean {
    if (caller.gateway || !host.endsWith('.svc.cluster.local')) return true;
    return this.snapshot.hostExists(host) || this.table('mesh', host, 0) !== null;
  }

  /** The routing decision for a request (before weights are drawn). */
  decide(caller: Caller, req: SimRequest): Decision {
    let e = req.route;
    if (!e || e.caller !== caller) req.route = e = this.entry(caller, req);
    if (e.fallback) return e.fallback;
    const rule = firstMatch(e.rules!, req, caller, e.context);
    if (!rule) return e.noMatch ?? NO_ROUTE;
    if (rule.action === 'local') return { kind: 'local', status: rule.status, flags: rule.localFlags, rule };
    return { kind: 'route', rule };
  }

  /** What the caller's proxy has for the request's host and port (computed once per request template). */
  entry(caller: Caller, req: SimRequest): RouteEntry {
    if (caller.gateway) {
      const server = this.gatewayServer(caller, req);
      if (!server) {
        const tls = req.scheme === 'https';
        return { caller, context: '', rules: null, fallback: tls ? CLOSED : NO_ROUTE, tls };
      }
      const context = server.gateway;
      switch (server.mode) {
        case 'http':
        case 'https': {
          const rules = this.table(context, req.host, req.port);
          return { caller, context, server, rules, fallback: rules ? null : NO_ROUTE, tls: false };
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
    if (req.tls) {
      // tls rules apply on ports the registry declares TLS/HTTPS; on other ports tcp rules would
      const dflt = this.defaultTlsDecision(req);
      const tlsPort = this.registered(req.host, req.port, true) && this.registryTls(req.host, req.port);
      const rules = tlsPort ? this.tlsTable(context, req.host, req.port) : null;
      if (!tlsPort && this.hasTcpRoutes(context, req.host)) {
        const fallback: Decision = {
          kind: 'local',
          status: 0,
          flags: 0,
          unsupported: `${req.host}:${req.port} is not a TLS port in the registry, so its tcp routes would apply: tcp routes are not simulated`,
        };
        return { caller, context, rules: null, fallback, tls: true };
      }
      return { caller, context, rules, fallback: rules ? null : dflt, noMatch: dflt, tls: true };
    }
    // A VirtualService host that a ServiceEntry registers gets http routes on the entry's HTTP ports only.
    const rules =
      this.serviceEntryPort(req.host, req.port) === undefined || this.registered(req.host, req.port, false)
        ? this.table(context, req.host, req.port)
        : null;
    if (rules) return { caller, context, rules, fallback: null, tls: false };
    return { caller, context, rules: null, fallback: this.defaultDecision(req), tls: false };
  }

  /** The template of an application's call to `service:9080` (the caller's namespace). */
  appRequest(caller: Caller, service: string, path: string, headers: Record<string, string>): SimRequest {
    const templates = (caller.templates ??= new Map());
    let byPath = templates.get(service);
    if (!byPath) templates.set(service, (byPath = new Map()));
    let t = byPath.get(path);
    if (!t) {
      t = this.request(caller, `${service}:9080`, path);
      t.route = this.entry(caller, t);
      byPath.set(path, t);
    }
    return { ...t, headers };
  }

  private readonly defaults = new Map<string, Decision>();

  /**
   * A host:port without VirtualService rules: its own cluster when the registry has
   * it, else PassthroughCluster (ALLOW_ANY) or BlackHoleCluster (REGISTRY_ONLY:
   * 502 for HTTP; a TLS connection is closed, flag UH, as the cluster has no endpoints).
   */
  private defaultDecision(req: SimRequest, tls = false): Decision {
    const key = `${tls ? 'tls' : 'http'}|${req.host}:${req.port}`;
    let d = this.defaults.get(key);
    if (!d) {
      if (this.registered(req.host, req.port, tls)) {
        d = {
          kind: 'route',
          rule: defaultRule(this.clusters.cluster(req.host, undefined, req.port), undefined, tls),
        };
      } else if (this.snapshot.mesh.outboundMode === 'REGISTRY_ONLY') {
        d = tls
          ? { kind: 'local', status: 0, flags: F.UH, cluster: 'BlackHoleCluster' }
          : { kind: 'local', status: 502, flags: 0, cluster: 'BlackHoleCluster' };
      } else {
        const rule = defaultRule(this.clusters.passthrough(req.host, req.port), 'PassthroughCluster', tls);
        rule.retry = null;
        d = { kind: 'route', rule };
      }
      this.defaults.set(key, d);
    }
    return d;
  }

  private defaultTlsDecision(req: SimRequest): Decision {
    return this.defaultDecision(req, true);
  }

  /** Compiled HTTP rules of the VirtualService(s) for a host in a routing context, or null. */
  table(context: string, host: string, port: number): CompiledRule[] | null {
    const key = `${context}|${host}|${port}`;
    const cached = this.tables.get(key);
    if (cached !== undefined) return cached;
    const candidates = this.vsByContext.get(context) ?? [];
    let best: VirtualService[] = [];
    let bestScore = -1;
    for (const vs of candidates) {
      for (const h of vs.spec.hosts ?? []) {
        const pattern = toFqdn(h, vs.namespace);
        if (!hostCovers(pattern, host)) continue;
        const score = pattern === host ? 100_000 : pattern.length;
        if (score > bestScore) {
          bestScore = score;
          best = [vs];
        } else if (score === bestScore && !best.includes(vs)) best.push(vs);
      }
    }
    // Gateways merge the VirtualServices for one host; sidecars use the first (IST0109 otherwise).
    const chosen = context === 'mesh' ? best.slice(0, 1) : best;
    const rules = chosen.length
      ? chosen.flatMap((vs) => compileVirtualService(vs, this.snapshot, this.clusters, port))
      : null;
    this.tables.set(key, rules);
    return rules;
  }

  private hasTcpRoutes(context: string, host: string): boolean {
    return this.snapshot.virtualServices.some(
      (vs) =>
        (vs.spec.tcp?.length ?? 0) > 0 &&
        this.snapshot.gatewayRefs(vs).includes(context) &&
        (vs.spec.hosts ?? []).some((h) => hostsOverlap(toFqdn(h, vs.namespace), host)),
    );
  }

  /**
   * Compiled tls rules of the VirtualServices bound to a routing context for a TLS
   * connection (SNI `sni`, arriving on `port`), in order; null when none has any.
   */
  tlsTable(context: string, sni: string, port: number): CompiledRule[] | null {
    const key = `${context}|${sni}|${port}`;
    const cached = this.tlsTables.get(key);
    if (cached !== undefined) return cached;
    const rules: CompiledRule[] = [];
    for (const vs of this.tlsVsByContext.get(context) ?? []) {
      if (!(vs.spec.hosts ?? []).some((h) => hostsOverlap(toFqdn(h, vs.namespace), sni))) continue;
      rules.push(...compileTlsRoutes(vs, this.snapshot, this.clusters, context, sni, port));
    }
    const out = rules.length > 0 ? rules : null;
    this.tlsTables.set(key, out);
    return out;
  }

  /**
   * The Gateway server of a gateway caller that accepts the request: host (or SNI)
   * covered, port served (when given), and a protocol that fits the scheme (https://
   * only TLS/HTTPS servers, http:// only plain ones; without a scheme, plain and
   * terminating servers first).
   */
  gatewayServer(caller: Caller, req: SimRequest): GatewayServerMatch | null {
    const key = `${req.host}|${req.explicitPort ? req.port : ''}|${req.scheme}`;
    const cache = (caller.gatewayContexts ??= new Map());
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    let found: GatewayServerMatch | null = null;
    let later: GatewayServerMatch | null = null;
    for (const ref of caller.contexts) {
      for (const srv of this.snapshot.gateway(ref)?.spec.servers ?? []) {
        const protocol = (srv.port?.protocol ?? 'HTTP').toUpperCase();
        const tls = TLS_PROTOCOLS.has(protocol);
        if (
          (req.scheme === 'https' && !tls) ||
          (req.scheme === 'http' && (tls || !HTTP_PROTOCOLS.has(protocol)))
        )
          continue;
        if (req.explicitPort && !this.portServes(caller, srv.port?.number, req.port)) continue;
        if (!(srv.hosts ?? []).some((h) => hostCovers(splitGatewayHost(h).host.toLowerCase(), req.host)))
          continue;
        const match: GatewayServerMatch = {
          gateway: ref,
          port: srv.port?.number ?? req.port,
          protocol,
          ...(srv.tls?.mode ? { tlsMode: srv.tls.mode } : {}),
          mode: serverMode(srv),
        };
        if (
          req.scheme === '' &&
          !req.explicitPort &&
          (match.mode === 'passthrough' || match.mode === 'unsupported')
        ) {
          later ??= match;
          continue;
        }
        found = match;
        break;
      }
      if (found) break;
    }
    found ??= later;
    cache.set(key, found);
    return found;
  }

  /** Does a gateway server port receive requests sent to `port` (directly or via its Service)? */
  private portServes(caller: Caller, serverPort: number | undefined, port: number): boolean {
    if (serverPort === undefined || serverPort === port) return true;
    for (const svc of this.snapshot.services()) {
      if (svc.namespace !== caller.namespace || !labelsMatch(svc.selector, caller.labels)) continue;
      if (svc.ports.some((p) => p.port === port && (p.targetPort ?? p.port) === serverPort)) return true;
    }
    return false;
  }
}

const NO_ROUTE: Decision = { kind: 'local', status: 404, flags: F.NR };
/** a TLS connection no filter chain accepts: closed without a response, flag NR */
const CLOSED: Decision = { kind: 'local', status: 0, flags: F.NR };
/** an HTTP server with tls.httpsRedirect: 301 to https for every request */
const HTTPS_REDIRECT: Decision = { kind: 'local', status: 301, flags: 0 };

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

const meshes = new WeakMap<Snapshot, SimMesh>();

/** The compiled mesh of a snapshot (cached). */
export function meshFor(snapshot: Snapshot): SimMesh {
  let m = meshes.get(snapshot);
  if (!m) meshes.set(snapshot, (m = new SimMesh(snapshot)));
  return m;
}
