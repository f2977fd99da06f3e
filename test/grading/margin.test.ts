// The margin of a measured share: a right answer must not fail on the luck of the
// draw when a live probe reads few answers, and simulated runs keep their tolerance.
import { describe, expect, it } from 'vitest';
import { ALPHA, acceptedRange, shareMargin, withinShare } from '../../src/core/grading/margin.ts';

/** P(X/n outside [lo, hi] percent) for X ~ Binomial(n, p), summed exactly in log space. */
function missProbability(n: number, pct: number, [lo, hi]: [number, number]): number {
  const p = pct / 100;
  let logC = 0; // log C(n, k), built up k by k
  let miss = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logC += Math.log(n - k + 1) - Math.log(k);
    const share = (100 * k) / n;
    if (share >= lo - 1e-9 && share <= hi + 1e-9) continue;
    miss += Math.exp(logC + k * Math.log(p) + (n - k) * Math.log(1 - p));
  }
  return miss;
}

describe('shareMargin', () => {
  it('keeps the tolerance for simulated runs of thousands of requests', () => {
    expect(shareMargin(20, 4000, 3)).toBe(3);
    expect(shareMargin(50, 4000, 5)).toBe(5);
    expect(shareMargin(100, 10, 3)).toBe(3); // all or nothing: no luck involved
    expect(shareMargin(0, 10, 3)).toBe(3);
  });

  it('fails a right answer measured on few answers less than once in 10,000 times', () => {
    for (const n of [10, 20, 50, 100, 200, 500, 1000])
      for (const pct of [5, 10, 20, 50, 80, 90]) {
        const range = acceptedRange(pct, n, 3);
        expect(missProbability(n, pct, range), `n=${n}, ${pct}%`).toBeLessThanOrEqual(ALPHA);
        expect(withinShare(range[0], pct, n, 3) && withinShare(range[1], pct, n, 3)).toBe(true);
      }
  });

  it('still tells 80/20 from 100/0 and 50/50 on the 200 answers of a live probe', () => {
    expect(withinShare(80, 80, 200, 3)).toBe(true);
    expect(withinShare(100, 80, 200, 3)).toBe(false);
    expect(withinShare(50, 80, 200, 3)).toBe(false);
    expect(withinShare(0, 20, 200, 3)).toBe(false);
  });
});
