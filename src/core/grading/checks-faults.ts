// Grader building blocks for the fault-injection labs: what injected faults do to
// requests (delays, flag DI; aborts, flag FI), and the requests they leave alone.
import { describeStatuses, fail, type Probe, pass, round, run } from './checks.ts';
import { describeFaults } from './checks-config.ts';
import { explain } from './checks-findings.ts';
import {
  describeLatency,
  describeRun,
  describeScenario,
  flagShare,
  formatMs,
  okShare,
} from './checks-measures.ts';
import { flagNotes } from './checks-resilience.ts';
import { describeMargin, shareMargin, withinShare } from './margin.ts';
import type { CheckResult, GradeContext } from './types.ts';

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
