// Envoy clusters from the snapshot: which pods a host (and subset) resolves to,
// and the traffic policy that applies, merged the way Istio merges it
// (top level, then top-level port settings, then the subset's policy, then the
// subset's port settings; port-level settings replace whole fields).
import { splitServiceFqdn } from '../config/hosts.ts';
import type { TrafficPolicy } from '../config/schemas/index.ts';
import { labelsMatch, type ServiceInfo, type Snapshot, type Workload } from '../config/snapshot.ts';
import { durationOrZero } from './route-policy.ts';
import type { Cluster, ClusterPolicy, Endpoint, OutlierPolicy } from './types.ts';

type PolicyFields = Pick<TrafficPolicy, 'loadBalancer' | 'connectionPool' | 'outlierDetection'>;

function fieldsOf(p: TrafficPolicy | undefined, port: number): PolicyFields {
  const out: PolicyFields = {};
  if (!p) return out;
  out.loadBalancer = p.loadBalancer;
  out.connectionPool = p.connectionPool;
  out.outlierDetection = p.outlierDetection;
  const pl = p.portLevelSettings?.find((s) => s.port?.number === port);
  if (pl) {
    out.loadBalancer = pl.loadBalancer;
    out.connectionPool = pl.connectionPool;
    out.outlierDetection = pl.outlierDetection;
  }
  return out;
}

/** The policy of a cluster: top-level DestinationRule policy overridden by the subset's. */
export function mergePolicy(
  top: TrafficPolicy | undefined,
  subset: TrafficPolicy | undefined,
  port: number,
): ClusterPolicy {
  const merged = fieldsOf(top, port);
  if (subset) {
    const s = fieldsOf(subset, port);
    const hasPortLevel = subset.portLevelSettings?.some((x) => x.port?.number === port) === true;
    if (hasPortLevel || s.loadBalancer) merged.loadBalancer = s.loadBalancer;
    if (hasPortLevel || s.connectionPool) merged.connectionPool = s.connectionPool;
    if (hasPortLevel || s.outlierDetection) merged.outlierDetection = s.outlierDetection;
  }
  return compilePolicy(merged);
}

const positive = (n: number | undefined): number => (n !== undefined && n > 0 ? n : Number.POSITIVE_INFINITY);

function compilePolicy(p: PolicyFields): ClusterPolicy {
  const http = p.connectionPool?.http;
  const lb = p.loadBalancer;
  const policy: ClusterPolicy = {
    lb: 'LEAST_REQUEST',
    maxConnections: positive(p.connectionPool?.tcp?.maxConnections),
    maxPending: positive(http?.http1MaxPendingRequests),
    maxRequests: positive(http?.http2MaxRequests),
    maxRequestsPerConnection:
      http?.maxRequestsPerConnection && http.maxRequestsPerConnection > 0 ? http.maxRequestsPerConnection : 0,
    maxRetries: positive(http?.maxRetries),
    outlier: compileOutlier(p.outlierDetection),
  };
  if (lb?.consistentHash) {
    const h = lb.consistentHash;
    policy.lb = 'CONSISTENT_HASH';
    policy.hashOn = {
      ...(h.httpHeaderName ? { header: h.httpHeaderName.toLowerCase() } : {}),
      ...(h.httpQueryParameterName ? { query: h.httpQueryParameterName } : {}),
      ...(h.httpCookie?.name ? { cookie: h.httpCookie.name } : {}),
      ...(h.useSourceIp ? { sourceIp: true } : {}),
    };
  } else {
    switch (lb?.simple) {
      case 'ROUND_ROBIN':
      case 'RANDOM':
      case 'PASSTHROUGH':
        policy.lb = lb.simple;
        break;
      default:
        policy.lb = 'LEAST_REQUEST'; // Istio's default; LEAST_CONN is its deprecated alias
    }
  }
  return policy;
}

function compileOutlier(od: PolicyFields['outlierDetection']): OutlierPolicy | null {
  if (!od) return null;
  // Envoy defaults: 5 consecutive 5xx enforced, gateway errors not enforced. The deprecated
  // consecutiveErrors means gateway errors only (istio/api#617).
  let consecutive5xx = 5;
  let consecutiveGateway = 0;
  if (od.consecutiveErrors !== undefined && od.consecutiveErrors > 0) {
    consecutive5xx = 0;
    consecutiveGateway = od.consecutiveErrors;
  }
  if (od.consecutive5xxErrors !== undefined) consecutive5xx = od.consecutive5xxErrors;
  if (od.consecutiveGatewayErrors !== undefined) consecutiveGateway = od.consecutiveGatewayErrors;
  return {
    consecutive5xx,
    consecutiveGateway,
    intervalMs: durationOrZero(od.interval) || 10_000,
    baseEjectionMs: durationOrZero(od.baseEjectionTime) || 30_000,
    maxEjectionMs: 300_000,
    maxEjectionPercent: od.maxEjectionPercent && od.maxEjectionPercent > 0 ? od.maxEjectionPercent : 10,
    minHealthPercent: od.minHealthPercent && od.minHealthPercent > 0 ? od.minHealthPercent : 0,
  };
}

export const NO_POLICY: ClusterPolicy = mergePolicy(undefined, undefined, 0);
const PLAIN_POLICY: ClusterPolicy = { ...NO_POLICY, lb: 'RANDOM' };

/** Builds clusters and the pods behind them, sharing one Endpoint per pod. */
export class ClusterBuilder {
  private readonly snapshot: Snapshot;
  private readonly pods = new Map<Workload, Endpoint[]>();
  private readonly external = new Map<string, Endpoint>();
  private readonly clusters = new Map<string, Cluster>();
  private nextEndpoint = 0;
  private nextCluster = 0;

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
  }

  /** Every endpoint created so far (ids index this list). */
  readonly endpoints: Endpoint[] = [];

  /** The cluster for `host` (an FQDN), optional subset and port; cached. */
  cluster(host: string, subset: string | undefined, port: number | undefined): Cluster {
    const service = this.snapshot.service(host);
    const p = port ?? service?.ports[0]?.port ?? 80;
    const key = `outbound|${p}|${subset ?? ''}|${host}`;
    let c = this.clusters.get(key);
    if (!c) {
      c = this.build(key, host, subset, p, service);
      this.clusters.set(key, c);
    }
    return c;
  }

  /**
   * The Service as a client with no Envoy of its own reaches it (kube-proxy, or ztunnel
   * without a waypoint): the same pods, none of the DestinationRule's policy (connection
   * pool, outlier detection, load balancer: those are the client proxy's), a random pick.
   */
  plain(host: string, port: number): Cluster {
    const c = this.cluster(host, undefined, port);
    const key = `plain|${c.name}`;
    let p = this.clusters.get(key);
    if (!p) this.clusters.set(key, (p = { ...c, id: this.nextCluster++, policy: PLAIN_POLICY }));
    return p;
  }

  /**
   * A cluster a route names but the proxy was not given (its Sidecar does not import
   * the host): no endpoints, so the route answers 503 NC (`status`: another answer, the
   * 500 of a Gateway API backendRef a ReferenceGrant does not allow).
   */
  absent(
    host: string,
    subset: string | undefined,
    port: number | undefined,
    why: string,
    status?: number,
  ): Cluster {
    const p = port ?? 80;
    const name = `outbound|${p}|${subset ?? ''}|${host}`;
    const key = status !== undefined ? `absent|${name}|${why}` : `absent|${name}`;
    let c = this.clusters.get(key);
    if (!c) {
      c = {
        id: this.nextCluster++,
        name,
        host,
        port: p,
        service: splitServiceFqdn(host)?.name ?? host,
        ...(subset ? { subset } : {}),
        endpoints: [],
        policy: NO_POLICY,
        missing: why,
        ...(status !== undefined ? { missingStatus: status } : {}),
      };
      this.clusters.set(key, c);
    }
    return c;
  }

  /**
   * A synthetic cluster (PassthroughCluster) to the original destination: one external
   * endpoint, or for a Kubernetes Service (one the caller's Sidecar does not import)
   * its ready pods, reached with none of the Service's routing rules or policies.
   */
  passthrough(host: string, port: number): Cluster {
    const key = `PassthroughCluster|${host}|${port}`;
    let c = this.clusters.get(key);
    if (!c) {
      const service = this.snapshot.service(host);
      const endpoints: Endpoint[] = [];
      if (service) {
        for (const w of this.snapshot.endpoints(service))
          if (w.ready) endpoints.push(...this.podsOf(w, service.name));
      } else endpoints.push(this.externalEndpoint(host, {}));
      c = {
        id: this.nextCluster++,
        name: 'PassthroughCluster',
        host,
        service: service?.name ?? host,
        port,
        endpoints,
        policy: NO_POLICY,
      };
      this.clusters.set(key, c);
    }
    return c;
  }

  private build(
    name: string,
    host: string,
    subsetName: string | undefined,
    port: number,
    service: ServiceInfo | undefined,
  ): Cluster {
    const base = { id: this.nextCluster++, name, host, port, ...(subsetName ? { subset: subsetName } : {}) };
    const rules = this.snapshot.destinationRulesFor(host);
    const top = rules.find((r) => r.spec.trafficPolicy)?.spec.trafficPolicy;
    let subsetLabels: Record<string, string> | undefined;
    let subsetPolicy: TrafficPolicy | undefined;
    const shortName = splitServiceFqdn(host)?.name ?? host;
    if (subsetName) {
      const found = this.snapshot.subset(host, subsetName);
      if (!found) {
        return {
          ...base,
          service: shortName,
          endpoints: [],
          policy: NO_POLICY,
          missing: rules.length
            ? `no DestinationRule for ${host} defines subset "${subsetName}"`
            : `no DestinationRule for ${host}, so subset "${subsetName}" does not exist`,
        };
      }
      subsetLabels = found.subset.labels ?? {};
      subsetPolicy = found.subset.trafficPolicy;
    }
    const policy = mergePolicy(top, subsetPolicy, port);
    if (service) {
      if (service.ports.length > 0 && !service.ports.some((x) => x.port === port)) {
        return {
          ...base,
          service: service.name,
          endpoints: [],
          policy,
          missing: `service ${host} has no port ${port}`,
        };
      }
      const endpoints: Endpoint[] = [];
      for (const w of this.snapshot.endpoints(service, subsetLabels)) {
        if (w.ready) endpoints.push(...this.podsOf(w, service.name));
      }
      return { ...base, service: service.name, endpoints, policy };
    }
    const entries = this.snapshot.serviceEntriesFor(host);
    if (entries.length > 0) {
      const ports = entries.flatMap((se) => (se.spec.ports ?? []).map((p) => p.number));
      if (ports.length > 0 && !ports.includes(port)) {
        return {
          ...base,
          service: host,
          endpoints: [],
          policy,
          missing: `no ServiceEntry for ${host} has port ${port}`,
        };
      }
      const endpoints: Endpoint[] = [];
      for (const se of entries) {
        for (const e of se.spec.endpoints ?? []) {
          const labels = e.labels ?? {};
          if (!labelsMatch(subsetLabels, labels)) continue;
          endpoints.push(this.externalEndpoint(e.address ?? host, labels, host));
        }
        const selector = se.spec.workloadSelector?.labels;
        if (selector) {
          for (const w of this.snapshot.workloads(se.namespace)) {
            if (w.ready && labelsMatch(selector, w.labels) && labelsMatch(subsetLabels, w.labels))
              endpoints.push(...this.podsOf(w, host));
          }
        }
      }
      // Without endpoints or a workloadSelector the host itself is the endpoint (DNS
      // resolves it; NONE forwards to the address the client resolved), except with
      // resolution STATIC: that cluster has no endpoints at all (503 UH).
      const hasExplicit = entries.some(
        (se) => (se.spec.endpoints?.length ?? 0) > 0 || se.spec.workloadSelector,
      );
      const resolvesHost = entries.some((se) => se.spec.resolution !== 'STATIC');
      // A subset without labels selects every endpoint, the resolved host included.
      const anyEndpoint = !subsetLabels || Object.keys(subsetLabels).length === 0;
      if (!hasExplicit && resolvesHost && anyEndpoint) endpoints.push(this.externalEndpoint(host, {}));
      return { ...base, service: host, endpoints, policy };
    }
    return {
      ...base,
      service: shortName,
      endpoints: [],
      policy,
      missing: `no Service or ServiceEntry for host ${host}`,
    };
  }

  private podsOf(w: Workload, service: string): Endpoint[] {
    let list = this.pods.get(w);
    if (!list) {
      list = [];
      const n = w.resource.kind === 'Pod' ? 1 : Math.max(0, w.replicas);
      for (let i = 0; i < n; i++) {
        const pod = w.resource.kind === 'Pod' ? w.name : `${w.name}-${i}`;
        const ep: Endpoint = {
          id: this.nextEndpoint++,
          pod,
          service,
          namespace: w.namespace,
          version: w.labels.version ?? '-',
          labels: w.labels,
          external: false,
          workload: w,
        };
        this.endpoints.push(ep);
        list.push(ep);
      }
      this.pods.set(w, list);
    }
    return list;
  }

  private externalEndpoint(address: string, labels: Record<string, string>, service = address): Endpoint {
    const key = `${service}|${address}`;
    let ep = this.external.get(key);
    if (!ep) {
      ep = {
        id: this.nextEndpoint++,
        pod: address,
        service,
        namespace: '',
        version: labels.version ?? '-',
        labels,
        external: true,
      };
      this.endpoints.push(ep);
      this.external.set(key, ep);
    }
    return ep;
  }
}
