// The behaviour model and its flag syntax.
import { describe, expect, it } from 'vitest';
import { parseFailSpec, parseLatencySpec, SimError } from '../../src/core/sim/index.ts';
import { CONNECT_FAILURE, RESET } from '../../src/core/sim/types.ts';
import { run, statusPercent } from './helpers.ts';

describe('behaviour specs', () => {
  it('parses --fail SERVICE[:VERSION]=P%[:STATUS]', () => {
    expect(parseFailSpec('ratings:v1=50%')).toEqual({
      service: 'ratings',
      version: 'v1',
      errorRate: 0.5,
      errorStatus: 500,
    });
    expect(parseFailSpec('reviews=12.5%:503')).toEqual({
      service: 'reviews',
      errorRate: 0.125,
      errorStatus: 503,
    });
    expect(parseFailSpec('api.example.com=100')).toEqual({
      service: 'api.example.com',
      errorRate: 1,
      errorStatus: 500,
    });
    expect(parseFailSpec('reviews=5%:reset').errorStatus).toBe(RESET);
    expect(parseFailSpec('reviews=5%:connect-failure').errorStatus).toBe(CONNECT_FAILURE);
  });

  it('parses --latency SERVICE[:VERSION]=DURATION', () => {
    expect(parseLatencySpec('reviews:v2=200ms')).toEqual({
      service: 'reviews',
      version: 'v2',
      latencyMs: 200,
    });
    expect(parseLatencySpec('details=1.5s')).toEqual({ service: 'details', latencyMs: 1500 });
  });

  it.each([
    ['ratings:v1', /SERVICE\[:VERSION\]=PERCENT/],
    ['ratings:v1=fifty', /"fifty" is not a percentage/],
    ['ratings:v1=101%', /between 0 and 100/],
    ['ratings:v1=50%:99', /status from 200 to 599/],
    ['ratings:v1=50%:boom', /"reset" or "connect-failure", not "boom"/],
    ['Ratings!=5%', /"Ratings!" is not SERVICE/],
  ])('rejects --fail %s with a message naming it', (spec, message) => {
    expect(() => parseFailSpec(spec)).toThrow(SimError);
    expect(() => parseFailSpec(spec)).toThrow(message);
    expect(() => parseFailSpec(spec)).toThrow(spec);
  });

  it.each([
    ['reviews:v2=200', /unit is required/],
    ['reviews:v2=2d', /no "d"/],
    ['reviews=', /is not a duration/],
  ])('rejects --latency %s with a message naming it', (spec, message) => {
    expect(() => parseLatencySpec(spec)).toThrow(message);
    expect(() => parseLatencySpec(spec)).toThrow(spec);
  });
});

describe('behaviour model', () => {
  it('applies a version rule over a service-wide one, whatever their order', () => {
    const { summary } = run('', {
      to: 'reviews',
      requests: 3000,
      behaviour: [
        { service: 'reviews', version: 'v1', errorRate: 0 },
        { service: 'reviews', errorRate: 1 },
      ],
    });
    expect(Math.abs(statusPercent(summary, 500) - 66.7)).toBeLessThan(3);
  });

  it('sets latency per version', () => {
    const { records } = run('', { to: 'reviews', requests: 600, latency: ['reviews:v1=400ms'] });
    const v1 = records.filter((r) => r.version === 'v1');
    expect(v1.length).toBeGreaterThan(100);
    expect(v1.every((r) => r.latencyMs >= 300 && r.latencyMs <= 510)).toBe(true);
    expect(records.filter((r) => r.version !== 'v1').every((r) => r.latencyMs < 100)).toBe(true);
  });

  it('paces requests to --qps and runs C closed-loop clients', () => {
    const paced = run('', { to: 'ratings', requests: 100, qps: 10 });
    expect(paced.summary.simulatedMs).toBeGreaterThan(9900);
    expect(paced.summary.simulatedMs).toBeLessThan(10_100);
    const serial = run('', { to: 'ratings', requests: 400, concurrency: 1 });
    const parallel = run('', { to: 'ratings', requests: 400, concurrency: 4 });
    expect(parallel.summary.simulatedMs).toBeLessThan(serial.summary.simulatedMs / 3);
  });
});
