// The snapshot compiled for simulation: callers, requests, route tables per
// (routing context, host) and clusters. Immutable once built and cached per
// snapshot, so graders that simulate many times pay for compilation once.
import { BOOKINFO_NAMESPACE } from '../config/bookinfo.ts';
import { hostCovers, splitGatewayHost, toFqdn } from '../config/hosts.ts';
import { labelsMatch, type Snapshot, type VirtualService } from '../config/snapshot.ts';
import { ClusterBuilder } from './clusters.ts';
import { type CompiledRule, compileVirtualService, defaultRule } from './routes.ts';
import { type Caller, type Endpoint, F, type RouteEntry, SimError, type SimRequest } from './types.ts';

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-WEB']);
const ALIASES: Record<string, string> = { ingress: 'istio-ingressgateway', egress: 'istio-egressgateway' };

export type Decision =
  | { kind: 'route'; rule: CompiledRule }
  /** answered by the proxy itself (404 NR, a redirect, 502 to BlackHoleCluster ...) */
  | { kind: 'local'; status: number; flags: number; cluster?: string; rule?: CompiledRule };

export class SimMesh {
  readonly snapshot: Snapshot;
  readonly clusters: ClusterBuilder;
  private readonly vsByContext = new Map<string, VirtualService[]>();
  private readonly tables = new Map<string, CompiledRule[] | null>();
  private nextCaller = 0;

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    this.clusters = new ClusterBuilder(snapshot);
    for (const vs of snapshot.virtualServices) {
      if (!vs.spec.http?.length) continue;
      for (const ref of snapshot.gatewayRefs(vs)) {
        let list = this.vsByContext.get(ref);
        if (!list) this.vsByContext.set(ref, (list = []));
        list.push(vs);
      }
    }
  }

  /** The caller named by `--from`: a workload (`name`, `ns/name`), `ingress`, or labels `k=v,...`. */
  caller(from: string | undefined): Caller {
    if (!from) return this.makeCaller('client', BOOKINFO_NAMESPACE, { app: 'client' });
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
    const all = this.snapshot.workloadsMatching({});
    const w =
      all.find((x) => x.name === name && (ns === undefined || x.namespace === ns)) ??
      all.find((x) => (ns === undefined || x.namespace === ns) && name?.startsWith(`${x.name}-`));
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
   * resolve in the caller's namespace, as DNS would.
   */
  request(
    caller: Caller,
    target: string,
    path = '/',
    headers: Record<string, string> = {},
    method = 'GET',
    inferNamespace = false,
  ): SimRequest {
    let t = target.replace(/^[a-z]+:\/\//i, '');
    const slash = t.indexOf('/');
    if (slash >= 0) {
      if (path === '/') path = t.slice(slash);
      t = t.slice(0, slash);
    }
    const m = /^(.*?)(?::(\d+))?$/.exec(t);
    const name = (m?.[1] ?? t).toLowerCase();
    const explicitPort = m?.[2] !== undefined;
    const host = caller.gateway ? name : this.resolveHost(name, caller.namespace, inferNamespace);
    const port = explicitPort ? Number(m?.[2]) : (this.snapshot.service(host)?.ports[0]?.port ?? 80);
    const lower: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
    const q = path.indexOf('?');
    return {
      method,
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
    if (!rule) return NO_ROUTE;
    if (rule.action === 'local') return { kind: 'local', status: rule.status, flags: rule.localFlags, rule };
    return { kind: 'route', rule };
  }

  /** What the caller's proxy has for the request's host and port (computed once per request template). */
  private entry(caller: Caller, req: SimRequest): RouteEntry {
    let context = 'mesh';
    if (caller.gateway) {
      const ctx = this.gatewayContext(caller, req);
      if (!ctx) return { caller, context, rules: null, fallback: NO_ROUTE };
      context = ctx;
    }
    const rules = this.table(context, req.host, req.port);
    if (rules) return { caller, context, rules, fallback: null };
    return { caller, context, rules: null, fallback: caller.gateway ? NO_ROUTE : this.defaultDecision(req) };
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

  private defaultDecision(req: SimRequest): Decision {
    const key = `${req.host}:${req.port}`;
    let d = this.defaults.get(key);
    if (!d) {
      const s = this.snapshot;
      if (s.hostExists(req.host) || req.host.endsWith('.svc.cluster.local')) {
        d = { kind: 'route', rule: defaultRule(this.clusters.cluster(req.host, undefined, req.port)) };
      } else if (s.mesh.outboundMode === 'REGISTRY_ONLY') {
        d = { kind: 'local', status: 502, flags: 0, cluster: 'BlackHoleCluster' };
      } else {
        const rule = defaultRule(this.clusters.passthrough(req.host, req.port), 'PassthroughCluster');
        rule.retry = null;
        d = { kind: 'route', rule };
      }
      this.defaults.set(key, d);
    }
    return d;
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

  /** The Gateway (`ns/name`) of a gateway caller whose servers accept the request's host and port. */
  private gatewayContext(caller: Caller, req: SimRequest): string | null {
    const key = `${req.host}|${req.explicitPort ? req.port : ''}`;
    const cache = (caller.gatewayContexts ??= new Map());
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    let found: string | null = null;
    for (const ref of caller.contexts) {
      const gw = this.snapshot.gateway(ref);
      const ok = gw?.spec.servers?.some((srv) => {
        const proto = (srv.port?.protocol ?? 'HTTP').toUpperCase();
        if (!HTTP_PROTOCOLS.has(proto)) return false;
        if (req.explicitPort && !this.portServes(caller, srv.port?.number, req.port)) return false;
        return (srv.hosts ?? []).some((h) => hostCovers(splitGatewayHost(h).host.toLowerCase(), req.host));
      });
      if (ok) {
        found = ref;
        break;
      }
    }
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
