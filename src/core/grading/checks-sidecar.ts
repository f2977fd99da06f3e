// Grader building blocks for Sidecar resources: the product page still complete under
// a scoped proxy, and Sidecars that Istio accepts and applies unambiguously.
import { describeProbe, fail, pass, run } from './checks.ts';
import { attach } from './checks-findings.ts';
import type { CheckResult, GradeContext } from './types.ts';

/** The codes that make a Sidecar refused or ambiguous. */
const SIDECAR_PROBLEMS = ['IST0106', 'ICA0101', 'IST0101', 'IST0110', 'IST0111', 'IST0167'] as const;

/**
 * Every /productpage view shows details, reviews and (from reviews v2/v3) ratings: the
 * proxies on the way know the services they call. Failures carry the Sidecar findings
 * that explain them (ICA1013: a Sidecar hides a called service).
 */
export function expectPagesComplete(ctx: GradeContext, requests = 300): CheckResult {
  const probe = { to: 'productpage', path: '/productpage', requests };
  const result = run(ctx, probe);
  const pages = result.records.flatMap((r) => (r.page ? [r.page] : []));
  const missing = new Map<string, number>();
  const count = (what: string) => missing.set(what, (missing.get(what) ?? 0) + 1);
  for (const p of pages) {
    if (!p.details) count('details unavailable');
    if (!p.reviews) count('reviews unavailable');
    else if (p.ratings === false) count('ratings unavailable');
  }
  if (pages.length > 0 && missing.size === 0)
    return pass(`${describeProbe(probe)}: every page shows details, reviews and ratings`);
  const shown =
    pages.length === 0
      ? 'no page was rendered'
      : [...missing].map(([k, n]) => `${k} on ${Math.round((100 * n) / pages.length)}% of pages`).join(', ');
  return withSidecarFindings(ctx, fail(`${describeProbe(probe)}: ${shown}`));
}

/** No Sidecar is refused (IST0106, ICA0101), selects nothing (IST0101), or conflicts (IST0110, IST0111). */
export function expectSidecarsUnambiguous(ctx: GradeContext): CheckResult {
  const problems = ctx.findings.filter(
    (f) =>
      f.origin?.startsWith('Sidecar ') === true &&
      (SIDECAR_PROBLEMS as readonly string[]).includes(f.code) &&
      f.level !== 'Info',
  );
  const sidecars = ctx.snapshot.sidecars.filter((s) => !s.origin.builtin);
  if (sidecars.length === 0) return fail('no Sidecar in the inputs');
  if (problems.length === 0)
    return pass(
      `Istio accepts ${sidecars.map((s) => `Sidecar ${s.namespace}/${s.name}`).join(', ')} and applies each to its own pods`,
    );
  const codes = [...new Set(problems.map((f) => f.code))];
  return attach(
    fail(`${problems.map((f) => `${f.code} ${f.origin}: ${f.message}`).join('; ')}`, codes),
    problems,
  );
}

/** A failed behaviour check with the Sidecar findings that explain it (ICA1013, ICA1014, a refused Sidecar). */
export function withSidecarFindings(ctx: GradeContext, result: CheckResult): CheckResult {
  if (result.pass) return result;
  const related = ctx.findings.filter(
    (f) =>
      f.code === 'ICA1013' ||
      f.code === 'ICA1014' ||
      (f.origin?.startsWith('Sidecar ') === true && f.level === 'Error'),
  );
  return related.length ? attach(result, related) : result;
}
