// Building blocks for graders: behaviour through the simulator (or live probes),
// and the findings that explain a failure. Graders check what the configuration
// does, not how it is written, so every correct variation passes.
import type { Finding } from '../analysis/finding.ts';
import { toFqdn } from '../config/hosts.ts';
import type { SimResult, SimulateOptions } from '../sim/index.ts';
import { describeMargin, shareMargin, withinShare } from './margin.ts';
import type { CheckResult, GradeContext } from './types.ts';

export const DEFAULT_REQUESTS = 4000;

/** A request shape: where to, with which headers/path, from which workload. */
export type Probe = Omit<SimulateOptions, 'requests'> & { requests?: number };

/** Bookinfo's call that most routing and diagnosis labs grade: productpage asking reviews for product 0. */
export const TO_REVIEWS: Readonly<Probe> = { to: 'reviews', path: '/reviews/0', from: 'productpage-v1' };

export function run(ctx: GradeContext, probe: Probe): SimResult {
  return ctx.simulate({ requests: DEFAULT_REQUESTS, ...probe });
}

/** Percent of requests answered by each version of `service` (short name). */
export function versionShares(result: SimResult, service: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of result.summary.destinations) {
    if (d.service !== service || !d.reachedPod) continue;
    out[d.version] = (out[d.version] ?? 0) + d.percent;
  }
  return out;
}

/** Percent of responses with this status (and flag, when given). */
export function statusShare(result: SimResult, status: number, flag?: string): number {
  return result.summary.statuses
    .filter((s) => s.status === status && (flag === undefined || s.flags.split(',').includes(flag)))
    .reduce((a, s) => a + s.percent, 0);
}

export function describeShares(shares: Record<string, number>): string {
  const entries = Object.entries(shares).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return 'no pod answered';
  return entries.map(([v, p]) => `${v} ${round(p)}%`).join(', ');
}

export function describeStatuses(result: SimResult): string {
  return result.summary.statuses
    .map((s) =>
      s.refused
        ? `connection refused (no listener) ${round(s.percent)}%`
        : s.status === 0
          ? // no HTTP status at all: what the client saw, then what its own proxy logged, if it has one
            `no response (${s.gaveUp ? 'the client gave up first' : 'connection closed or reset'}${s.flags !== '-' ? `; its proxy logs 0 ${s.flags}` : ''}) ${round(s.percent)}%`
          : `${s.status}${s.flags && s.flags !== '-' ? ` ${s.flags}` : ''} ${round(s.percent)}%`,
    )
    .join(', ');
}

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** `requests to reviews for /reviews/0 with end-user: jason from productpage-v1` */
export function describeProbe(probe: Probe): string {
  const headers = Object.entries(probe.headers ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return `requests to ${probe.to}${probe.path && probe.path !== '/' ? ` for ${probe.path}` : ''}${
    headers ? ` with ${headers}` : ''
  }${probe.from ? ` from ${probe.from}` : ''}`;
}

/**
 * Traffic to `service` splits by version as expected (percent, ± tolerance).
 * Versions not named must get nothing.
 */
export function expectSplit(
  ctx: GradeContext,
  probe: Probe,
  service: string,
  expected: Record<string, number>,
  tolerance = 3,
): CheckResult {
  const result = run(ctx, probe);
  const shares = versionShares(result, service);
  const versions = new Set([...Object.keys(expected), ...Object.keys(shares)]);
  const n = result.summary.destinations.reduce((a, d) => a + d.count, 0);
  const margin = (v: string) => shareMargin(expected[v] ?? 0, n, tolerance);
  const off = [...versions].filter((v) => !withinShare(shares[v] ?? 0, expected[v] ?? 0, n, tolerance));
  const widest = Math.max(0, ...[...versions].map(margin));
  const want = `${describeShares(expected)}${describeMargin(widest, n, tolerance)}`;
  const got = describeShares(shares);
  if (off.length === 0) return { pass: true, reason: `${describeProbe(probe)}: ${got} (expected ${want})` };
  const errors = result.summary.statuses.some((s) => s.status >= 400)
    ? `; responses: ${describeStatuses(result)}`
    : '';
  return withFindings(
    ctx,
    { pass: false, reason: `${describeProbe(probe)}: ${got}, expected ${want}${errors}` },
    service,
  );
}

/**
 * Attaches the findings (any level) that concern `host`'s routing, so a failing
 * criterion shows its cause with file:line (e.g. ICA1001 for weights 80/10).
 */
export function withFindings(
  ctx: GradeContext,
  result: CheckResult,
  host?: string,
  codes?: readonly string[],
): CheckResult {
  const related = findingsAbout(ctx, host, codes);
  if (related.length === 0) return result;
  return {
    ...result,
    codes: [...new Set([...(result.codes ?? []), ...related.map((f) => f.code)])],
    findings: [...(result.findings ?? []), ...related],
  };
}

/**
 * A DestinationRule host that was meant for `fqdn` but names something else: a cut-short
 * FQDN (`reviews.default`, taken as written, not completed like a short name) or a typo of
 * the service name (`review`). Its IST0174 Warning is the real cause of the failure.
 */
function nearlyNames(host: string, fqdn: string): boolean {
  if (fqdn.startsWith(`${host}.`)) return true;
  const short = fqdn.split('.')[0] ?? '';
  const first = host.split('.')[0] ?? '';
  return first !== short && first.length > 2 && editDistance(first, short) <= 1;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length]!;
}

/** Findings (Warning or Error) on resources that route or configure `host`, or with the given codes. */
export function findingsAbout(ctx: GradeContext, host?: string, codes?: readonly string[]): Finding[] {
  const fqdn = host ? toFqdn(host, ctx.namespace) : undefined;
  const names = new Set<string>();
  if (fqdn) {
    for (const vs of ctx.snapshot.virtualServices) {
      const hosts = (vs.spec.hosts ?? []).map((h) => toFqdn(h, vs.namespace));
      const dests = (vs.spec.http ?? []).flatMap((r) => (r?.route ?? []).map((d) => d?.destination?.host));
      if (hosts.includes(fqdn) || dests.some((d) => d && toFqdn(d, vs.namespace) === fqdn)) {
        names.add(`VirtualService ${vs.namespace}/${vs.name}`);
      }
    }
    for (const dr of ctx.snapshot.destinationRules) {
      if (dr.spec.host && (toFqdn(dr.spec.host, dr.namespace) === fqdn || nearlyNames(dr.spec.host, fqdn)))
        names.add(`DestinationRule ${dr.namespace}/${dr.name}`);
    }
  }
  return ctx.findings.filter(
    (f) => f.level !== 'Info' && ((f.origin !== undefined && names.has(f.origin)) || codes?.includes(f.code)),
  );
}

/** Combines checks: passes when all pass; the reason lists each part. */
export function all(...results: CheckResult[]): CheckResult {
  const failed = results.filter((r) => !r.pass);
  const shown = failed.length ? failed : results;
  return {
    pass: failed.length === 0,
    // several parts failing for one cause (no install at all) say it once
    reason: [...new Set(shown.map((r) => r.reason))].join('; '),
    codes: [...new Set(shown.flatMap((r) => r.codes ?? []))],
    findings: shown.flatMap((r) => r.findings ?? []),
  };
}

export function pass(reason: string): CheckResult {
  return { pass: true, reason };
}

export function fail(reason: string, codes?: string[]): CheckResult {
  return codes ? { pass: false, reason, codes } : { pass: false, reason };
}

/**
 * Names of the subsets (of any DestinationRule for `service`) that select exactly
 * the pods of `version`: what a subset is called does not matter, what it selects does.
 */
export function subsetsSelecting(ctx: GradeContext, service: string, version: string): string[] {
  const fqdn = toFqdn(service, ctx.namespace);
  const svc = ctx.snapshot.service(fqdn);
  if (!svc) return [];
  const target = ctx.snapshot.endpoints(svc).filter((w) => w.labels.version === version);
  if (target.length === 0) return [];
  const out: string[] = [];
  for (const dr of ctx.snapshot.destinationRulesFor(fqdn)) {
    for (const s of dr.spec.subsets ?? []) {
      if (!s?.name) continue;
      const selected = ctx.snapshot.endpoints(svc, s.labels);
      if (selected.length === target.length && selected.every((w) => w.labels.version === version))
        out.push(s.name);
    }
  }
  return out;
}

/** Every version listed has a subset selecting exactly its pods. */
export function expectSubsets(ctx: GradeContext, service: string, versions: readonly string[]): CheckResult {
  const missing = versions.filter((v) => subsetsSelecting(ctx, service, v).length === 0);
  if (missing.length === 0) {
    return pass(
      `${service}: ${versions.map((v) => `subset ${subsetsSelecting(ctx, service, v)[0]} selects the ${v} pods`).join(', ')}`,
    );
  }
  const drs = ctx.snapshot.destinationRulesFor(toFqdn(service, ctx.namespace));
  const why =
    drs.length === 0
      ? `no DestinationRule for ${service} defines subsets`
      : `no subset selects exactly the ${missing.join(' and ')} pods (subsets select pods by labels such as version: ${missing[0]})`;
  return withFindings(ctx, fail(why), service, ['IST0101', 'IST0173', 'IST0174']);
}

/** Percent of /productpage views (from the run) matching a predicate on the page. */
export function pageShare(
  result: SimResult,
  predicate: (view: NonNullable<SimResult['records'][number]['page']>) => boolean,
): number {
  const pages = result.records.filter((r) => r.page);
  if (pages.length === 0) return 0;
  return (100 * pages.filter((r) => r.page && predicate(r.page)).length) / pages.length;
}
