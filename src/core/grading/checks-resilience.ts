// Grader building blocks for the fault-injection, resilience and troubleshooting
// labs (see checks.ts for the shared ones): what faults do to requests (delays,
// aborts), how requests end (timeouts, retries), where the tries land (outlier
// detection, mirroring) and what connection limits reject (503 UO). A failing
// reason says what happened and what was expected, then points at the likely
// cause in the learner's configuration (a fault without a percentage, a policy on
// a subset no route uses, a port the Service does not expose ...).
import { toFqdn } from '../config/hosts.ts';
import type { SimResult } from '../sim/index.ts';
import { describeStatuses, fail, type Probe, pass, round, run, withFindings } from './checks.ts';
import { describeFaults, describePolicy, matchText, meshRoutes } from './checks-config.ts';
import {
  describeLatency,
  describeRun,
  describeScenario,
  ejectedPods,
  flagShare,
  formatMs,
  okShare,
  triesByVersion,
  tryShare,
} from './checks-measures.ts';
import { dedupeFindings } from './checks-routing.ts';
import { describeMargin, shareMargin, withinShare } from './margin.ts';
import type { CheckResult, GradeContext } from './types.ts';

// ---------------------------------------------------------------- checks

function explain(
  ctx: GradeContext,
  result: CheckResult,
  host: string,
  codes?: readonly string[],
): CheckResult {
  return dedupeFindings(withFindings(ctx, result, host, codes));
}

/** What the Envoy response flags of the failed requests mean, for failing reasons. */
export function flagNotes(result: SimResult): string {
  const flags = new Set(
    result.summary.statuses.filter((s) => s.status >= 400).flatMap((s) => s.flags.split(',')),
  );
  const notes: string[] = [];
  if (flags.has('NC'))
    notes.push(
      'NC: the route points at a cluster that does not exist (a subset that no DestinationRule defines?)',
    );
  if (flags.has('UH'))
    notes.push('UH: no healthy pod (the subset selects no pod, or all of them are ejected)');
  if (flags.has('NR')) notes.push('NR: no route matched the request');
  if (flags.has('UO')) notes.push('UO: a connection pool limit rejected the request');
  if (flags.has('UT')) notes.push('UT: a timeout ended the request');
  if (flags.has('URX')) notes.push('URX: the retries were used up');
  if (flags.has('FI')) notes.push('FI: aborted by an injected fault');
  return notes.join('; ');
}

/**
 * Every request of each probe is held by an injected delay (flag DI) for
 * minMs..maxMs in all, and is then answered 200.
 */
export function expectDelayed(
  ctx: GradeContext,
  probes: readonly Probe[],
  host: string,
  want: { minMs: number; maxMs: number; what: string },
): CheckResult {
  const good: string[] = [];
  const bad: string[] = [];
  for (const probe of probes) {
    const result = run(ctx, { requests: 200, ...probe });
    const l = result.summary.latencyMs;
    const delayed = flagShare(result, 'DI');
    const ok = okShare(result);
    if (delayed >= 99.999 && l.min >= want.minMs && l.max <= want.maxMs && ok >= 99.999) {
      good.push(
        `${describeScenario(probe)}: every request waits ${formatMs(l.min)} to ${formatMs(l.max)} (flag DI) and gets 200`,
      );
      continue;
    }
    const why: string[] = [];
    if (delayed < 99.999) why.push(`expected every request to wait ${want.what}`);
    else if (l.min < want.minMs || l.max > want.maxMs) why.push(`expected each to take ${want.what}`);
    if (ok < 99.999)
      why.push(`expected every request to be answered 200 after the delay (${flagNotes(result)})`);
    bad.push(
      `${describeScenario(probe)}: ${round(delayed)}% delayed, ${describeRun(result)}; ${why.join(', ')}`,
    );
  }
  if (bad.length === 0) return pass(good.join('; '));
  return explain(ctx, fail(`${bad.join('; ')}; ${describeFaults(ctx, host)}`), host);
}

/** No request of the probe meets a fault (no DI, no FI); all get 200 within maxMs. */
export function expectUndisturbed(ctx: GradeContext, probe: Probe, host: string, maxMs = 1000): CheckResult {
  const result = run(ctx, { requests: 200, ...probe });
  const faulted = flagShare(result, 'DI') + flagShare(result, 'FI');
  const ok = okShare(result);
  const l = result.summary.latencyMs;
  if (faulted === 0 && ok >= 99.999 && l.max <= maxMs)
    return pass(`${describeScenario(probe)}: all 200 with no fault, ${describeLatency(result)}`);
  const why =
    faulted > 0
      ? `a fault hit them too (they should be left alone); ${describeFaults(ctx, host)}`
      : ok < 99.999
        ? `expected all to be answered 200 (${flagNotes(result)})`
        : `expected answers within ${formatMs(maxMs)}`;
  return explain(ctx, fail(`${describeScenario(probe)}: ${describeRun(result)}; ${why}`), host);
}

/**
 * About `percent`% (± tolerance) of the probe's requests are aborted by a fault
 * with `status` (flag FI).
 */
export function expectAborted(
  ctx: GradeContext,
  probe: Probe,
  host: string,
  want: { status: number; percent: number; tolerance: number },
): CheckResult {
  const result = run(ctx, { requests: 4000, ...probe });
  const aborted = flagShare(result, 'FI', want.status);
  const anyFi = flagShare(result, 'FI');
  const text = `${describeScenario(probe)}: ${describeStatuses(result)}`;
  const n = result.records.length;
  const margin = shareMargin(want.percent, n, want.tolerance);
  if (withinShare(aborted, want.percent, n, want.tolerance))
    return pass(`${text} (${round(aborted)}% aborted with ${want.status} by the fault)`);
  const wrongStatus =
    anyFi > aborted + 1 ? `; ${round(anyFi)}% are aborted, but not with status ${want.status}` : '';
  return explain(
    ctx,
    fail(
      `${text}: ${round(aborted)}% aborted with ${want.status} (flag FI), expected about ${want.percent}%${describeMargin(margin, n, want.tolerance)}${wrongStatus}; ${describeFaults(ctx, host)}`,
    ),
    host,
  );
}

/** At least `minPercent`% of the probe's requests succeed (2xx). */
export function expectSuccess(
  ctx: GradeContext,
  probe: Probe,
  host: string,
  minPercent: number,
  explainFailure: (result: SimResult) => string = flagNotes,
  codes?: readonly string[],
): CheckResult {
  const result = run(ctx, probe);
  const ok = okShare(result);
  const text = `${describeScenario(probe)}: ${describeRun(result)}`;
  if (ok >= minPercent) return pass(`${text} (${round(ok)}% succeed)`);
  const more = explainFailure(result);
  return explain(
    ctx,
    fail(`${text}: ${round(ok)}% succeed, expected at least ${minPercent}%${more ? `; ${more}` : ''}`),
    host,
    codes,
  );
}

/**
 * Requests to `service` still reach each of `versions` (at least `minPercent`% each)
 * and all succeed: the policy does not disturb healthy traffic.
 */
export function expectSpread(
  ctx: GradeContext,
  probe: Probe,
  service: string,
  versions: readonly string[],
  minPercent: number,
): CheckResult {
  const result = run(ctx, { requests: 1500, ...probe });
  const ok = okShare(result);
  const shares: Record<string, number> = {};
  for (const d of result.summary.destinations)
    if (d.service === service && d.reachedPod) shares[d.version] = (shares[d.version] ?? 0) + d.percent;
  const low = versions.filter((v) => (shares[v] ?? 0) < minPercent);
  const got = versions.map((v) => `${v} ${round(shares[v] ?? 0)}%`).join(', ');
  const ejected = ejectedPods(result, service);
  if (low.length === 0 && ok >= 99.999) return pass(`${describeScenario(probe)}: ${got}, all 200`);
  const why =
    ejected.length > 0
      ? `; healthy pods were ejected (${ejected.join(', ')}): ${describePolicy(ctx, service, 'outlierDetection')}`
      : '';
  return explain(
    ctx,
    fail(
      `${describeScenario(probe)}: ${got}; ${describeStatuses(result)}; expected every version to keep its share and every request to succeed${ok < 99.999 ? ` (${flagNotes(result)})` : ''}${why}`,
    ),
    service,
  );
}

/** At least `minPercent`% of the probe's requests overflow a connection limit (503 UO). */
export function expectOverflow(
  ctx: GradeContext,
  probe: Probe,
  host: string,
  minPercent: number,
): CheckResult {
  const result = run(ctx, { requests: 600, ...probe });
  const uo = flagShare(result, 'UO', 503);
  const text = `${describeScenario(probe)} at concurrency ${probe.concurrency ?? 1}: ${describeStatuses(result)}`;
  if (uo >= minPercent) return pass(`${text} (${round(uo)}% rejected by the circuit breaker, 503 UO)`);
  const why =
    okShare(result) === 0
      ? 'no request got through at all, so the connection limits never came into play'
      : 'the connection limits are never reached';
  return explain(
    ctx,
    fail(
      `${text}: ${round(uo)}% 503 UO, expected at least ${minPercent}%: ${why}; ${describePolicy(ctx, host, 'connectionPool')}`,
    ),
    host,
  );
}

/**
 * The `version` pods of `service` get at most `maxPercent`% of the tries (outlier
 * detection took them out of the pool).
 */
export function expectAvoided(
  ctx: GradeContext,
  probe: Probe,
  service: string,
  version: string,
  maxPercent: number,
): CheckResult {
  const result = run(ctx, { requests: 2000, ...probe });
  const share = tryShare(result, service, version);
  const tries = triesByVersion(result, service);
  const total = Object.values(tries).reduce((a, b) => a + b, 0);
  const ejected = ejectedPods(result, service);
  const text = `${describeScenario(probe)}: ${round(share)}% of the ${total} tries reached ${service} ${version}${
    ejected.length ? ` (ejected: ${ejected.join(', ')})` : ', no pod was ejected'
  }`;
  if (share <= maxPercent) return pass(text);
  return explain(
    ctx,
    fail(
      `${text}, expected at most ${maxPercent}%: the failing pod keeps receiving traffic; ${describePolicy(ctx, service, 'outlierDetection')}`,
    ),
    service,
    ['ICA1002'],
  );
}

/** /productpage views whose reviews came from one of `versions`: how many, and the percent matching `predicate`. */
export function pagesFrom(
  result: SimResult,
  versions: readonly string[],
  predicate: (page: NonNullable<SimResult['records'][number]['page']>) => boolean,
): { count: number; percent: number } {
  let count = 0;
  let k = 0;
  for (const r of result.records) {
    const p = r.page;
    if (!p?.reviews || !versions.includes(p.reviewsVersion ?? '')) continue;
    count++;
    if (predicate(p)) k++;
  }
  return { count, percent: count ? (100 * k) / count : 0 };
}

/** The requests of a run that a fault did not abort: all of them reached a pod and got 200. */
export function expectRestServed(ctx: GradeContext, probe: Probe, host: string): CheckResult {
  const result = run(ctx, { requests: 2000, ...probe });
  const rest = result.records.filter((r) => !r.flags.split(',').includes('FI'));
  const served = rest.filter((r) => r.status === 200 && (r.pod ?? r.version) !== undefined).length;
  const text = `${describeScenario(probe)}: ${describeStatuses(result)}`;
  if (rest.length > 0 && served === rest.length)
    return pass(`${text}: all ${rest.length} requests that were not aborted reached ${host} and got 200`);
  if (rest.length === 0)
    return explain(
      ctx,
      fail(`${text}: every request was aborted, none reached ${host}; ${describeFaults(ctx, host)}`),
      host,
    );
  return explain(
    ctx,
    fail(
      `${text}: ${rest.length - served} of the ${rest.length} requests that were not aborted by the fault still failed (${flagNotes(result)})`,
    ),
    host,
  );
}

/** The timeouts and retry policies on the routes for `host`, and timeouts set for other hosts. */
export function describeTimeouts(ctx: GradeContext, host: string): string {
  const lines: string[] = [];
  for (const r of meshRoutes(ctx, host)) {
    const parts: string[] = [];
    if (r.rule.timeout) parts.push(`timeout ${r.rule.timeout}`);
    const rt = r.rule.retries;
    if (rt)
      parts.push(
        `retries attempts ${rt.attempts ?? 0}${rt.perTryTimeout ? `, perTryTimeout ${rt.perTryTimeout}` : ''}${rt.retryOn ? `, retryOn ${rt.retryOn}` : ''}`,
      );
    if (parts.length) lines.push(`${r.where}: ${parts.join('; ')}${matchText(r.rule)}`);
  }
  const fqdn = toFqdn(host, ctx.namespace);
  const elsewhere = ctx.snapshot.virtualServices
    .filter(
      (vs) =>
        !(vs.spec.hosts ?? []).some((h) => toFqdn(h, vs.namespace) === fqdn) &&
        (vs.spec.http ?? []).some((r) => r?.timeout),
    )
    .map((vs) => (vs.spec.hosts ?? []).join(', '));
  const other = elsewhere.length
    ? ` (a timeout is set for ${elsewhere.join('; ')}: a route timeout limits the requests for the hosts of its own VirtualService)`
    : '';
  if (lines.length === 0)
    return `no route for ${host} sets a timeout, and timeouts are off by default${other}`;
  return `${lines.join('; ')}${other}`;
}

/** Nearly every request of the probe ends in 504 UT after minMs..maxMs: a route timeout gave up on it. */
export function expectTimedOut(
  ctx: GradeContext,
  probe: Probe,
  host: string,
  want: { minMs: number; maxMs: number; what: string },
): CheckResult {
  const result = run(ctx, { requests: 200, ...probe });
  const ut = flagShare(result, 'UT', 504);
  const l = result.summary.latencyMs;
  const text = `${describeScenario(probe)}: ${describeRun(result)}`;
  if (ut >= 99 && l.min >= want.minMs && l.max <= want.maxMs)
    return pass(`${text}: the route gives up after ${formatMs(l.max)} (504 UT)`);
  const why =
    ut < 99
      ? `expected them to end with 504 UT after ${want.what}`
      : `expected the timeout to fire after ${want.what}`;
  return explain(ctx, fail(`${text}; ${why}; ${describeTimeouts(ctx, host)}`), host);
}

/**
 * With failing tries, at least `minPercent`% of the probe's requests succeed and
 * some were retried: the retries, not luck, saved them.
 */
export function expectRetriesRecover(
  ctx: GradeContext,
  probe: Probe,
  host: string,
  minPercent: number,
): CheckResult {
  const result = run(ctx, { requests: 2000, ...probe });
  const ok = okShare(result);
  const r = result.summary.retries;
  const text = `${describeScenario(probe)}: ${describeStatuses(result)}; ${r.retries} retries${r.requestsRetried ? ` for ${r.requestsRetried} requests` : ''}`;
  if (ok >= minPercent && r.retries > 0)
    return pass(`${text}: the failed tries were retried (${round(ok)}% succeed)`);
  const configured = meshRoutes(ctx, host).some((m) => (m.rule.retries?.attempts ?? 0) > 0);
  const why =
    r.retries === 0
      ? configured
        ? 'no failed try was retried: retryOn must cover the failure (5xx covers every 5xx status and timed-out tries, gateway-error only 502, 503 and 504)'
        : "no failed try was retried: the route has no retries of its own, and Istio's default policy retries connection failures only, not errors or timeouts"
      : `only ${round(ok)}% succeed, expected at least ${minPercent}%`;
  return explain(ctx, fail(`${text}; ${why}; ${describeTimeouts(ctx, host)}`), host);
}

/** Every request of the probe is answered 200 within minMs..maxMs: slow tries are cut by a per-try timeout and retried. */
export function expectPerTryCut(
  ctx: GradeContext,
  probe: Probe,
  host: string,
  want: { minMs: number; maxMs: number; what: string },
): CheckResult {
  const result = run(ctx, { requests: 1000, ...probe });
  const ok = okShare(result);
  const l = result.summary.latencyMs;
  const text = `${describeScenario(probe)}: ${describeRun(result)}`;
  if (ok >= 99.999 && l.max <= want.maxMs && l.max >= want.minMs)
    return pass(`${text}: a try that hangs is abandoned after ${formatMs(l.max)} and retried on another pod`);
  const why =
    ok < 99.999
      ? `expected every request to succeed on another pod: a try on the hanging pod must be cut short (perTryTimeout) and retried (${flagNotes(result)})`
      : l.max > want.maxMs
        ? `expected every answer within ${want.what}: a try on the hanging pod must be cut short`
        : `expected the slow tries to be given ${want.what}`;
  return explain(ctx, fail(`${text}; ${why}; ${describeTimeouts(ctx, host)}`), host);
}

/** Each request of the probe (whose every try fails or hangs) gets at least `minTries` tries. */
export function expectTries(ctx: GradeContext, probe: Probe, host: string, minTries: number): CheckResult {
  const result = run(ctx, { requests: 1, ...probe });
  const fewest = Math.min(...result.records.map((r) => r.attempts));
  const most = Math.max(...result.records.map((r) => r.attempts));
  const span = fewest === most ? `${fewest}` : `${fewest} to ${most}`;
  const text = `${describeScenario(probe)}: ${span} ${most === 1 ? 'try' : 'tries'} per request, then ${describeRun(result)}`;
  if (fewest >= minTries) return pass(text);
  return explain(
    ctx,
    fail(
      `${text}; expected at least ${minTries} tries before giving up: the overall timeout must leave room for attempts x perTryTimeout; ${describeTimeouts(ctx, host)}`,
    ),
    host,
    ['ICA1003'],
  );
}
