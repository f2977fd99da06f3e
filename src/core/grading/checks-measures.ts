import type { SimResult } from '../sim/index.ts';
import { describeStatuses, type Probe } from './checks.ts';
import { describeProbe } from './checks-routing.ts';

// ---------------------------------------------------------------- measures

/** `12 ms`, `3.01 s` */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * The probe in words, with the bad day the simulator plays:
 * `requests to reviews for /reviews/0 from productpage-v1 (reviews:v3 failing 50%)`.
 */
export function describeScenario(probe: Probe): string {
  const who = (key: string) => key.replace(':', ' ');
  const bad = [
    ...(probe.fail ?? []).map((f) => {
      const m = /^(.*)=\s*([\d.]+)%?\s*(?::\s*(\d{3}))?\s*$/.exec(f);
      return m ? `${who(m[1] ?? '')} failing ${m[2]}% with ${m[3] ?? '500'}` : f;
    }),
    ...(probe.latency ?? []).map((f) => {
      const eq = f.lastIndexOf('=');
      return eq > 0 ? `${who(f.slice(0, eq))} taking ${f.slice(eq + 1)}` : f;
    }),
  ];
  return `${describeProbe(probe)}${bad.length ? ` (${bad.join(', ')})` : ''}`;
}

/** Percent of requests whose Envoy response flags include `flag` (DI, FI, UO, UT, URX, UH, NC ...). */
export function flagShare(result: SimResult, flag: string, status?: number): number {
  const n = result.records.length;
  if (n === 0) return 0;
  let k = 0;
  for (const r of result.records) {
    if (status !== undefined && r.status !== status) continue;
    if (r.flags.split(',').includes(flag)) k++;
  }
  return (100 * k) / n;
}

/** Percent of requests answered with a 2xx status. */
export function okShare(result: SimResult): number {
  return result.summary.statuses
    .filter((s) => s.status >= 200 && s.status < 300)
    .reduce((a, s) => a + s.percent, 0);
}

/** `latency min 3 s, p50 3 s, max 3.01 s` */
export function describeLatency(result: SimResult): string {
  const l = result.summary.latencyMs;
  return `latency min ${formatMs(l.min)}, p50 ${formatMs(l.p50)}, max ${formatMs(l.max)}`;
}

/** Statuses with flags, then latency. */
export function describeRun(result: SimResult): string {
  return `${describeStatuses(result)}; ${describeLatency(result)}`;
}

/** Tries (retries included, mirrored copies excluded) that reached each version of `service`. */
export function triesByVersion(result: SimResult, service: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const u of result.summary.upstream) {
    if (u.service !== service) continue;
    out[u.version] = (out[u.version] ?? 0) + u.requests - u.mirrored;
  }
  return out;
}

/** Percent of the tries reaching `service` that went to its `version` pods. */
export function tryShare(result: SimResult, service: string, version: string): number {
  const tries = triesByVersion(result, service);
  const total = Object.values(tries).reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : (100 * (tries[version] ?? 0)) / total;
}

/** Mirrored copies that reached each version of `service`. */
export function mirroredByVersion(result: SimResult, service: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of result.summary.mirrored.byDestination) {
    if (m.service !== service) continue;
    out[m.version] = (out[m.version] ?? 0) + m.count;
  }
  return out;
}

/** The most pods of `service` that outlier detection kept ejected at the same time (any caller). */
export function maxEjectedAtOnce(result: SimResult, service: string): number {
  const fqdnPart = `|${service}.`;
  const events: [number, number][] = [];
  for (const e of result.summary.ejections) {
    if (!e.cluster.includes(fqdnPart) && !e.cluster.endsWith(`|${service}`)) continue;
    events.push([e.atMs, 1], [e.untilMs, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of events) {
    now += d;
    if (now > max) max = now;
  }
  return max;
}

/** Pods of `service` that outlier detection ejected during the run (any caller). */
export function ejectedPods(result: SimResult, service: string): string[] {
  const fqdnPart = `|${service}.`;
  return [
    ...new Set(
      result.summary.ejections
        .filter((e) => e.cluster.includes(fqdnPart) || e.cluster.endsWith(`|${service}`))
        .map((e) => e.pod),
    ),
  ].sort();
}
