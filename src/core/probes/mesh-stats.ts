// What the fortio client's own sidecar counted: Istio's standard request metric
// and Envoy's retry counters, read from `pilot-agent request GET stats/prometheus`
// in its istio-proxy container before and after a probe. The difference is every
// request of the probe, with what the client's Envoy saw of it:
//
//   istio_requests_total{reporter="source",destination_service_name="reviews",
//     destination_version="v2",response_code="200",response_flags="DI",...} 57
//   envoy_cluster_upstream_rq_retry{cluster_name="outbound|9080|v1|reviews.default.svc.cluster.local"} 3
//
// So versions, status codes and Envoy's response flags (DI, FI, UO, UT, URX, NR,
// UH, NC) are counted for all of the probe's requests, not read from a few bodies.
// A request that reached no pod (an abort, an overflow) has destination_version
// "unknown". The retry counters exist because the fortio Deployment that
// `cluster up` makes asks for cluster.outbound stats (see ../cluster/manifests.ts).

/** One series of istio_requests_total (reporter="source"). */
export interface RequestSeries {
  service: string;
  namespace: string;
  /** the destination pod's `version` label; undefined when no pod answered ("unknown") */
  version?: string;
  status: number;
  /** Envoy response flags, '-' for none */
  flags: string;
  count: number;
}

export interface MeshStats {
  requests: RequestSeries[];
  /** retries per upstream cluster (`outbound|9080|v1|reviews.default.svc.cluster.local`) */
  retries: Map<string, number>;
}

const LINE = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;

/** Labels of one sample: `a="x",b="y \"z\""` (Prometheus text format escapes). */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const re = /\s*([A-Za-z_]\w*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;
  let m: RegExpExecArray | null = re.exec(text);
  while (m) {
    const [, name, raw] = m;
    if (name !== undefined && raw !== undefined)
      labels[name] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    if (re.lastIndex >= text.length) break;
    m = re.exec(text);
  }
  return labels;
}

/** The two metrics the probes use, from Prometheus text; other lines are skipped. */
export function parseMeshStats(text: string): MeshStats {
  const requests = new Map<string, RequestSeries>();
  const retries = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('istio_requests_total') && !line.startsWith('envoy_cluster_upstream_rq_retry{'))
      continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const [, name, labelText = '', valueText = ''] = m;
    const value = Number(valueText);
    if (!Number.isFinite(value)) continue;
    const labels = parseLabels(labelText);
    if (name === 'envoy_cluster_upstream_rq_retry') {
      if (labels.cluster_name) retries.set(labels.cluster_name, value);
      continue;
    }
    if (name !== 'istio_requests_total') continue;
    if (labels.reporter !== 'source') continue;
    const version = labels.destination_version;
    const series: RequestSeries = {
      service: labels.destination_service_name ?? 'unknown',
      namespace: labels.destination_service_namespace ?? 'unknown',
      status: Number(labels.response_code ?? 0) || 0,
      flags: labels.response_flags || '-',
      count: value,
    };
    if (version && version !== 'unknown') series.version = version;
    // the other labels (principals, protocols, canonical names) split series we add up
    const key = seriesKey(series);
    const prior = requests.get(key);
    if (prior) prior.count += value;
    else requests.set(key, series);
  }
  // no series at all is normal before the first request: Envoy makes them on first use
  return { requests: [...requests.values()], retries };
}

function seriesKey(s: Omit<RequestSeries, 'count'>): string {
  return JSON.stringify([s.service, s.namespace, s.version ?? '', s.status, s.flags]);
}

/** What was counted between two readings (series that did not grow are left out). */
export function statsDelta(before: MeshStats, after: MeshStats): MeshStats {
  const prior = new Map(before.requests.map((s) => [seriesKey(s), s.count]));
  const requests: RequestSeries[] = [];
  for (const s of after.requests) {
    const n = s.count - (prior.get(seriesKey(s)) ?? 0);
    if (n > 0) requests.push({ ...s, count: n });
  }
  const retries = new Map<string, number>();
  for (const [cluster, n] of after.retries) {
    const d = n - (before.retries.get(cluster) ?? 0);
    if (d > 0) retries.set(cluster, d);
  }
  return { requests, retries };
}

/** Requests counted for `service` (short name, or an external host as Istio names it). */
export function requestsTo(stats: MeshStats, service: string): RequestSeries[] {
  return stats.requests.filter((s) => s.service === service);
}

/** How many requests to `service` were counted. */
export function countTo(stats: MeshStats, service: string): number {
  return requestsTo(stats, service).reduce((a, s) => a + s.count, 0);
}

/** Retries on the upstream clusters of `fqdn` (every port and subset). */
export function retriesTo(stats: MeshStats, fqdn: string): number {
  let n = 0;
  for (const [cluster, count] of stats.retries) if (cluster.split('|')[3] === fqdn) n += count;
  return n;
}
