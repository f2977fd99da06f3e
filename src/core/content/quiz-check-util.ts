// Helpers shared by the quiz checks: results, Go durations, percentages.

export interface CheckResult {
  ok: boolean;
  /** what the check expects, in words */
  label: string;
  /** when not ok: what was found instead */
  detail?: string;
}

const UNITS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 1e-6,
};

/** A Go duration in milliseconds, or undefined when it is not one. */
export function durationMs(text: string | undefined): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (UNITS[m[2] ?? ''] ?? Number.NaN);
    end = re.lastIndex;
  }
  return end === text.length && Number.isFinite(total) ? total : undefined;
}

export const pct = (n: number) => `${Math.round(n * 10) / 10}%`;
export const result = (label: string, problems: string[]): CheckResult =>
  problems.length ? { ok: false, label, detail: problems.join('; ') } : { ok: true, label };
