// Deterministic routing: where one request goes and why, without drawing a
// random number. The same compiled route tables and decisions as simulate()
// (one implementation of Envoy's first-match routing), described as data:
// the routing context, the rule that matched (or why none did), the
// destinations with their normalized shares, and the rule's policies.
import { BOOKINFO_NAMESPACE } from '../config/bookinfo.ts';
import { drillState } from '../config/drill.ts';
import { gatewayRef } from '../config/hosts.ts';
import type { HttpRoute } from '../config/schemas/index.ts';
import type { Snapshot } from '../config/snapshot.ts';
import { meshFor, type SimMesh } from './mesh.ts';
import { durationOrZero } from './route-policy.ts';
import { localReason, routeReason } from './route-reasons.ts';
import type { CompiledRule } from './routes.ts';
import { transformRequest } from './transform.ts';
import {
  type Caller,
  type Cluster,
  flagsText,
  type GatewayServerMatch,
  MAX_HOPS,
  SimError,
  type SimRequest,
} from './types.ts';

export interface RouteRequestOptions {
  /** `reviews`, `reviews:9080`, an FQDN, `http://host/path`, `https://host` (a TLS connection) */
  to: string;
  /** default `/` */
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  /** the calling workload, as for simulate() (default an in-mesh client in `namespace`) */
  from?: string;
  /** where short hosts resolve and the default client runs (default "default") */
  namespace?: string;
  /** the Host header as sent, when it differs from `to` (routing still looks up `to`) */
  authority?: string;
  /** the request arrives at this Gateway (`ns/name`, or `name` in namespace default); excludes `from` */
  gateway?: string;
  /** the TLS SNI when it is not the host */
  sni?: string;
  /** a client certificate sent in the TLS handshake (MUTUAL gateway servers) */
  clientCert?: string;
  /** the address of the outside client at the ingress gateway */
  clientIp?: string;
}

/** Why requests sent to a destination fail at the caller's proxy. */
export interface DestinationFailure {
  /** 503, or 0 for a TLS connection (closed) */
  status: number;
  /** `NC`: the cluster does not exist; `UH`: it has no endpoint */
  flags: string;
  reason: string;
}

export interface RoutedDestination {
  /** FQDN of the service (or the external host) */
  host: string;
  subset?: string;
  port: number;
  /** the weight as written (undefined when the route gives none) */
  weight?: number;
  /** normalized share of the requests, 0..1 (the shares of a rule add up to 1) */
  share: number;
  /** the Envoy cluster, `outbound|9080|v1|reviews.default.svc.cluster.local` */
  cluster: string;
  failure?: DestinationFailure;
  /** the destination's pods are gateway proxies: how they route the request next */
  next?: RouteResult;
}

export interface FaultSummary {
  delay?: { fixedDelay: string; ms: number; percent: number; percentSet: boolean };
  abort?: { httpStatus?: number; grpcStatus?: string; percent: number; percentSet: boolean };
}

export interface RetrySummary {
  /** `rule`: the rule's retries; `default`: Istio's default policy (the rule sets none) */
  source: 'rule' | 'default';
  /** retries after the first try */
  attempts: number;
  /** as written, or Istio's default conditions */
  retryOn: string;
  perTryTimeout?: string;
  perTryTimeoutMs: number;
}

export interface MirrorSummary {
  host: string;
  subset?: string;
  port: number;
  /** 0..1 of the requests copied */
  share: number;
  cluster: string;
  failure?: DestinationFailure;
}

export interface RouteResult {
  /** who sends it: `client in default`, `istio-ingressgateway (gateway)`, `Gateway istio-system/gw` */
  from: string;
  /** `mesh` (sidecars) or the Gateway (`ns/name`) whose server accepted the request; '' for none */
  context: string;
  /** the Gateway server that accepted it (gateway callers) */
  server?: GatewayServerMatch;
  request: {
    host: string;
    port: number;
    authority: string;
    path: string;
    method: string;
    /** routed as a TLS connection, by tls rules (SNI = host) */
    tls: boolean;
  };
  /** `route`: forwarded; `local`: the proxy answers itself; `unsupported`: not simulated (see reason) */
  outcome: 'route' | 'local' | 'unsupported';
  /** the VirtualService rule that matched (also for a redirect or direct response) */
  virtualService?: { namespace: string; name: string };
  rule?: { kind: 'http' | 'tls'; index: number };
  /** the proxy's own answer (outcome `local`): 404 NR, 502 to BlackHoleCluster, 0 for a closed TLS connection ... */
  local?: { status: number; flags: string; cluster?: string; refused?: true };
  destinations: RoutedDestination[];
  fault?: FaultSummary;
  /** the route timeout as written, and in ms (0: none) */
  timeout?: string;
  timeoutMs: number;
  /** null: no retries (attempts: 0, or a TLS connection) */
  retries: RetrySummary | null;
  mirrors: MirrorSummary[];
  /** where it went and why, in words */
  reason: string;
}

export const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';

/** Where one request goes through the snapshot's configuration, decided without randomness. */
export function routeRequest(snapshot: Snapshot, options: RouteRequestOptions): RouteResult {
  if (!options.to) throw new SimError('a target host is required');
  if (options.from && options.gateway) throw new SimError('give the caller (from) or a gateway, not both');
  const mesh = meshFor(snapshot);
  const caller = options.gateway
    ? mesh.gatewayCaller(gatewayRef(options.gateway, BOOKINFO_NAMESPACE))
    : mesh.caller(options.from, options.namespace);
  const path = options.path ?? '/';
  if (!path.startsWith('/')) throw new SimError(`the path must start with "/", not "${path}"`);
  const req = mesh.request(
    caller,
    options.to,
    path,
    options.headers ?? {},
    options.method ?? 'GET',
    !options.from && !options.gateway,
  );
  if (options.authority) req.authority = options.authority;
  if (options.sni) req.sni = options.sni.toLowerCase();
  if (options.clientCert) req.clientCert = options.clientCert;
  if (options.clientIp) req.clientIp = options.clientIp;
  if (!mesh.knownHost(caller, req.host)) {
    throw new SimError(
      `no Service, ServiceEntry or VirtualService for "${options.to}" (${req.host}): a client could not resolve it`,
    );
  }
  const result = describe(mesh, caller, req);
  if (caller.stale) result.reason += `; ${staleNote(mesh.snapshot)}`;
  return result;
}

/** Why a proxy routes with an older configuration (a drill, config/drill.ts). */
function staleNote(snapshot: Snapshot): string {
  const d = drillState(snapshot);
  const missing = [...d.unpushed].map((r) => r.replace(/^(\w+)\/default\//, '$1/')).join(', ');
  return d.istiodDown
    ? `istiod is down (${d.downBecause}): this proxy still runs its last configuration, without ${missing}`
    : `this proxy is STALE (it has not acknowledged istiod's last push): it runs without ${missing}`;
}

function callerLabel(c: Caller): string {
  if (c.name.startsWith('Gateway ')) return c.name;
  return c.gateway ? `${c.name} (gateway)` : `${c.name} in ${c.namespace}`;
}

function describe(mesh: SimMesh, caller: Caller, req: SimRequest): RouteResult {
  const entry = mesh.entry(caller, req);
  req.route = entry;
  const d = mesh.decide(caller, req);
  const base: RouteResult = {
    from: callerLabel(caller),
    context: entry.context,
    ...(entry.server ? { server: entry.server } : {}),
    request: {
      host: req.host,
      port: req.port,
      authority: req.authority,
      path: req.path,
      method: req.method,
      tls: entry.tls,
    },
    outcome: 'route',
    destinations: [],
    timeoutMs: 0,
    retries: null,
    mirrors: [],
    reason: '',
  };
  const rule = d.rule;
  if (rule?.source) {
    const { vs, kind, index } = rule.source;
    base.virtualService = { namespace: vs.namespace, name: vs.name };
    base.rule = { kind, index };
  }
  if (rule) addPolicies(base, rule);
  if (d.kind === 'local') {
    base.outcome = d.unsupported ? 'unsupported' : 'local';
    base.local = {
      status: d.status,
      flags: flagsText(d.flags),
      ...(d.cluster ? { cluster: d.cluster } : {}),
      ...(d.refused ? { refused: true } : {}),
    };
    base.reason = d.unsupported ?? localReason(mesh, caller, req, entry, d);
    return base;
  }
  const r = d.rule;
  const weights = ruleWeights(r);
  r.clusters.forEach((c, i) => {
    const share = round((r.cumulative[i] ?? 1) - (i > 0 ? (r.cumulative[i - 1] ?? 0) : 0));
    const dest: RoutedDestination = {
      host: c.host,
      ...(c.subset ? { subset: c.subset } : {}),
      port: c.port,
      ...(weights[i] !== undefined ? { weight: weights[i] } : {}),
      share,
      cluster: c.name,
    };
    const failure = clusterFailure(c, r.tls);
    if (failure) dest.failure = failure;
    else {
      const next = nextHop(mesh, c, r, i, req, caller, entry.context);
      if (next) dest.next = next;
    }
    base.destinations.push(dest);
  });
  base.reason = routeReason(mesh, req, entry, r);
  return base;
}

const round = (x: number): number => Math.round(x * 1e12) / 1e12;

/** The weights as written, in the order of the rule's clusters (0-weight destinations are dropped). */
function ruleWeights(r: CompiledRule): (number | undefined)[] {
  const src = r.source;
  if (!src) return [];
  const route = src.kind === 'http' ? (src.http?.route ?? []) : (src.vs.spec.tls?.[src.index]?.route ?? []);
  const dests = route.filter((d) => d.destination?.host);
  let kept = dests.length === 1 ? dests : dests.filter((d) => (d.weight ?? 0) > 0);
  if (kept.length === 0) kept = dests.slice(0, 1);
  return kept.map((d) => d.weight);
}

function clusterFailure(c: Cluster, tls: boolean): DestinationFailure | undefined {
  const status = tls ? 0 : 503;
  if (c.missing) return { status: tls ? 0 : (c.missingStatus ?? status), flags: 'NC', reason: c.missing };
  if (c.endpoints.length === 0)
    return {
      status,
      flags: 'UH',
      reason: c.subset
        ? `subset ${c.subset} of ${c.host} selects no pods`
        : `${c.host} has no endpoints (no pods, or a ServiceEntry with resolution STATIC and no endpoints)`,
    };
  return undefined;
}

/** A destination served by gateway pods: the gateway's own routing of the request (one level per hop). */
function nextHop(
  mesh: SimMesh,
  c: Cluster,
  r: CompiledRule,
  index: number,
  req: SimRequest,
  caller: Caller,
  context: string,
): RouteResult | undefined {
  const ep = c.endpoints[0];
  if (!ep) return undefined;
  const gateway = mesh.gatewayOf(ep);
  if (!gateway) return undefined;
  const hops = (req.hops ?? 0) + 1;
  if (hops > MAX_HOPS) return undefined;
  let sent: SimRequest = r.tls && !req.tls ? { ...req, tls: true } : req;
  if (r.transform) sent = transformRequest(r.transform, index, sent, caller, context);
  return describe(mesh, gateway, mesh.forwardRequest(sent, c.port, hops));
}

function addPolicies(out: RouteResult, r: CompiledRule): void {
  const http: HttpRoute | undefined = r.source?.http;
  if (r.tls) return;
  if (http?.fault && (http.fault.delay || http.fault.abort)) {
    const f: FaultSummary = {};
    const dl = http.fault.delay;
    if (dl) {
      const percent = dl.percentage?.value ?? dl.percent;
      f.delay = {
        fixedDelay: dl.fixedDelay ?? '',
        ms: durationOrZero(dl.fixedDelay),
        percent: percent ?? 0,
        percentSet: percent !== undefined,
      };
    }
    const ab = http.fault.abort;
    if (ab) {
      f.abort = {
        ...(ab.httpStatus !== undefined ? { httpStatus: ab.httpStatus } : {}),
        ...(ab.grpcStatus !== undefined ? { grpcStatus: ab.grpcStatus } : {}),
        percent: ab.percentage?.value ?? 0,
        percentSet: ab.percentage !== undefined,
      };
    }
    out.fault = f;
  }
  if (http?.timeout) out.timeout = http.timeout;
  out.timeoutMs = r.timeoutMs;
  const p = r.retry;
  if (p) {
    const written = http?.retries;
    out.retries = {
      source: written ? 'rule' : 'default',
      attempts: p.numRetries,
      retryOn: written?.retryOn ?? DEFAULT_RETRY_ON,
      ...(written?.perTryTimeout ? { perTryTimeout: written.perTryTimeout } : {}),
      perTryTimeoutMs: p.perTryTimeoutMs,
    };
  }
  for (const m of r.mirrors) {
    const c = m.cluster;
    const mirror: MirrorSummary = {
      host: c.host,
      ...(c.subset ? { subset: c.subset } : {}),
      port: c.port,
      share: m.fraction,
      cluster: c.name,
    };
    const failure = clusterFailure(c, false);
    if (failure) mirror.failure = failure;
    out.mirrors.push(mirror);
  }
}
