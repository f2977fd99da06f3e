// Fault injection, timeouts and retries (the module's section 3 and 4 examples).
import { describe, expect, it } from 'vitest';
import { run, statusPercent } from './helpers.ts';
import * as istio from './yaml.ts';

describe('fault injection', () => {
  it('fixedDelay 3s at 100% adds about 3 s to p50', () => {
    const base = run(istio.ratingsVs(istio.routeTo('ratings', 'v1')), {
      to: 'ratings',
      requests: 10_000,
    });
    const delayed = run(
      istio.ratingsVs(`  - fault:
      delay:
        percentage: {value: 100}
        fixedDelay: 3s
    route:
    - destination: {host: ratings, subset: v1}`),
      { to: 'ratings', requests: 10_000 },
    );
    const added = delayed.summary.latencyMs.p50 - base.summary.latencyMs.p50;
    expect(added).toBeGreaterThan(2950);
    expect(added).toBeLessThan(3050);
    expect(statusPercent(delayed.summary, 200, 'DI')).toBe(100);
  });

  it('abort 50% with 503 gives about 50% 503 FI, which never reach a pod', () => {
    const { summary } = run(
      istio.ratingsVs(`  - fault:
      abort:
        percentage: {value: 50}
        httpStatus: 503
    route:
    - destination: {host: ratings, subset: v1}`),
      { to: 'ratings', requests: 10_000 },
    );
    const fi = statusPercent(summary, 503, 'FI');
    expect(fi).toBeGreaterThan(47);
    expect(fi).toBeLessThan(53);
    const reached = summary.upstream.find((u) => u.pod === 'ratings-v1-0')?.requests ?? 0;
    expect(reached).toBe(Math.round((10_000 * (100 - fi)) / 100));
  });

  it('rolls a 50% delay and a 10% abort independently', () => {
    const { summary, records } = run(
      istio.ratingsVs(`  - fault:
      delay:
        percentage: {value: 50}
        fixedDelay: 5s
      abort:
        percentage: {value: 10}
        httpStatus: 500
    route:
    - destination: {host: ratings, subset: v1}`),
      { to: 'ratings', requests: 10_000 },
    );
    const delayed = records.filter((r) => r.flags.includes('DI'));
    const aborted = records.filter((r) => r.flags.includes('FI'));
    expect(Math.abs(delayed.length / 100 - 50)).toBeLessThan(3);
    expect(Math.abs(aborted.length / 100 - 10)).toBeLessThan(1.5);
    expect(aborted.every((r) => r.status === 500)).toBe(true);
    // independent: about 10% of the delayed requests are aborted too
    const both = delayed.filter((r) => r.flags.includes('FI')).length;
    expect(Math.abs((100 * both) / delayed.length - 10)).toBeLessThan(2);
    expect(delayed.every((r) => r.latencyMs >= 5000)).toBe(true);
    expect(statusPercent(summary, 500, 'DI,FI')).toBeGreaterThan(3);
  });

  it('never fires a fault whose percentage is omitted', () => {
    const { summary } = run(
      istio.ratingsVs(`  - fault:
      abort:
        httpStatus: 500
    route:
    - destination: {host: ratings, subset: v1}`),
      { to: 'ratings', requests: 500 },
    );
    expect(statusPercent(summary, 200, '-')).toBe(100);
  });
});

describe('timeouts', () => {
  it('timeout 3s in front of a 7 s response gives 504 UT at about 3 s', () => {
    const { summary } = run(
      istio.reviewsVs(`  - timeout: 3s
    route:
    - destination: {host: reviews, subset: v2}`),
      { to: 'reviews', requests: 200, latency: ['reviews:v2=7s'] },
    );
    expect(statusPercent(summary, 504, 'UT')).toBe(100);
    expect(summary.latencyMs.p50).toBeGreaterThanOrEqual(3000);
    expect(summary.latencyMs.max).toBeLessThan(3010);
  });

  it('times out reviews (timeout 3s) when the ratings call behind it is delayed 7 s', () => {
    const ratings = istio.ratingsVs(`  - fault:
      delay:
        percentage: {value: 100}
        fixedDelay: 7s
    route:
    - destination: {host: ratings, subset: v1}`);
    const reviews = istio.virtualService(
      'reviews',
      `  - timeout: 3s
    route:
    - destination: {host: reviews, subset: v2}`,
    );
    const yaml = istio.documents(ratings, reviews);
    const { summary } = run(yaml, { to: 'reviews', requests: 50 });
    expect(statusPercent(summary, 504, 'UT')).toBe(100);
    expect(Math.abs(summary.latencyMs.p50 - 3000)).toBeLessThan(10);
  });

  it('does not cover a fault delay with the same route timeout (the router starts after the fault filter)', () => {
    const { summary } = run(
      istio.ratingsVs(`  - timeout: 3s
    fault:
      delay:
        percentage: {value: 100}
        fixedDelay: 7s
    route:
    - destination: {host: ratings, subset: v1}`),
      { to: 'ratings', requests: 20 },
    );
    expect(summary.latencyMs.p50).toBeGreaterThan(7000);
    expect(statusPercent(summary, 200, 'DI')).toBe(100);
  });

  it('lets perTryTimeout bound each attempt within the route timeout', () => {
    const { summary, records } = run(
      istio.reviewsVs(`  - timeout: 3s
    retries:
      attempts: 3
      perTryTimeout: 2s
      retryOn: 5xx
    route:
    - destination: {host: reviews, subset: v2}`),
      { to: 'reviews', requests: 50, latency: ['reviews:v2=7s'] },
    );
    // one full attempt (2 s), a backoff, and part of a second before the 3 s route timeout
    expect(statusPercent(summary, 504, 'UT')).toBe(100);
    expect(records.every((r) => r.attempts === 2)).toBe(true);
    expect(summary.latencyMs.max).toBeLessThan(3010);
  });
});

describe('retries', () => {
  const retries = istio.reviewsVs(`  - retries:
      attempts: 3
      perTryTimeout: 2s
      retryOn: 5xx,reset,connect-failure,retriable-4xx
    route:
    - destination: {host: reviews, subset: v1}`);

  it('turns most failures of a 50%-failing v1 into successes and shows the extra upstream load', () => {
    const without = run(istio.reviewsVs(istio.routeTo('reviews', 'v1')), {
      to: 'reviews',
      requests: 10_000,
      fail: ['reviews:v1=50%'],
    });
    expect(Math.abs(statusPercent(without.summary, 500) - 50)).toBeLessThan(3);
    const { summary } = run(retries, { to: 'reviews', requests: 10_000, fail: ['reviews:v1=50%'] });
    // all four tries fail with probability 1/16
    const failed = statusPercent(summary, 500, 'URX');
    expect(failed).toBeGreaterThan(4.5);
    expect(failed).toBeLessThan(8);
    expect(statusPercent(summary, 200)).toBeGreaterThan(92);
    // each retry is an extra upstream request: 1 + 1/2 + 1/4 + 1/8 = 1.875 per request
    const upstream = summary.upstream.find((u) => u.pod === 'reviews-v1-0')?.requests ?? 0;
    expect(upstream / 10_000).toBeGreaterThan(1.8);
    expect(upstream / 10_000).toBeLessThan(1.95);
    expect(summary.retries.upstreamAttempts).toBe(upstream);
    expect(summary.retries.requestsRetried).toBeGreaterThan(4500);
  });

  it('uses Istio default policy when none is set: no retry of 500 or 503', () => {
    const { summary } = run(istio.reviewsVs(istio.routeTo('reviews', 'v1')), {
      to: 'reviews',
      requests: 2000,
      fail: ['reviews:v1=50%:503'],
    });
    expect(summary.retries.retries).toBe(0);
    expect(Math.abs(statusPercent(summary, 503, '-') - 50)).toBeLessThan(4);
  });

  it("shows Istio's default policy at work: connection failures are retried twice, resets are not", () => {
    const v1 = istio.reviewsVs(istio.routeTo('reviews', 'v1'));
    const refused = run(v1, { to: 'reviews', requests: 4000, fail: ['reviews:v1=30%:connect-failure'] });
    // all three tries refused: 0.3^3 = 2.7%
    expect(Math.abs(statusPercent(refused.summary, 503, 'UF,URX') - 2.7)).toBeLessThan(1);
    expect(refused.summary.retries.retries).toBeGreaterThan(1000);
    const reset = run(v1, { to: 'reviews', requests: 4000, fail: ['reviews:v1=30%:reset'] });
    expect(reset.summary.retries.retries).toBe(0);
    expect(Math.abs(statusPercent(reset.summary, 503, 'UC') - 30)).toBeLessThan(3);
    const withReset = run(
      istio.reviewsVs(`  - retries: {attempts: 2, retryOn: reset}
    route:
    - destination: {host: reviews, subset: v1}`),
      { to: 'reviews', requests: 4000, fail: ['reviews:v1=30%:reset'] },
    );
    expect(Math.abs(statusPercent(withReset.summary, 503, 'UC,URX') - 2.7)).toBeLessThan(1);
  });

  it('retries listed status codes (retriable-status-codes) and nothing with attempts: 0', () => {
    const codes = run(
      istio.reviewsVs(`  - retries:
      attempts: 2
      retryOn: "503"
    route:
    - destination: {host: reviews, subset: v1}`),
      { to: 'reviews', requests: 2000, fail: ['reviews:v1=50%:503'] },
    );
    expect(codes.summary.retries.retries).toBeGreaterThan(800);
    const off = run(
      istio.reviewsVs(`  - retries:
      attempts: 0
    route:
    - destination: {host: reviews, subset: v1}`),
      { to: 'reviews', requests: 500, fail: ['reviews:v1=50%'] },
    );
    expect(off.summary.retries.retries).toBe(0);
  });

  it('never retries a fault abort', () => {
    const { summary } = run(
      istio.reviewsVs(`  - fault:
      abort:
        percentage: {value: 100}
        httpStatus: 503
    retries:
      attempts: 3
      retryOn: 5xx
    route:
    - destination: {host: reviews, subset: v1}`),
      { to: 'reviews', requests: 100 },
    );
    expect(statusPercent(summary, 503, 'FI')).toBe(100);
    expect(summary.retries.upstreamAttempts).toBe(0);
  });
});
