// The traffic simulator's public API (for the CLI, the TUI, lab graders and quiz checks).
//
//   const { summary, records } = simulate(snapshot, { to: 'reviews', requests: 10_000 });
//   summary.destinations  -> where requests went (service, version, subset, count, percent)
//   summary.statuses      -> status codes with Envoy response flags
//   summary.latencyMs     -> min/mean/p50/p90/p99/max
//   records[i].page       -> what /productpage showed for request i
//
//   const r = routeRequest(snapshot, { to: 'reviews', headers: { 'end-user': 'jason' } });
//   r.virtualService, r.rule -> the rule that matched (r.local and r.reason when none did)
//   r.destinations           -> host, subset, port and normalized share of each destination
//
// Not simulated: tcp routes (and Gateway servers that need them: TCP, TLS
// terminated to TCP, AUTO_PASSTHROUGH), destinationSubnets, Sidecar resources,
// locality, and exportTo except a ServiceEntry's (a sidecar sees only the entries
// exported to its namespace). DestinationRule tls: see sim/security.
import type { Snapshot } from '../config/snapshot.ts';
import { type RequestRecord, type SimSummary, summarize } from './aggregate.ts';
import { BehaviourModel, type BehaviourRule, parseFailSpec, parseLatencySpec } from './behaviour.ts';
import { meshFor } from './mesh.ts';
import { runLoad } from './run.ts';
import type { TrafficTrace } from './trace.ts';
import { SimError } from './types.ts';

export type {
  DestinationShare,
  EjectionEvent,
  LatencySummary,
  PageShare,
  RequestRecord,
  SimSummary,
  StatusShare,
  UpstreamLoad,
} from './aggregate.ts';
export { describePage } from './aggregate.ts';
export type { BehaviourRule, WorkloadBehaviour } from './behaviour.ts';
export { BehaviourModel, parseFailSpec, parseLatencySpec } from './behaviour.ts';
export { type Decision, meshFor, SimMesh } from './mesh.ts';
export { Rng } from './rng.ts';
export {
  DEFAULT_RETRY_ON,
  type DestinationFailure,
  type FaultSummary,
  type MirrorSummary,
  type RetrySummary,
  type RoutedDestination,
  type RouteRequestOptions,
  type RouteResult,
  routeRequest,
} from './route-request.ts';
export { pickCluster } from './routes.ts';
export { TrafficTrace } from './trace.ts';
export type {
  Caller,
  Cluster,
  Endpoint,
  GatewayServerMatch,
  PageView,
  Reply,
  ServerMode,
  SimRequest,
  Stars,
} from './types.ts';
export { CONNECT_FAILURE, F, flagsText, RESET, SimError } from './types.ts';

export interface SimulateOptions {
  /** `reviews`, `reviews:9080`, `reviews.default.svc.cluster.local`, `http://host/path`, `https://host` (a TLS connection) */
  to: string;
  /** default `/` */
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  /** the TLS SNI, when it is not the host (https:// targets) */
  sni?: string;
  /** a client certificate sent in the TLS handshake (curl --cert), by name: MUTUAL gateway servers need one */
  clientCert?: string;
  /** the address of the outside client entering at the ingress gateway (default 203.0.113.10) */
  clientIp?: string;
  /** what an external authorizer the simulation cannot know answers CUSTOM checks (default allow) */
  extAuthz?: 'allow' | 'deny';
  /** the calling workload (`productpage-v1`, `ns/name`, `ingress`, or labels `app=x,version=y`); default an in-mesh client */
  from?: string;
  /**
   * the check reads only the statuses (live probes: a client that sees no body, curl
   * through the ingress gateway, may answer it); the simulator ignores it
   */
  statusOnly?: boolean;
  /** default 1000 */
  requests?: number;
  /** closed-loop clients, like fortio -c (default 1) */
  concurrency?: number;
  /** total requests per second; 0 or absent = as fast as responses return */
  qps?: number;
  /** default 1 */
  seed?: number;
  /** `ratings:v1=50%`, `reviews=10%:503` */
  fail?: readonly string[];
  /** `reviews:v2=200ms` */
  latency?: readonly string[];
  /** structured behaviour rules (applied after `fail` and `latency`) */
  behaviour?: readonly BehaviourRule[];
  /** namespace of the default client, and where bare workload names are looked up first (default "default") */
  namespace?: string;
  /** the Bookinfo applications call each other (default true) */
  bookinfoApps?: boolean;
  /** collects the hosts, VirtualServices and Gateways the run's traffic traversed (lab grading) */
  trace?: TrafficTrace;
  /** the client's own timeout (curl --max-time, ms): past it the client disconnects (0 DC) */
  clientTimeoutMs?: number;
}

export interface SimResult {
  summary: SimSummary;
  /** one record per request, in the order they were sent */
  records: RequestRecord[];
}

export const MAX_REQUESTS = 10_000_000;

/** Plays `requests` requests through the snapshot's configuration. Throws SimError for bad options. */
export function simulate(snapshot: Snapshot, options: SimulateOptions): SimResult {
  const requests = options.requests ?? 1000;
  const concurrency = options.concurrency ?? 1;
  const qps = options.qps ?? 0;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(requests) || requests < 1 || requests > MAX_REQUESTS)
    throw new SimError(`the request count must be a whole number from 1 to ${MAX_REQUESTS}, not ${requests}`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10_000)
    throw new SimError(`the concurrency must be a whole number from 1 to 10000, not ${concurrency}`);
  if (!Number.isFinite(qps) || qps < 0) throw new SimError(`qps must be 0 or more, not ${qps}`);
  if (!Number.isInteger(seed)) throw new SimError(`the seed must be a whole number, not ${seed}`);
  if (!options.to) throw new SimError('a target host is required');
  const rules: BehaviourRule[] = [
    ...(options.fail ?? []).map(parseFailSpec),
    ...(options.latency ?? []).map(parseLatencySpec),
    ...(options.behaviour ?? []),
  ];
  const mesh = meshFor(snapshot);
  mesh.extAuthz = options.extAuthz ?? 'allow';
  const caller = mesh.caller(options.from, options.namespace);
  const path = options.path ?? '/';
  if (!path.startsWith('/')) throw new SimError(`the path must start with "/", not "${path}"`);
  const request = mesh.request(
    caller,
    options.to,
    path,
    options.headers ?? {},
    options.method ?? 'GET',
    !options.from,
  );
  if (options.sni) request.sni = options.sni.toLowerCase();
  if (options.clientCert) request.clientCert = options.clientCert;
  if (options.clientIp) request.clientIp = options.clientIp;
  options.trace?.target(request.host);
  if (!mesh.knownHost(caller, request.host)) {
    throw new SimError(
      `no Service, ServiceEntry or VirtualService for "${options.to}" (${request.host}): a client could not resolve it`,
    );
  }
  const first = mesh.decide(caller, request);
  if (first.kind === 'local' && first.unsupported) throw new SimError(first.unsupported);
  const out = runLoad(mesh, {
    caller,
    request,
    requests,
    concurrency,
    qps,
    seed,
    behaviour: new BehaviourModel(rules),
    bookinfo: options.bookinfoApps ?? true,
    ...(options.trace ? { trace: options.trace } : {}),
    ...(options.clientTimeoutMs ? { clientTimeoutMs: options.clientTimeoutMs } : {}),
  });
  const summary = summarize(out.records, out.replies, out.state, mesh, {
    target: {
      host: request.host,
      authority: request.authority,
      path: request.path,
      method: request.method,
      from: caller.gateway ? `${caller.name} (gateway)` : `${caller.name} in ${caller.namespace}`,
      ...(request.route?.tls ? { tls: true } : {}),
      ...(request.scheme === 'https' && !request.route?.tls ? { https: true } : {}),
      ...(request.sni && request.sni !== request.host ? { sni: request.sni } : {}),
    },
    requests,
    concurrency,
    qps,
    seed,
  });
  const tls = gatewayTlsNote(request);
  if (tls) summary.notes = [...(summary.notes ?? []), tls];
  // options only the ingress gateway reads: say they changed nothing rather than ignore them
  if (!caller.gateway && (options.clientIp || options.clientCert)) {
    const what = [
      options.clientIp ? `the client address ${options.clientIp}` : '',
      options.clientCert ? `the client certificate ${options.clientCert}` : '',
    ].filter(Boolean);
    summary.notes = [
      ...(summary.notes ?? []),
      `${what.join(' and ')} ${what.length > 1 ? 'are' : 'is'} not used: only a request entering the ingress gateway (--from ingress) has them; ${caller.name} calls from its pod, with its own address and identity`,
    ];
  }
  const refused = notAppliedNote(mesh.snapshot);
  if (refused) summary.notes = [...(summary.notes ?? []), refused];
  return { summary, records: out.records };
}

/** What the TLS handshake at a terminating Gateway server is made of (certificate, client certificate). */
function gatewayTlsNote(req: import('./types.ts').SimRequest): string | undefined {
  const srv = req.route?.server;
  if (srv?.mode !== 'https' || req.scheme !== 'https') return undefined;
  if (req.route?.tlsProblem)
    return `TLS at Gateway ${srv.gateway} (port ${srv.port}): ${req.route.tlsProblem}`;
  const mode = (srv.tlsMode ?? 'SIMPLE').toUpperCase();
  const cert = srv.credentialName
    ? `the certificate from credentialName ${srv.credentialName} (a Secret in the gateway pods' namespace)`
    : 'the certificate of tls.serverCertificate';
  const sni = req.sni && req.sni !== req.host ? `, SNI ${req.sni}` : '';
  const client =
    mode === 'MUTUAL'
      ? req.clientCert
        ? `; client certificate ${req.clientCert} presented (assumed signed by the CA in ${srv.credentialName ? `${srv.credentialName}'s ca.crt or ${srv.credentialName}-cacert` : 'tls.caCertificates'})`
        : '; no client certificate: the handshake fails'
      : mode === 'ISTIO_MUTUAL'
        ? '; only Istio-issued client certificates are accepted'
        : '';
  const unchecked = req.route?.tlsUnchecked ? `; ${req.route.tlsUnchecked}` : '';
  return `TLS terminated at Gateway ${srv.gateway} (port ${srv.port}, tls.mode ${mode}${sni}): the gateway presents ${cert}${client}${unchecked}`;
}

/** Says which resources were left out because the API server would refuse them. */
export function notAppliedNote(applied: Snapshot): string | undefined {
  if (applied.notApplied.size === 0) return undefined;
  // an IstioOperator is refused by istioctl, the istio ConfigMap's mesh config is not read by istiod
  const who = (r: { kind: string; name: string }) =>
    r.kind === 'IstioOperator'
      ? 'istioctl would refuse'
      : r.kind === 'ConfigMap' && /^istio(-|$)/.test(r.name)
        ? 'istiod would not read'
        : 'the API server would refuse';
  const groups = new Map<string, string[]>();
  for (const r of applied.notApplied.keys())
    groups.set(who(r), [...(groups.get(who(r)) ?? []), `${r.kind} ${r.namespace}/${r.name}`]);
  return `not applied, ${[...groups].map(([w, names]) => `${w} ${names.length === 1 ? 'it' : 'them'}: ${names.join(', ')}`).join('; ')}`;
}

export { FLAG_MEANINGS, formatDuration, formatSummaryText, type TextStyle } from './report.ts';
