// The aggregate of a run: where requests went, status codes with flags,
// latency percentiles, retries, mirrored copies, upstream load, ejections and
// (for /productpage) what the pages showed. Plain data, deterministic order,
// so the same seed serialises to the same JSON byte for byte.
import type { SimMesh } from './mesh.ts';
import type { RunState } from './state.ts';
import { type Endpoint, flagsText, type PageView, type Reply } from './types.ts';

export interface RequestRecord {
  index: number;
  startMs: number;
  latencyMs: number;
  /** 0: a TLS connection closed without a response */
  status: number;
  flags: string;
  /** the cluster the route chose (BlackHoleCluster/PassthroughCluster for external hosts) */
  cluster?: string;
  service?: string;
  subset?: string;
  /** the pod that answered (absent for local replies: NR, NC, UH, UO, FI ...) */
  pod?: string;
  version?: string;
  attempts: number;
  page?: PageView;
  /** gateway hops before `cluster`: each cluster that led to a gateway, then that gateway */
  via?: string[];
  /** status 0 because no listener took the connection (curl exit 7), not a reset */
  refused?: true;
  /** status 0 because the client gave up first (curl --max-time: exit 28) */
  gaveUp?: true;
}

export function toRecord(index: number, startMs: number, latencyMs: number, r: Reply): RequestRecord {
  const rec: RequestRecord = {
    index,
    startMs,
    latencyMs,
    status: r.status,
    flags: flagsText(r.flags),
    attempts: r.attempts,
  };
  if (r.cluster) rec.cluster = r.cluster;
  if (r.service) rec.service = r.service;
  if (r.subset) rec.subset = r.subset;
  if (r.endpoint) {
    rec.pod = r.endpoint.pod;
    rec.version = r.endpoint.version;
  }
  if (r.payload?.kind === 'page') rec.page = r.payload.page;
  if (r.via) rec.via = r.via;
  if (r.refused) rec.refused = true;
  if (r.gaveUp) rec.gaveUp = true;
  return rec;
}

export interface Share {
  count: number;
  percent: number;
}

export interface DestinationShare extends Share {
  service: string;
  version: string;
  subset?: string;
  /** false: the caller's proxy answered itself (no pod reached) */
  reachedPod: boolean;
  /** the gateway hops on the way (see RequestRecord.via) */
  via?: string[];
}

export interface StatusShare extends Share {
  status: number;
  flags: string;
  /** status 0 because the connection was refused: no listener on the port (curl exit 7) */
  refused?: true;
  /** status 0 because the client gave up first (curl --max-time: exit 28) */
  gaveUp?: true;
}

export interface LatencySummary {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface UpstreamLoad {
  service: string;
  version: string;
  pod: string;
  requests: number;
  errors: number;
  mirrored: number;
}

export interface EjectionEvent {
  atMs: number;
  untilMs: number;
  pod: string;
  cluster: string;
  caller: string;
}

export interface PageShare extends Share {
  /** e.g. "reviews v2, black stars" or "reviews unavailable" */
  view: string;
}

export interface SimSummary {
  /** `tls`: the request was a TLS connection (routed by SNI and port) */
  target: {
    host: string;
    authority: string;
    path: string;
    method: string;
    from: string;
    tls?: boolean;
    /** an https:// request a gateway terminates (absent: http) */
    https?: boolean;
    /** the SNI the client sent, when it is not the host (--sni) */
    sni?: string;
  };
  requests: number;
  concurrency: number;
  qps: number;
  seed: number;
  /** simulated time from the first request to the last response */
  simulatedMs: number;
  destinations: DestinationShare[];
  statuses: StatusShare[];
  latencyMs: LatencySummary;
  retries: { requestsRetried: number; retries: number; upstreamAttempts: number };
  mirrored: {
    copies: number;
    failed: number;
    byDestination: (Share & { service: string; version: string })[];
  };
  upstream: UpstreamLoad[];
  ejections: EjectionEvent[];
  pages?: PageShare[];
  /** the security layer's decisions on every hop (mTLS, JWT, authorization), most frequent first */
  security?: (Share & { decision: string })[];
  /** how the numbers were obtained, when not by the simulator alone (live probes) */
  notes?: string[];
}

/** bits above every response flag (see F), for grouping statuses */
const REFUSED_KEY = 1 << 20;
const GAVE_UP_KEY = 1 << 21;

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const pct = (n: number, total: number): number => (total > 0 ? Math.round((10000 * n) / total) / 100 : 0);

/** Code-point order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byCount<T extends { count: number }>(key: (x: T) => string) {
  return (a: T, b: T): number => b.count - a.count || compare(key(a), key(b));
}

export function describePage(p: PageView): string {
  const parts: string[] = [];
  if (!p.details) parts.push('details unavailable');
  if (!p.reviews) parts.push('reviews unavailable');
  else {
    const stars = p.stars === 'none' || !p.stars ? 'no stars' : `${p.stars} stars`;
    parts.push(`reviews ${p.reviewsVersion ?? '?'}, ${p.ratings === false ? 'ratings unavailable' : stars}`);
  }
  return parts.join('; ');
}

/** Percentiles (nearest rank) of `values`, which it sorts in place. */
export function latencySummary(values: Float64Array): LatencySummary {
  const n = values.length;
  if (n === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = values.sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const at = (p: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
  return {
    min: r3(sorted[0]!),
    mean: r3(sum / n),
    p50: r3(at(50)),
    p90: r3(at(90)),
    p99: r3(at(99)),
    max: r3(sorted[n - 1]!),
  };
}

export function summarize(
  records: RequestRecord[],
  replies: Reply[],
  state: RunState,
  mesh: SimMesh,
  meta: Pick<SimSummary, 'target' | 'requests' | 'concurrency' | 'qps' | 'seed'>,
): SimSummary {
  const n = records.length;
  // grouped by identity (cluster name, then endpoint; status, then flags): no string keys per request
  const dest = new Map<string, Map<Endpoint | undefined, DestinationShare>>();
  const statuses = new Map<number, Map<number, StatusShare>>();
  const pages = new Map<string, PageShare>();
  const latencies = new Float64Array(n);
  let retried = 0;
  let retries = 0;
  let attempts = 0;
  let end = 0;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    const reply = replies[i]!;
    latencies[i] = r.latencyMs;
    const finished = r.startMs + r.latencyMs;
    if (finished > end) end = finished;
    attempts += r.attempts;
    if (r.attempts > 1) {
      retried++;
      retries += r.attempts - 1;
    }
    const clusterKey = reply.via ? `${reply.cluster ?? ''}|${reply.via.join(' ')}` : (reply.cluster ?? '');
    let byEp = dest.get(clusterKey);
    if (!byEp) dest.set(clusterKey, (byEp = new Map()));
    let d = byEp.get(reply.endpoint);
    if (!d) {
      d = {
        service: r.service ?? '-',
        version: r.version ?? '-',
        reachedPod: r.pod !== undefined,
        count: 0,
        percent: 0,
      };
      if (r.subset) d.subset = r.subset;
      if (r.via) d.via = r.via;
      byEp.set(reply.endpoint, d);
    }
    d.count++;
    let byFlags = statuses.get(reply.status);
    if (!byFlags) statuses.set(reply.status, (byFlags = new Map()));
    // a client with no proxy has no flags: how its socket failed tells its rows apart
    const key = reply.flags | (reply.refused ? REFUSED_KEY : 0) | (reply.gaveUp ? GAVE_UP_KEY : 0);
    let s = byFlags.get(key);
    if (!s)
      byFlags.set(
        key,
        (s = {
          status: r.status,
          flags: r.flags,
          count: 0,
          percent: 0,
          ...(r.refused ? { refused: true } : {}),
          ...(r.gaveUp ? { gaveUp: true } : {}),
        }),
      );
    s.count++;
    if (r.page) {
      const view = describePage(r.page);
      let p = pages.get(view);
      if (!p) pages.set(view, (p = { view, count: 0, percent: 0 }));
      p.count++;
    }
  }
  // several pods of one version (or several clusters of one subset) make one row
  const merged = new Map<string, DestinationShare>();
  for (const byEp of dest.values()) {
    for (const d of byEp.values()) {
      const key = `${d.reachedPod ? 1 : 0}|${d.service}|${d.version}|${d.subset ?? ''}|${d.via?.join(' ') ?? ''}`;
      const m = merged.get(key);
      if (m) m.count += d.count;
      else merged.set(key, d);
    }
  }
  const statusList = [...statuses.values()].flatMap((m) => [...m.values()]);
  for (const list of [merged.values(), statusList, pages.values()])
    for (const x of list) x.percent = pct(x.count, n);

  const endpoints = mesh.clusters.endpoints;
  const upstream: UpstreamLoad[] = [];
  const mirroredBy = new Map<string, Share & { service: string; version: string }>();
  let mirroredReached = 0;
  for (const ep of endpoints) {
    const requests = state.upstream[ep.id] ?? 0;
    if (requests === 0) continue;
    const mirrored = state.mirroredTo[ep.id] ?? 0;
    upstream.push({
      service: ep.service,
      version: ep.version,
      pod: ep.pod,
      requests,
      errors: state.upstreamErrors[ep.id] ?? 0,
      mirrored,
    });
    if (mirrored > 0) {
      mirroredReached += mirrored;
      const key = `${ep.service}|${ep.version}`;
      let m = mirroredBy.get(key);
      if (!m) mirroredBy.set(key, (m = { service: ep.service, version: ep.version, count: 0, percent: 0 }));
      m.count += mirrored;
    }
  }
  for (const m of mirroredBy.values()) m.percent = pct(m.count, state.mirrored);
  upstream.sort((a, b) => compare(a.pod, b.pod) || compare(a.service, b.service));

  const ejections: EjectionEvent[] = [];
  for (const { caller, state: cs } of state.clusterStates) {
    for (const e of cs.outlier?.ejections ?? []) {
      ejections.push({
        atMs: r3(e.atMs),
        untilMs: r3(e.untilMs),
        pod: cs.cluster.endpoints[e.index]?.pod ?? '?',
        cluster: cs.cluster.name,
        caller: caller.name,
      });
    }
  }
  ejections.sort((a, b) => a.atMs - b.atMs || compare(a.pod, b.pod) || compare(a.caller, b.caller));

  const summary: SimSummary = {
    ...meta,
    simulatedMs: r3(end),
    destinations: [...merged.values()].sort(byCount((x) => `${x.service} ${x.version} ${x.subset ?? ''}`)),
    statuses: statusList.sort(byCount((x) => `${x.status} ${x.flags}`)),
    latencyMs: latencySummary(latencies),
    retries: { requestsRetried: retried, retries, upstreamAttempts: attempts },
    mirrored: {
      copies: state.mirrored,
      failed: state.mirrored - mirroredReached,
      byDestination: [...mirroredBy.values()].sort(byCount((x) => `${x.service} ${x.version}`)),
    },
    upstream,
    ejections,
  };
  if (pages.size > 0) summary.pages = [...pages.values()].sort(byCount((x) => x.view));
  if (state.security.size > 0) {
    const total = [...state.security.values()].reduce((a, b) => a + b, 0);
    summary.security = [...state.security]
      .map(([decision, count]) => ({ decision, count, percent: pct(count, total) }))
      .sort(byCount((x) => x.decision));
  }
  return summary;
}
