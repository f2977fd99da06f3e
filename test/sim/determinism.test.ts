// Same seed, same result byte for byte; different seeds differ; the library is fast.
import { describe, expect, it } from 'vitest';
import { meshFor, SimError, simulate } from '../../src/core/sim/index.ts';
import { fixture, snapshotOf } from './helpers.ts';
import * as istio from './yaml.ts';

const busy = istio.documents(
  fixture('reviews-80-20.yaml'),
  istio.virtualService(
    'ratings',
    `  - fault:
      delay: {percentage: {value: 20}, fixedDelay: 50ms}
      abort: {percentage: {value: 5}, httpStatus: 500}
    retries: {attempts: 2, retryOn: 5xx}
    route:
    - destination: {host: ratings}`,
  ),
);

describe('determinism', () => {
  it('gives byte-identical JSON for the same seed (fresh snapshots and a reused one)', () => {
    const options = {
      to: 'productpage',
      path: '/productpage',
      requests: 2000,
      concurrency: 4,
      seed: 42,
      fail: ['ratings=10%'],
    };
    const a = JSON.stringify(simulate(snapshotOf(busy), options));
    const b = JSON.stringify(simulate(snapshotOf(busy), options));
    const snap = snapshotOf(busy);
    simulate(snap, { ...options, seed: 7 });
    const c = JSON.stringify(simulate(snap, options));
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('gives different runs for different seeds', () => {
    const snap = snapshotOf(busy);
    const a = simulate(snap, { to: 'reviews', requests: 1000, seed: 1 });
    const b = simulate(snap, { to: 'reviews', requests: 1000, seed: 2 });
    expect(JSON.stringify(a.summary)).not.toBe(JSON.stringify(b.summary));
  });

  it('rejects bad options with a SimError naming the value', () => {
    const snap = snapshotOf(istio.DR_ALL);
    expect(() => simulate(snap, { to: 'reviews', requests: 0 })).toThrow(SimError);
    expect(() => simulate(snap, { to: 'reviews', concurrency: 1.5 })).toThrow(/1.5/);
    expect(() => simulate(snap, { to: 'reviews', from: 'nobody' })).toThrow(/nobody.*known: .*reviews-v1/);
    expect(() => simulate(snap, { to: 'reviewz' })).toThrow(/reviewz/);
    expect(() => simulate(snap, { to: 'reviews', fail: ['reviews:v1=150%'] })).toThrow(/150%/);
    expect(() => simulate(snap, { to: 'reviews', path: 'x' })).toThrow(/path/);
  });
});

describe('speed', () => {
  it('runs a 10,000-request grading run quickly and compiles the mesh once per snapshot', () => {
    const snap = snapshotOf(fixture('reviews-80-20.yaml'));
    simulate(snap, { to: 'reviews', requests: 1000 }); // warm up
    const t = performance.now();
    simulate(snap, { to: 'reviews', requests: 10_000 });
    const ms = performance.now() - t;
    // the aim is well under 100 ms; the bound is loose for slow shared CI machines
    expect(ms).toBeLessThan(1000);
    expect(meshFor(snap)).toBe(meshFor(snap));
  });
});
