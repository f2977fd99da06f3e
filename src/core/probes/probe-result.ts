// A probe's measurements in the simulator's SimResult shape, so that the same
// graders read them. Two ways, best first:
//   - the fortio sidecar's counters (mesh-stats.ts): every request of the probe,
//     with its status, Envoy flags and the version that answered, plus retries;
//   - otherwise the load's status counts, and versions and flags from the few
//     sampled bodies.
// /productpage views always come from the sampled bodies: what the page showed
// is not in any counter. What is not measured is not invented: mirrored copies
// and ejections stay empty, and `notes` says how the numbers were obtained.
import type {
  DestinationShare,
  PageShare,
  RequestRecord,
  SimResult,
  StatusShare,
  UpstreamLoad,
} from '../sim/index.ts';
import { describePage } from '../sim/index.ts';
import { type LoadOutcome, latencyAt } from './fortio.ts';
import { type MeshStats, requestsTo, retriesTo } from './mesh-stats.ts';

export interface ProbeTarget {
  url: string;
  host: string;
  authority: string;
  path: string;
  /** `reviews` for a mesh service, the whole host for an external one */
  service: string;
  tls: boolean;
}

/** One `fortio curl` answer. */
export interface Sample {
  startMs: number;
  status: number;
  flags: string;
  pod?: string;
  version?: string;
  page?: RequestRecord['page'];
}

export interface ProbeMeasures {
  target: ProbeTarget;
  method: string;
  /** the namespace the probe ran in (short hosts resolve there) */
  namespace: string;
  /** who sent the requests, in words */
  from: string;
  requests: number;
  concurrency: number;
  qps: number;
  load: LoadOutcome;
  samples: Sample[];
  /** what the fortio sidecar counted during the probe, when it could be read */
  stats?: MeshStats;
  /** why it could not be read */
  statsProblem?: string;
}

const pct = (n: number, total: number): number => (total > 0 ? Math.round((10000 * n) / total) / 100 : 0);
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function countBy<T>(values: readonly T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** The FQDN Envoy names the target's clusters with (`reviews.default.svc.cluster.local`). */
function targetFqdn(t: ProbeTarget, namespace: string): string {
  if (t.service.includes('.')) return t.service;
  return t.host.includes('.') ? t.host : `${t.service}.${namespace}.svc.cluster.local`;
}

/** Requests held by a delay are the slowest, then those a timeout cut (for ranking latencies). */
function slowness(flags: string): number {
  const f = flags.split(',');
  return f.includes('DI') ? 2 : f.includes('UT') ? 1 : 0;
}

/**
 * One record per request the sidecar counted; pods unknown. The counters hold no
 * latency, fortio's histogram does: latencies are dealt out by rank, the slowest
 * to the requests a delay held (flag DI), then those a timeout cut (UT).
 */
function countedRecords(m: ProbeMeasures, stats: MeshStats): RequestRecord[] {
  const records: RequestRecord[] = [];
  const series = requestsTo(stats, m.target.service).sort(
    (a, b) =>
      slowness(a.flags) - slowness(b.flags) ||
      b.count - a.count ||
      a.status - b.status ||
      compare(a.flags, b.flags),
  );
  const n = series.reduce((a, s) => a + s.count, 0);
  for (const s of series)
    for (let i = 0; i < s.count; i++) {
      const rec: RequestRecord = {
        index: records.length,
        startMs: 0,
        latencyMs: latencyAt(m.load, (records.length + 0.5) / n),
        status: s.status,
        flags: s.flags,
        service: m.target.service,
        attempts: 1,
      };
      if (s.version) rec.version = s.version;
      records.push(rec);
    }
  return records;
}

function sampleRecords(m: ProbeMeasures): RequestRecord[] {
  return m.samples.map((s, index) => {
    const rec: RequestRecord = {
      index,
      startMs: s.startMs,
      latencyMs: m.load.latencyMs.p50,
      status: s.status,
      flags: s.flags,
      service: m.target.service,
      attempts: 1,
    };
    if (s.pod) rec.pod = s.pod;
    if (s.version) rec.version = s.version;
    if (s.page) rec.page = s.page;
    return rec;
  });
}

/** Statuses from the load's counts, flagged as the samples with that status showed. */
function loadStatuses(m: ProbeMeasures, records: RequestRecord[]): StatusShare[] {
  const statuses: StatusShare[] = [];
  const total = m.load.count > 0 ? m.load.count : records.length;
  const codes = m.load.count > 0 ? m.load.codes : countBy(records.map((r) => r.status));
  for (const [code, n] of codes) {
    const status = Math.max(code, 0);
    const seen = countBy(records.filter((r) => r.status === status).map((r) => r.flags));
    const groups = seen.size > 0 ? [...seen] : [['-', 1] as [string, number]];
    const sampled = groups.reduce((a, [, k]) => a + k, 0);
    let left = n;
    groups.forEach(([flags, k], i) => {
      const count = i === groups.length - 1 ? left : Math.round((n * k) / sampled);
      left -= count;
      if (count > 0) statuses.push({ status, flags, count, percent: pct(count, total) });
    });
  }
  return statuses;
}

function countedStatuses(records: RequestRecord[]): StatusShare[] {
  const by = countBy(records.map((r) => `${r.status}|${r.flags}`));
  return [...by].map(([key, count]) => {
    const [status = '0', flags = '-'] = key.split('|');
    return { status: Number(status), flags, count, percent: pct(count, records.length) };
  });
}

export function probeResult(m: ProbeMeasures): SimResult {
  const hasPages = m.samples.some((s) => s.page);
  const counted = m.stats && !hasPages ? countedRecords(m, m.stats) : [];
  const useCounts = counted.length > 0;
  const records = useCounts ? counted : sampleRecords(m);
  const notes: string[] = [];
  const sent = `${useCounts ? records.length : m.load.count} requests${m.concurrency > 1 ? `, ${m.concurrency} at a time` : ''}`;
  if (useCounts) notes.push(`measured: ${sent}, counted by the fortio client's sidecar`);
  else if (hasPages) notes.push(`measured: ${sent}; the page views of ${records.length} sampled answers`);
  else
    notes.push(
      `measured: ${sent}; versions and Envoy flags from ${records.length} sampled answers${m.statsProblem ? ` (the sidecar's counters could not be read: ${m.statsProblem})` : ''}`,
    );

  const statuses = useCounts ? countedStatuses(records) : loadStatuses(m, records);
  statuses.sort((a, b) => b.count - a.count || a.status - b.status || compare(a.flags, b.flags));

  // destinations and pages: shares of the records
  const dest = new Map<string, DestinationShare>();
  const pages = new Map<string, PageShare>();
  const upstream = new Map<string, UpstreamLoad>();
  for (const r of records) {
    const reached = r.pod !== undefined || r.version !== undefined;
    const version = r.version ?? '-';
    const key = `${reached ? 1 : 0}|${version}`;
    let d = dest.get(key);
    if (!d)
      dest.set(key, (d = { service: m.target.service, version, reachedPod: reached, count: 0, percent: 0 }));
    d.count++;
    if (r.page) {
      const view = describePage(r.page);
      let p = pages.get(view);
      if (!p) pages.set(view, (p = { view, count: 0, percent: 0 }));
      p.count++;
    }
    if (r.pod) {
      let u = upstream.get(r.pod);
      if (!u)
        upstream.set(
          r.pod,
          (u = { service: m.target.service, version, pod: r.pod, requests: 0, errors: 0, mirrored: 0 }),
        );
      u.requests++;
      if (r.status >= 500) u.errors++;
    }
  }
  for (const x of [...dest.values(), ...pages.values()]) x.percent = pct(x.count, records.length);

  const retries = useCounts && m.stats ? retriesTo(m.stats, targetFqdn(m.target, m.namespace)) : 0;
  const t = m.target;
  const result: SimResult = {
    summary: {
      target: {
        host: t.host,
        authority: t.authority,
        path: t.path,
        method: m.method,
        from: m.from,
        ...(t.tls ? { tls: true } : {}),
      },
      requests: m.requests,
      concurrency: m.concurrency,
      qps: m.qps,
      seed: 0,
      simulatedMs: m.load.durationMs,
      destinations: [...dest.values()].sort(
        (a, b) => b.count - a.count || compare(`${a.version}`, `${b.version}`),
      ),
      statuses,
      latencyMs: m.load.latencyMs,
      // the sidecar counts retries, not which requests needed them
      retries: { requestsRetried: 0, retries, upstreamAttempts: records.length + retries },
      mirrored: { copies: 0, failed: 0, byDestination: [] },
      upstream: [...upstream.values()].sort((a, b) => compare(a.pod, b.pod)),
      ejections: [],
      notes,
    },
    records,
  };
  if (pages.size > 0)
    result.summary.pages = [...pages.values()].sort((a, b) => b.count - a.count || compare(a.view, b.view));
  return result;
}
