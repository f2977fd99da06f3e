// Grader building blocks: the analyzer findings a failing check carries (those on
// the resources it names, or about its host), each shown once.
import type { Finding } from '../analysis/finding.ts';
import { all, withFindings } from './checks.ts';
import type { CheckResult, GradeContext } from './types.ts';

/** Each finding once (combined checks attach the same findings several times). */
export function dedupeFindings(result: CheckResult): CheckResult {
  if (!result.findings?.length) return result;
  const seen = new Set<string>();
  const findings = result.findings.filter((f) => {
    const key = `${f.code}|${f.file ?? ''}|${f.line ?? ''}|${f.path ?? ''}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...result, findings };
}

/** `all` with each finding shown once. */
export function allOf(...results: CheckResult[]): CheckResult {
  return dedupeFindings(all(...results));
}

/** Findings (Warning or Error) on the given resources (`Kind ns/name`), or with the given codes. */
export function findingsOn(
  ctx: GradeContext,
  origins: readonly string[],
  codes: readonly string[] = [],
): Finding[] {
  const names = new Set(origins);
  return ctx.findings.filter(
    (f) => f.level !== 'Info' && ((f.origin !== undefined && names.has(f.origin)) || codes.includes(f.code)),
  );
}

export function attach(result: CheckResult, findings: readonly Finding[]): CheckResult {
  if (result.pass || findings.length === 0) return result;
  return dedupeFindings({
    ...result,
    codes: [...new Set([...(result.codes ?? []), ...findings.map((f) => f.code)])],
    findings: [...(result.findings ?? []), ...findings],
  });
}

/** A failing result with the findings about `host` (and `codes`), each once. */
export function explain(
  ctx: GradeContext,
  result: CheckResult,
  host: string,
  codes?: readonly string[],
): CheckResult {
  return dedupeFindings(withFindings(ctx, result, host, codes));
}
