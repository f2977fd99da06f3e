// Grader building blocks for the timeout and retry labs: how requests end (504 UT
// after a route timeout), and what retries and per-try timeouts recover.
import { toFqdn } from '../config/hosts.ts';
import { describeStatuses, fail, type Probe, pass, round, run } from './checks.ts';
import { matchText, meshRoutes } from './checks-config.ts';
import { explain } from './checks-findings.ts';
import { describeRun, describeScenario, flagShare, formatMs, okShare } from './checks-measures.ts';
import { flagNotes } from './checks-resilience.ts';
import type { CheckResult, GradeContext } from './types.ts';

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
      `${text}; expected at least ${minTries} tries before giving up: the overall timeout must leave room for the first try and every retry, (attempts + 1) x perTryTimeout; ${describeTimeouts(ctx, host)}`,
    ),
    host,
    ['ICA1003'],
  );
}
