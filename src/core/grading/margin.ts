// The statistics of a measured share: how much luck a right answer is allowed.
//
// A simulated run has thousands of requests and a fixed seed, so the grader's
// tolerance decides. A live probe reads fewer answers (200 at most, 10 bodies),
// and a correct configuration must not fail on the luck of the draw: a share is
// also accepted while its count is a plausible draw of Binomial(n, expected),
// that is, outside only the rarest ALPHA of outcomes, computed exactly.

/** The chance that a right answer is failed on luck alone, at most. */
export const ALPHA = 1e-4;

/** The counts k of n a right answer at `p` yields but for ALPHA of the time: [lo, hi]. */
function plausibleCounts(n: number, p: number): [number, number] {
  if (p <= 0) return [0, 0];
  if (p >= 1) return [n, n];
  const logPmf: number[] = new Array(n + 1);
  let logC = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logC += Math.log(n - k + 1) - Math.log(k);
    logPmf[k] = logC + k * Math.log(p) + (n - k) * Math.log(1 - p);
  }
  let lo = 0;
  for (let tail = 0; lo < n; lo++) {
    tail += Math.exp(logPmf[lo] ?? -Infinity);
    if (tail > ALPHA / 2) break;
  }
  let hi = n;
  for (let tail = 0; hi > 0; hi--) {
    tail += Math.exp(logPmf[hi] ?? -Infinity);
    if (tail > ALPHA / 2) break;
  }
  return [lo, hi];
}

/** The shares (percent) accepted for `expectedPct` measured on `n` answers. */
export function acceptedRange(expectedPct: number, n: number, tolerance: number): [number, number] {
  const lo = expectedPct - tolerance;
  const hi = expectedPct + tolerance;
  if (!(n > 0)) return [lo, hi];
  const [kLo, kHi] = plausibleCounts(Math.round(n), Math.min(Math.max(expectedPct / 100, 0), 1));
  return [Math.min(lo, (100 * kLo) / n), Math.max(hi, (100 * kHi) / n)];
}

/** How far (percent) a share may stray from `expectedPct`, at the widest side. */
export function shareMargin(expectedPct: number, n: number, tolerance: number): number {
  const [lo, hi] = acceptedRange(expectedPct, n, tolerance);
  return Math.max(expectedPct - lo, hi - expectedPct);
}

/** `measured` agrees with `expected` (percent), given `n` answers and the grader's tolerance. */
export function withinShare(measured: number, expected: number, n: number, tolerance: number): boolean {
  const [lo, hi] = acceptedRange(expected, n, tolerance);
  return measured >= lo - 1e-9 && measured <= hi + 1e-9;
}

/**
 * ` (±12% on 40 answers)` when the margin is clearly wider than the tolerance (a
 * live probe's few answers), else '' (a simulated run: the criterion's own ±).
 */
export function describeMargin(margin: number, n: number, tolerance: number): string {
  return margin >= tolerance + 1 ? ` (±${Math.round(margin)}% on ${n} answers)` : '';
}
