// Grader building blocks for the resilience and troubleshooting labs (see
// checks.ts for the shared ones, checks-faults.ts for injected faults,
// checks-timeouts.ts for timeouts and retries): what the Envoy flags of failed
// requests mean, how many succeed, where the tries land (outlier detection) and
// what connection limits reject (503 UO). A failing reason says what happened and
// what was expected, then points at the likely cause in the learner's
// configuration (a policy on a subset no route uses, a port the Service does not
// expose ...).
import type { SimResult } from '../sim/index.ts';
import { describeStatuses, fail, type Probe, pass, round, run } from './checks.ts';
import { describePolicy } from './checks-config.ts';
import { explain } from './checks-findings.ts';
import {
  describeRun,
  describeScenario,
  ejectedPods,
  flagShare,
  okShare,
  triesByVersion,
  tryShare,
} from './checks-measures.ts';
import type { CheckResult, GradeContext } from './types.ts';

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
