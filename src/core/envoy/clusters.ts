// CDS and EDS as a proxy receives them: one outbound cluster per registry
// host and port, one more per DestinationRule subset, each resolved by the
// simulator's ClusterBuilder (the same pods and merged policy it routes to).
// A subset no DestinationRule defines has no cluster: a route to it gets 503 NC.
import { toFqdn } from '../config/hosts.ts';
import { ingressListeners } from '../config/sidecar-ingress.ts';
import type { SidecarScope } from '../config/sidecar-scope.ts';
import type { Snapshot } from '../config/snapshot.ts';
import type { Cluster } from '../sim/types.ts';
import type {
  ClusterType,
  EnvoyCluster,
  EnvoyClusterLoadAssignment,
  EnvoyLbEndpoint,
} from './envoy-types.ts';
import type { ProxyTarget } from './proxy.ts';
import { durationText } from './route-entries.ts';
import { inboundPorts } from './routes.ts';
import type { EnvoyView } from './view.ts';

/** A cluster as proxy-config lists it: Envoy's cluster plus what the table shows. */
export interface ClusterEntry {
  cluster: EnvoyCluster;
  /** the simulator's cluster (outbound clusters only) */
  sim?: Cluster;
  /** `reviews.default` of the DestinationRule that shaped it, or '' */
  destinationRule: string;
}

const MAX = 4294967295;

/** The static clusters every proxy has (bootstrap and pilot's own). */
const STATIC: readonly [string, ClusterType][] = [
  ['BlackHoleCluster', 'STATIC'],
  ['InboundPassthroughCluster', 'ORIGINAL_DST'],
  ['PassthroughCluster', 'ORIGINAL_DST'],
  ['agent', 'STATIC'],
  ['prometheus_stats', 'STATIC'],
  ['sds-grpc', 'STATIC'],
  ['xds-grpc', 'STATIC'],
  ['zipkin', 'STRICT_DNS'],
];

function serviceEntryType(snapshot: Snapshot, host: string): ClusterType {
  const se = snapshot.serviceEntriesFor(host)[0];
  switch (se?.spec.resolution) {
    case 'DNS':
      return 'STRICT_DNS';
    case 'DNS_ROUND_ROBIN':
      return 'LOGICAL_DNS';
    case 'STATIC':
      return 'EDS';
    default:
      return 'ORIGINAL_DST';
  }
}

/** Every (host, port) of the registry: Services, then ServiceEntry hosts. */
function registryPorts(snapshot: Snapshot): { host: string; port: number; type: ClusterType }[] {
  const out: { host: string; port: number; type: ClusterType }[] = [];
  for (const svc of snapshot.services())
    for (const p of svc.ports) out.push({ host: svc.fqdn, port: p.port, type: 'EDS' });
  for (const se of snapshot.serviceEntries) {
    for (const h of se.spec.hosts ?? []) {
      for (const p of se.spec.ports ?? []) {
        if (p.number !== undefined)
          out.push({ host: h, port: p.number, type: serviceEntryType(snapshot, h) });
      }
    }
  }
  return out;
}

function envoyCluster(c: Cluster, type: ClusterType, drPath: string | undefined): EnvoyCluster {
  const p = c.policy;
  const cap = (n: number) => (Number.isFinite(n) ? n : MAX);
  const out: EnvoyCluster = {
    name: c.name,
    type,
    connectTimeout: '10s',
    ...(p.lb !== 'ROUND_ROBIN'
      ? {
          lbPolicy:
            p.lb === 'CONSISTENT_HASH' ? 'RING_HASH' : p.lb === 'PASSTHROUGH' ? 'CLUSTER_PROVIDED' : p.lb,
        }
      : {}),
    circuitBreakers: {
      thresholds: [
        {
          maxConnections: cap(p.maxConnections),
          maxPendingRequests: cap(p.maxPending),
          maxRequests: cap(p.maxRequests),
          maxRetries: cap(p.maxRetries),
        },
      ],
    },
  };
  if (p.outlier) {
    out.outlierDetection = {
      ...(p.outlier.consecutive5xx > 0 ? { consecutive5xx: p.outlier.consecutive5xx } : {}),
      ...(p.outlier.consecutiveGateway > 0
        ? { consecutiveGatewayFailure: p.outlier.consecutiveGateway }
        : {}),
      interval: durationText(p.outlier.intervalMs),
      baseEjectionTime: durationText(p.outlier.baseEjectionMs),
      maxEjectionPercent: p.outlier.maxEjectionPercent,
    };
  }
  if (type === 'EDS') out.edsClusterConfig = { edsConfig: { ads: {} }, serviceName: c.name };
  out.metadata = {
    filterMetadata: { istio: { ...(drPath ? { config: drPath } : {}), services: [{ host: c.host }] } },
  };
  return out;
}

/** Go's byte-wise string order (istioctl sorts with `<`). */
export const goLess = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Parses `outbound|9080|v1|reviews...` the way istioctl sorts and prints it. */
export function subsetKey(
  name: string,
): { direction: string; port: number; subset: string; fqdn: string } | undefined {
  const parts = name.split('|');
  if (parts.length < 4) return undefined;
  return { direction: parts[0]!, port: Number(parts[1]) || 0, subset: parts[2]!, fqdn: parts[3]! };
}

/** istioctl's cluster order: FQDN, subset, port, direction. */
export function compareClusterNames(a: string, b: string): number {
  const ka = subsetKey(a) ?? { direction: '', port: 0, subset: '', fqdn: a };
  const kb = subsetKey(b) ?? { direction: '', port: 0, subset: '', fqdn: b };
  return (
    goLess(ka.fqdn, kb.fqdn) ||
    goLess(ka.subset, kb.subset) ||
    ka.port - kb.port ||
    goLess(ka.direction, kb.direction)
  );
}

/** Sorts by istioctl's cluster order, parsing each name once. */
function sortByClusterName<T>(list: T[], name: (t: T) => string): T[] {
  const keyed = list.map((t) => {
    const n = name(t);
    return { t, k: subsetKey(n) ?? { direction: '', port: 0, subset: '', fqdn: n } };
  });
  keyed.sort(
    (a, b) =>
      goLess(a.k.fqdn, b.k.fqdn) ||
      goLess(a.k.subset, b.k.subset) ||
      a.k.port - b.k.port ||
      goLess(a.k.direction, b.k.direction),
  );
  return keyed.map((x) => x.t);
}

/** The destination hosts of the mesh VirtualServices a Sidecar imports (istiod builds clusters for them too). */
function virtualServiceDestinations(snapshot: Snapshot, scope: SidecarScope): Set<string> {
  const out = new Set<string>();
  for (const vs of snapshot.virtualServices) {
    if (!snapshot.gatewayRefs(vs).includes('mesh')) continue;
    const ports = new Set<number>();
    for (const r of [...(vs.spec.http ?? []), ...(vs.spec.tls ?? []), ...(vs.spec.tcp ?? [])])
      for (const d of r.route ?? []) if (d.destination?.port?.number) ports.add(d.destination.port.number);
    const imported = scope.importsAll || [...ports, 0].some((p) => scope.importsVirtualService(vs, p));
    if (!imported) continue;
    for (const r of [...(vs.spec.http ?? []), ...(vs.spec.tls ?? []), ...(vs.spec.tcp ?? [])])
      for (const d of r.route ?? [])
        if (d.destination?.host) out.add(toFqdn(d.destination.host, vs.namespace));
  }
  return out;
}

/** Every cluster of a proxy, sorted as istioctl sorts them. */
export function clusterEntries(view: EnvoyView, proxy: ProxyTarget): ClusterEntry[] {
  const { snapshot, mesh } = view;
  const out: ClusterEntry[] = [];
  const seen = new Set<string>();
  const scope = proxy.gateway ? undefined : mesh.sidecarScope(proxy.caller);
  const inferred = scope ? virtualServiceDestinations(snapshot, scope) : undefined;
  for (const { host, port, type } of registryPorts(snapshot)) {
    // a Sidecar narrows CDS to what it imports, plus the destinations of the VirtualServices it imports
    if (scope && inferred && !scope.importsService(host, port) && !inferred.has(host)) continue;
    const rules = snapshot.destinationRulesFor(host);
    const dr = rules[0];
    const drName = dr ? `${dr.name}.${dr.namespace}` : '';
    const drPath = dr
      ? `/apis/networking.istio.io/v1alpha3/namespaces/${dr.namespace}/destination-rule/${dr.name}`
      : undefined;
    const subsets = [undefined, ...rules.flatMap((r) => (r.spec.subsets ?? []).map((s) => s.name))];
    for (const subset of subsets) {
      if (subset === '') continue;
      const c = mesh.clusters.cluster(host, subset, port);
      if (c.missing || seen.has(c.name)) continue;
      seen.add(c.name);
      out.push({ cluster: envoyCluster(c, type, drPath), sim: c, destinationRule: drName });
    }
  }
  if (!proxy.gateway) {
    // a Sidecar's ingress listener: a STATIC cluster to its defaultEndpoint (endpoints shows it)
    const ingress = ingressListeners(scope?.sidecar);
    for (const port of inboundPorts(view, proxy)) {
      out.push({
        cluster: ingress.some((l) => l.port === port)
          ? { name: `inbound|${port}||`, type: 'STATIC', connectTimeout: '10s' }
          : {
              name: `inbound|${port}||`,
              type: 'ORIGINAL_DST',
              connectTimeout: '10s',
              lbPolicy: 'CLUSTER_PROVIDED',
            },
        destinationRule: '',
      });
    }
  }
  for (const [name, type] of STATIC)
    out.push({ cluster: { name, type, connectTimeout: '10s' }, destinationRule: '' });
  return sortByClusterName(out, (e) => e.cluster.name);
}

/** The port a pod receives a Service port on (its targetPort). */
function targetPort(snapshot: Snapshot, host: string, port: number): number {
  const svc = snapshot.service(host);
  return svc?.ports.find((p) => p.port === port)?.targetPort ?? port;
}

/** EDS: the endpoints of every cluster that has some, sorted as istioctl sorts them. */
export function endpointAssignments(view: EnvoyView, proxy: ProxyTarget): EnvoyClusterLoadAssignment[] {
  const out: EnvoyClusterLoadAssignment[] = [];
  for (const e of clusterEntries(view, proxy)) {
    const c = e.sim;
    if (!c || c.endpoints.length === 0) continue;
    if (e.cluster.type === 'ORIGINAL_DST') continue;
    const tp = targetPort(view.snapshot, c.host, c.port);
    const lbEndpoints: EnvoyLbEndpoint[] = c.endpoints.map((ep) => ({
      endpoint: {
        address: {
          socketAddress: {
            address: ep.external ? ep.pod : view.addresses.pod(ep.namespace, ep.pod),
            portValue: ep.external ? c.port : tp,
          },
        },
      },
      healthStatus: 'HEALTHY',
      ...(ep.external
        ? {}
        : { metadata: { filterMetadata: { istio: { workload: `${ep.pod};${ep.namespace}` } } } }),
    }));
    out.push({ clusterName: c.name, endpoints: [{ locality: {}, lbEndpoints }] });
  }
  const local = (clusterName: string, address: string, portValue: number): EnvoyClusterLoadAssignment => ({
    clusterName,
    endpoints: [
      {
        locality: {},
        lbEndpoints: [
          { endpoint: { address: { socketAddress: { address, portValue } } }, healthStatus: 'HEALTHY' },
        ],
      },
    ],
  });
  out.push(local('agent', '127.0.0.1', 15020), local('prometheus_stats', '127.0.0.1', 15000));
  if (!proxy.gateway) {
    // Sidecar ingress listeners: the loopback, the pod's own IP, or a Unix socket
    for (const l of ingressListeners(view.mesh.sidecarScope(proxy.caller)?.sidecar)) {
      const address =
        l.endpoint.kind === 'unix'
          ? l.endpoint.address
          : l.endpoint.kind === 'loopback'
            ? l.endpoint.address.replace(/^\[|\]$/g, '')
            : view.addresses.pod(proxy.namespace, proxy.pod);
      out.push(local(`inbound|${l.port}||`, address, l.endpoint.port));
    }
  }
  return sortByClusterName(out, (e) => e.clusterName);
}
