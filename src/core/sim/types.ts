// Types shared by the simulator's modules.
import type { Workload } from '../config/snapshot.ts';

/**
 * One request as a proxy sees it: an HTTP request, or a TLS connection (`tls`)
 * that the proxy routes by SNI (the host) and port without reading it. Header
 * names are lowercase.
 */
export interface SimRequest {
  method: string;
  /** the scheme the target was written with (`http`, `https`), or '' */
  scheme: '' | 'http' | 'https';
  /** a TLS connection the client originated (SNI = `host`): proxies route it by tls rules */
  tls: boolean;
  /** gateway hops taken so far (a loop guard) */
  hops?: number;
  /** the Host header as sent (`reviews:9080`) */
  authority: string;
  /** the host routing looks up: an FQDN for sidecars, the Host name for gateways */
  host: string;
  port: number;
  /** whether the port was given explicitly (gateways match servers by it) */
  explicitPort: boolean;
  /** path with query string */
  path: string;
  /** path without the query string */
  uri: string;
  query: string;
  headers: Record<string, string>;
  /** the TLS SNI when it differs from the host (curl sends the URL's host; `openssl s_client -servername`) */
  sni?: string;
  /** the client certificate presented in the TLS handshake (curl --cert), for MUTUAL servers */
  clientCert?: string;
  /** the address of a client outside the mesh (default 203.0.113.10), as the ingress gateway sees it */
  clientIp?: string;
  /** parsed query parameters, filled on first use */
  params?: Record<string, string>;
  /** the route lookup for this request's caller, host and port, filled on first use */
  route?: RouteEntry;
}

/** What a caller's proxy knows about a host:port: the routing context and its rules. */
export interface RouteEntry {
  caller: Caller;
  context: string;
  /** the VirtualService rules (http, or tls for a TLS connection), or null when `fallback` answers every request */
  rules: import('./routes.ts').CompiledRule[] | null;
  fallback: import('./mesh.ts').Decision | null;
  /** the decision when no rule matches (404 NR by default) */
  noMatch?: import('./mesh.ts').Decision;
  /**
   * the Sidecar resource that scopes the caller's proxy (`ns/name`): whether it leaves
   * the host out of its egress hosts, and the outbound mode when the Sidecar sets it
   */
  sidecar?: { ref: string; hides: boolean; mode?: 'ALLOW_ANY' | 'REGISTRY_ONLY' };
  /** the Gateway server that accepted the request (gateway callers) */
  server?: GatewayServerMatch;
  /** the request is routed as a TLS connection (by tls rules) */
  tls: boolean;
  /** why the TLS handshake with the gateway fails (its credential Secret), when it does */
  tlsProblem?: string;
  /** what of the credential Secret could not be checked (its data was not readable), when so */
  tlsUnchecked?: string;
}

/** How a Gateway server handles what it accepts (Istio's gateway listener kinds). */
export type ServerMode =
  /** plain HTTP: http routes */
  | 'http'
  /** HTTPS terminated at the gateway (SIMPLE, MUTUAL, ISTIO_MUTUAL, OPTIONAL_MUTUAL): http routes */
  | 'https'
  /** HTTP server with tls.httpsRedirect: every request gets a 301 */
  | 'redirect'
  /** HTTPS/TLS with PASSTHROUGH: tls routes by SNI, the gateway never decrypts */
  | 'passthrough'
  /** TLS terminated then TCP, plain TCP, AUTO_PASSTHROUGH: not simulated */
  | 'unsupported';

export interface GatewayServerMatch {
  /** `ns/name` of the Gateway */
  gateway: string;
  port: number;
  protocol: string;
  tlsMode?: string;
  /** the Secret holding the server's certificate (tls.credentialName) */
  credentialName?: string;
  mode: ServerMode;
}

/** Whoever sends a request: a sidecar (routing context `mesh`) or a gateway. */
export interface Caller {
  id: number;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  gateway: boolean;
  /** gateway refs (`ns/name`) of the Gateways that select this workload, or ['mesh'] */
  contexts: string[];
  /** which Gateway server (or null for none) accepts a host:port, for gateway callers */
  gatewayContexts?: Map<string, GatewayServerMatch | null>;
  /** request templates of the application's own calls, by service and path */
  templates?: Map<string, Map<string, SimRequest>>;
  /** false: no Envoy beside the caller (plaintext, no routing rules, no identity); unset counts as a proxy */
  sidecar?: boolean;
  /** the service account its mTLS certificate names (with `namespace`: its SPIFFE identity) */
  serviceAccount?: string;
  /** a client without a sidecar named by --from: its requests skip routing rules and retries */
  direct?: boolean;
  /** what its proxy imports (the Sidecar resource that applies to it), filled on first use */
  scope?: import('../config/sidecar-scope.ts').SidecarScope;
  /**
   * enrolled in ambient: ztunnel carries its traffic, and routing rules apply only
   * at the waypoint of a destination Service that has one (see sim/ambient/)
   */
  ambient?: boolean;
  /** its proxy missed istiod's last push (a drill, config/drill.ts): it routes with the configuration before it */
  stale?: boolean;
}

/** One pod behind a cluster. */
export interface Endpoint {
  id: number;
  pod: string;
  /** short service name (or the external host) */
  service: string;
  namespace: string;
  version: string;
  labels: Record<string, string>;
  external: boolean;
  workload?: Workload;
  /** the pod as a caller of other services (its own sidecar) */
  caller?: Caller;
  /** the pod is a gateway proxy: it routes what it receives (null: an application; unset: not known yet) */
  gateway?: Caller | null;
}

export type LbKind = 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'CONSISTENT_HASH' | 'PASSTHROUGH';

export interface OutlierPolicy {
  /** 0 = this detector is off */
  consecutive5xx: number;
  consecutiveGateway: number;
  intervalMs: number;
  baseEjectionMs: number;
  maxEjectionMs: number;
  maxEjectionPercent: number;
  minHealthPercent: number;
}

export interface ClusterPolicy {
  lb: LbKind;
  hashOn?: { header?: string; query?: string; cookie?: string; sourceIp?: boolean };
  maxConnections: number;
  maxPending: number;
  maxRequests: number;
  /** 0 = unlimited */
  maxRequestsPerConnection: number;
  maxRetries: number;
  outlier: OutlierPolicy | null;
}

/** An Envoy cluster: a host, subset and port, with its pods and merged traffic policy. */
export interface Cluster {
  id: number;
  /** `outbound|9080|v1|reviews.default.svc.cluster.local` */
  name: string;
  host: string;
  service: string;
  subset?: string;
  port: number;
  endpoints: Endpoint[];
  policy: ClusterPolicy;
  /** why the cluster does not exist (the route gets 503 NC) */
  missing?: string;
  /** the status the proxy answers for a missing cluster (undefined: 503) */
  missingStatus?: number;
}

/** Envoy response flags, as bits in Envoy's access-log order. */
export const F = {
  UH: 1,
  UT: 2,
  LR: 4,
  UF: 8,
  UC: 1024,
  UO: 16,
  NR: 32,
  DI: 64,
  FI: 128,
  DC: 2048,
  URX: 256,
  NC: 512,
} as const;

/** Pseudo statuses an application "answers" when its connection fails instead. */
export const CONNECT_FAILURE = -1;
export const RESET = -2;

const FLAG_NAMES = Object.keys(F) as (keyof typeof F)[];

/** `UT,URX`, or `-` for none (Envoy's %RESPONSE_FLAGS%). */
export function flagsText(bits: number): string {
  if (bits === 0) return '-';
  let out = '';
  for (const name of FLAG_NAMES) if (bits & F[name]) out += out ? `,${name}` : name;
  return out;
}

export type Stars = 'none' | 'black' | 'red';

/** What a Bookinfo reviews pod answers. */
export interface ReviewsPayload {
  kind: 'reviews';
  version: string;
  pod: string;
  stars: Stars;
  /** false when reviews could not get ratings ("Ratings service is currently unavailable") */
  ratings: boolean;
}

/** What /productpage shows. */
export interface PageView {
  details: boolean;
  reviews: boolean;
  reviewsVersion?: string;
  reviewsPod?: string;
  stars?: Stars;
  ratings?: boolean;
}

export interface PagePayload {
  kind: 'page';
  page: PageView;
}

/** A gateway pod's answer: the reply its own proxy got from the next hop. */
export interface ForwardedPayload {
  kind: 'forwarded';
  /** `gateway ns/name` */
  hop: string;
  reply: Reply;
}

export type Payload = ReviewsPayload | PagePayload | ForwardedPayload;

/** A response as the calling proxy returns it to its application. */
export interface Reply {
  status: number;
  flags: number;
  /** the cluster the route chose (or BlackHoleCluster / PassthroughCluster) */
  cluster?: string;
  subset?: string;
  service?: string;
  /** the pod that answered, when one did */
  endpoint?: Endpoint;
  /** upstream tries (1 + retries); 0 for local replies */
  attempts: number;
  payload?: Payload;
  /** the hops before the cluster above: each cluster that led to a gateway, then that gateway */
  via?: string[];
  /**
   * no listener took the connection, no status (curl exit 7): a gateway port no Gateway
   * opens, or, for a client without a sidecar, a Service with no pod (kube-proxy rejects it)
   */
  refused?: true;
  /** the client gave up first (its own timeout, curl --max-time: exit 28), no status */
  gaveUp?: true;
}

/** Simulated network and proxy costs (ms). */
export const NET_MS = 1;
export const LOCAL_MS = 0.5;
export const CONNECT_MS = 0.5;

/** Gateway hops a request may take before the simulator cuts a loop. */
export const MAX_HOPS = 5;

/** A problem with the simulation's inputs (unknown workload or host, bad behaviour spec). */
export class SimError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimError';
  }
}
