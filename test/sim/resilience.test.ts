// Circuit breaking (connection pools), outlier detection and mirroring.
import { describe, expect, it } from 'vitest';
import { fixture, run, statusPercent, versionPercent } from './helpers.ts';
import * as istio from './yaml.ts';

describe('connection pools (circuit breaking)', () => {
  it('the module task (pending 1, max requests 1, 1 request per connection) gives 503 UO at -c 3 -n 30', () => {
    const yaml = fixture('reviews-circuit-breaker.yaml');
    const { summary } = run(yaml, { to: 'reviews', requests: 30, concurrency: 3 });
    const uo = statusPercent(summary, 503, 'UO');
    expect(uo).toBeGreaterThan(20);
    expect(statusPercent(summary, 200)).toBeGreaterThan(0);
    expect(uo + statusPercent(summary, 200)).toBe(100);
    // overflows are local: they never reach a pod, so outlier detection (1 x 5xx) ejects nothing
    expect(summary.ejections).toEqual([]);
    // one client at a time never overflows
    const serial = run(yaml, { to: 'reviews', requests: 30, concurrency: 1 });
    expect(statusPercent(serial.summary, 200)).toBe(100);
  });

  it('queues up to http1MaxPendingRequests behind tcp.maxConnections', () => {
    const yaml = istio.destinationRule(
      'ratings',
      [],
      `    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 10}`,
    );
    const queued = run(yaml, { to: 'ratings', requests: 300, concurrency: 5 });
    expect(statusPercent(queued.summary, 200)).toBe(100);
    // five clients share one connection: each waits for the others
    const alone = run(yaml, { to: 'ratings', requests: 300, concurrency: 1 });
    expect(queued.summary.latencyMs.p50).toBeGreaterThan(3 * alone.summary.latencyMs.p50);
    const tight = run(yaml.replace('http1MaxPendingRequests: 10', 'http1MaxPendingRequests: 1'), {
      to: 'ratings',
      requests: 300,
      concurrency: 5,
    });
    expect(statusPercent(tight.summary, 503, 'UO')).toBeGreaterThan(10);
  });

  it('limits concurrent retries with maxRetries (the response keeps its status and gets UO)', () => {
    const yaml = istio.documents(
      istio.ratingsVs(`  - retries: {attempts: 3, retryOn: 5xx}
    route:
    - destination: {host: ratings, subset: v1}`),
      istio.destinationRule('ratings', ['v1'], '    connectionPool:\n      http: {maxRetries: 1}'),
    );
    const { summary } = run(yaml, {
      to: 'ratings',
      requests: 500,
      concurrency: 10,
      fail: ['ratings:v1=100%'],
    });
    expect(statusPercent(summary, 500, 'UO')).toBeGreaterThan(10);
    expect(statusPercent(summary, 500, 'URX')).toBeGreaterThan(0);
  });
});

describe('outlier detection', () => {
  const dr = (od: string) => istio.destinationRule('reviews', [], `    outlierDetection:\n${od}`);

  it('ejects a failing pod and traffic moves to the healthy ones', () => {
    const yaml = dr(`      consecutive5xxErrors: 3
      interval: 10s
      baseEjectionTime: 30s
      maxEjectionPercent: 50`);
    const { summary } = run(yaml, { to: 'reviews', requests: 3000, fail: ['reviews:v3=100%'] });
    expect(summary.ejections.map((e) => e.pod)).toEqual(['reviews-v3-0']);
    const v3 = summary.upstream.find((u) => u.pod === 'reviews-v3-0');
    expect(v3?.requests).toBe(3); // three consecutive 5xx, then ejected
    expect(versionPercent(summary, 'reviews', 'v3')).toBeLessThan(0.2);
    expect(statusPercent(summary, 200)).toBeGreaterThan(99.8);
    // without outlier detection a third of the requests keep failing
    const without = run('', { to: 'reviews', requests: 3000, fail: ['reviews:v3=100%'] });
    expect(Math.abs(statusPercent(without.summary, 500) - 33.3)).toBeLessThan(3);
  });

  it('brings the pod back after the ejection time (at an interval tick) and ejects it longer next time', () => {
    const yaml = dr(`      consecutive5xxErrors: 2
      interval: 5s
      baseEjectionTime: 20s
      maxEjectionPercent: 50`);
    const { summary } = run(yaml, { to: 'reviews', requests: 1500, qps: 10, fail: ['reviews:v3=100%'] });
    const times = summary.ejections.map((e) => e.untilMs - e.atMs);
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(times[0]).toBeGreaterThanOrEqual(20_000);
    expect(times[0]).toBeLessThanOrEqual(25_000);
    expect(times[1]).toBeGreaterThanOrEqual(40_000);
    expect(summary.ejections.every((e) => e.untilMs % 5000 === 0)).toBe(true);
  });

  it('ejects at most maxEjectionPercent of the pods, counting the one about to go (Envoy >= 1.28)', () => {
    const failing = { to: 'reviews', requests: 2000, fail: ['reviews:v2=100%', 'reviews:v3=100%'] };
    // 1 of 3 pods is 33%: allowed at 50%, not at the default 10% (nothing is ever ejected then)
    const half = run(dr(`      consecutive5xxErrors: 1\n      maxEjectionPercent: 50`), failing);
    expect(half.summary.ejections).toHaveLength(1);
    const byDefault = run(dr(`      consecutive5xxErrors: 1`), failing);
    expect(byDefault.summary.ejections).toHaveLength(0);
    expect(Math.abs(statusPercent(byDefault.summary, 500) - 66.7)).toBeLessThan(3);
  });

  it('gives 503 UH when every pod is ejected, unless below minHealthPercent it panics and uses them all', () => {
    const all = dr(`      consecutive5xxErrors: 1
      maxEjectionPercent: 100`);
    const ejected = run(all, { to: 'reviews', requests: 500, fail: ['reviews=100%'] });
    expect(ejected.summary.ejections).toHaveLength(3);
    expect(statusPercent(ejected.summary, 503, 'UH')).toBeGreaterThan(95);
    const panic = run(`${all}      minHealthPercent: 50\n`, {
      to: 'reviews',
      requests: 500,
      fail: ['reviews=100%'],
    });
    expect(statusPercent(panic.summary, 503, 'UH')).toBe(0);
    expect(statusPercent(panic.summary, 500)).toBe(100);
  });

  it('counts gateway errors only with consecutiveGatewayErrors', () => {
    const yaml = dr(`      consecutive5xxErrors: 0
      consecutiveGatewayErrors: 2
      maxEjectionPercent: 50`);
    const http500 = run(yaml, { to: 'reviews', requests: 500, fail: ['reviews:v3=100%'] });
    expect(http500.summary.ejections).toHaveLength(0);
    const http503 = run(yaml, { to: 'reviews', requests: 500, fail: ['reviews:v3=100%:503'] });
    expect(http503.summary.ejections).toHaveLength(1);
  });
});

describe('mirroring', () => {
  const mirror = (extra = '') =>
    istio.reviewsVs(`  - route:
    - destination: {host: reviews, subset: v1}
      weight: 100
    mirror: {host: reviews, subset: v2}
${extra}`);

  it('sends copies to v2 and leaves the responses alone', () => {
    const { summary } = run(mirror('    mirrorPercentage: {value: 100}\n'), {
      to: 'reviews',
      requests: 2000,
    });
    expect(summary.mirrored.copies).toBe(2000);
    expect(summary.mirrored.byDestination).toEqual([
      { service: 'reviews', version: 'v2', count: 2000, percent: 100 },
    ]);
    expect(versionPercent(summary, 'reviews', 'v1')).toBe(100);
    expect(statusPercent(summary, 200, '-')).toBe(100);
    expect(summary.upstream.find((u) => u.pod === 'reviews-v2-0')?.mirrored).toBe(2000);
  });

  it('discards the mirror responses even when the mirror fails', () => {
    const { summary } = run(mirror(), { to: 'reviews', requests: 1000, fail: ['reviews:v2=100%'] });
    expect(statusPercent(summary, 200, '-')).toBe(100);
    expect(summary.upstream.find((u) => u.pod === 'reviews-v2-0')?.errors).toBe(1000);
  });

  it('mirrors mirrorPercentage of the requests (absent = all, 0 = none)', () => {
    const half = run(mirror('    mirrorPercentage: {value: 50}\n'), { to: 'reviews', requests: 4000 });
    expect(Math.abs(half.summary.mirrored.copies / 40 - 50)).toBeLessThan(3);
    const none = run(mirror('    mirrorPercentage: {value: 0}\n'), { to: 'reviews', requests: 100 });
    expect(none.summary.mirrored.copies).toBe(0);
  });
});
