// Grader building blocks for Telemetry: whether a workload's proxy writes Envoy access
// logs (telemetry-scope.ts decides as istiod does), with the Telemetry findings that
// explain a failure (a refused Telemetry, a provider the mesh does not define).
import { accessLogDecision } from '../config/telemetry-scope.ts';
import { fail, pass } from './checks.ts';
import { attach } from './checks-findings.ts';
import type { CheckResult, GradeContext } from './types.ts';

// IST0157 is left out: istioctl reports an entry without providers even when it inherits
// them from a wider Telemetry (then it works), so it cannot fail an answer.
const TELEMETRY_CODES = ['IST0106', 'ICA0101', 'ICA1015'] as const;

/** The Telemetry findings behind a failed check. */
function withTelemetryFindings(ctx: GradeContext, result: CheckResult): CheckResult {
  if (result.pass) return result;
  const related = ctx.findings.filter(
    (f) =>
      f.origin?.startsWith('Telemetry ') === true && (TELEMETRY_CODES as readonly string[]).includes(f.code),
  );
  return related.length ? attach(result, related) : result;
}

/**
 * Each named workload (Deployment name in the graded namespace, or ns/name) logs, or
 * does not, as `on` says.
 */
export function expectAccessLog(ctx: GradeContext, workloads: readonly string[], on: boolean): CheckResult {
  const snapshot = ctx.snapshot.applied();
  const wrong: string[] = [];
  const right: string[] = [];
  for (const name of workloads) {
    const [ns, wl] = name.includes('/') ? (name.split('/') as [string, string]) : [ctx.namespace, name];
    // offline the model names the Deployment; on a cluster the Pods are <deployment>-<hash>-<id>
    const all = snapshot.workloads(ns);
    const w =
      all.find((x) => x.name === wl) ??
      all.find((x) => x.resource.kind === 'Pod' && x.name.startsWith(`${wl}-`));
    if (!w) {
      wrong.push(`${wl}.${ns}: no such workload`);
      continue;
    }
    const d = accessLogDecision(snapshot, ns, w.labels);
    const text = `${wl}.${ns} ${d.on ? 'logs' : 'does not log'}: ${d.reason}`;
    (d.on === on ? right : wrong).push(text);
  }
  if (wrong.length === 0) return pass(right.join('; '));
  return withTelemetryFindings(ctx, fail(wrong.join('; ')));
}

/** At least one Telemetry in the inputs, and none refused or naming a provider istiod skips. */
export function expectTelemetryAccepted(ctx: GradeContext): CheckResult {
  const own = ctx.snapshot.telemetries.filter((t) => !t.origin.builtin);
  if (own.length === 0) return fail('no Telemetry in the inputs');
  const problems = ctx.findings.filter(
    (f) =>
      f.origin?.startsWith('Telemetry ') === true && (TELEMETRY_CODES as readonly string[]).includes(f.code),
  );
  if (problems.length === 0)
    return pass(
      `Istio accepts ${own.map((t) => `Telemetry ${t.namespace}/${t.name}`).join(', ')} and knows its providers`,
    );
  return attach(
    fail(problems.map((f) => `${f.code} ${f.origin}: ${f.message}`).join('; '), [
      ...new Set(problems.map((f) => f.code)),
    ]),
    problems,
  );
}
