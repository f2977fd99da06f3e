// Unit tests of the simulator's building blocks.
import { describe, expect, it } from 'vitest';
import { mergePolicy } from '../../src/core/sim/clusters.ts';
import { Engine } from '../../src/core/sim/engine.ts';
import { OutlierDetector } from '../../src/core/sim/outlier.ts';
import { ConnectionPool, OVERFLOW, PENDING, type PoolClient } from '../../src/core/sim/pool.ts';
import { Rng } from '../../src/core/sim/rng.ts';
import {
  backoffMs,
  compileFault,
  compileRetry,
  RETRY_ON,
  retriableStatus,
  retriableTimeout,
} from '../../src/core/sim/route-policy.ts';
import { flagsText } from '../../src/core/sim/types.ts';

describe('Rng', () => {
  it('is deterministic per seed and uniform enough', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(new Rng(8).next()).not.toBe(xs[0]);
    const r = new Rng(1);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(r.next() * 10)]++;
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  it('draws nothing for certain outcomes', () => {
    const a = new Rng(3);
    const b = new Rng(3);
    expect(a.chance(0)).toBe(false);
    expect(a.chance(1)).toBe(true);
    expect(a.next()).toBe(b.next());
  });
});

describe('Engine', () => {
  it('runs events in time order, same-time events in scheduling order', () => {
    const e = new Engine();
    const log: string[] = [];
    e.at(5, () => log.push(`b@${e.now}`));
    e.at(1, () => {
      log.push(`a@${e.now}`);
      e.at(4, () => log.push(`c@${e.now}`));
    });
    e.at(5, () => log.push(`d@${e.now}`));
    e.run();
    expect(log).toEqual(['a@1', 'b@5', 'd@5', 'c@5']);
  });
});

describe('retry policy', () => {
  it('is Istio default without retries, off with attempts 0, and follows retryOn', () => {
    const d = compileRetry(undefined)!;
    expect(d.numRetries).toBe(2);
    expect(retriableStatus(d, 503)).toBe(false); // not since 1.24
    expect(compileRetry({ attempts: 0 })).toBeNull();
    const p = compileRetry({ attempts: 3, retryOn: 'gateway-error, 429', perTryTimeout: '2s' })!;
    expect(p.numRetries).toBe(3);
    expect(p.perTryTimeoutMs).toBe(2000);
    expect(retriableStatus(p, 502)).toBe(true);
    expect(retriableStatus(p, 500)).toBe(false);
    expect(retriableStatus(p, 429)).toBe(true);
    expect(p.on & RETRY_ON['retriable-status-codes']).toBeTruthy();
    expect(retriableTimeout(p)).toBe(true);
    expect(retriableTimeout(compileRetry({ attempts: 1, retryOn: 'connect-failure' })!)).toBe(false);
  });

  it('backs off with jitter: retry n waits under (2^n - 1) x 25ms, capped at 250ms', () => {
    const p = compileRetry({ attempts: 5 })!;
    expect(backoffMs(p, 1, 0.999)).toBeLessThan(25);
    expect(backoffMs(p, 2, 0.999)).toBeLessThan(75);
    expect(backoffMs(p, 3, 0.999)).toBeLessThan(175);
    expect(backoffMs(p, 5, 0.999)).toBe(250);
    expect(backoffMs(compileRetry({ attempts: 1, backoff: '100ms' })!, 1, 0.5)).toBe(50);
  });
});

describe('faults', () => {
  it('treats an omitted percentage as never', () => {
    expect(compileFault({ abort: { httpStatus: 500 } })).toBeUndefined();
    expect(compileFault({ delay: { fixedDelay: '2s', percent: 30 } })).toMatchObject({
      delayMs: 2000,
      delayFraction: 0.3,
    });
  });
});

describe('policy merge', () => {
  it('lets a subset override top-level fields and port-level settings replace them', () => {
    const top = {
      loadBalancer: { simple: 'ROUND_ROBIN' },
      connectionPool: { http: { http2MaxRequests: 10 } },
      portLevelSettings: [{ port: { number: 9080 }, loadBalancer: { simple: 'RANDOM' } }],
    };
    expect(mergePolicy(top, undefined, 80)).toMatchObject({ lb: 'ROUND_ROBIN', maxRequests: 10 });
    // port-level settings replace every field (connection pool back to defaults)
    expect(mergePolicy(top, undefined, 9080)).toMatchObject({
      lb: 'RANDOM',
      maxRequests: Number.POSITIVE_INFINITY,
    });
    expect(mergePolicy(top, { connectionPool: { tcp: { maxConnections: 1 } } }, 80)).toMatchObject({
      lb: 'ROUND_ROBIN',
      maxConnections: 1,
      maxRequests: Number.POSITIVE_INFINITY,
    });
    expect(mergePolicy(undefined, undefined, 80).lb).toBe('LEAST_REQUEST');
  });

  it('maps outlier detection defaults (5 x 5xx, 10s, 30s, 10%) and the deprecated consecutiveErrors', () => {
    expect(mergePolicy({ outlierDetection: {} }, undefined, 80).outlier).toEqual({
      consecutive5xx: 5,
      consecutiveGateway: 0,
      intervalMs: 10_000,
      baseEjectionMs: 30_000,
      maxEjectionMs: 300_000,
      maxEjectionPercent: 10,
      minHealthPercent: 0,
    });
    expect(mergePolicy({ outlierDetection: { consecutiveErrors: 3 } }, undefined, 80).outlier).toMatchObject({
      consecutive5xx: 0,
      consecutiveGateway: 3,
    });
  });
});

describe('ConnectionPool', () => {
  const client = (): PoolClient & { events: string[] } => {
    const events: string[] = [];
    return {
      conn: null,
      events,
      onAttached: () => events.push('attached'),
      onPoolOverflow: () => events.push('overflow'),
    };
  };

  it('queues behind maxConnections and overflows past the pending limit', () => {
    const e = new Engine();
    const pool = new ConnectionPool(
      mergePolicy(
        { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } } },
        undefined,
        80,
      ),
      e,
    );
    const [a, b, c] = [client(), client(), client()];
    expect(pool.acquire(a)).toBe(PENDING);
    expect(pool.acquire(b)).toBe(OVERFLOW);
    e.run();
    expect(a.events).toEqual(['attached']);
    expect(pool.acquire(c)).toBe(PENDING);
    pool.release(a);
    expect(c.events).toEqual(['attached']);
    expect(pool.opened).toBe(1);
  });
});

describe('OutlierDetector', () => {
  const policy = mergePolicy(
    {
      outlierDetection: {
        consecutive5xxErrors: 2,
        interval: '1s',
        baseEjectionTime: '3s',
        maxEjectionPercent: 100,
      },
    },
    undefined,
    80,
  ).outlier!;

  it('ejects after consecutive 5xx, resets on success, returns the pod at an interval tick', () => {
    // a lone pod under the default 10% is never ejected
    const lone = new OutlierDetector({ ...policy, maxEjectionPercent: 10 }, 1, 0);
    expect(lone.record(0, 500, 0) || lone.record(0, 500, 1)).toBe(false);
    const od = new OutlierDetector(policy, 2, 0);
    expect(od.record(0, 500, 100)).toBe(false);
    expect(od.record(0, 200, 200)).toBe(false);
    expect(od.record(0, 503, 300)).toBe(false);
    expect(od.record(0, 500, 400)).toBe(true);
    expect(od.ejections[0]).toEqual({ atMs: 400, untilMs: 4000, index: 0 });
    od.refresh(3999);
    expect(od.isEjected(0)).toBe(true);
    od.refresh(4000);
    expect(od.isEjected(0)).toBe(false);
  });
});

describe('flagsText', () => {
  it("prints Envoy's order", () => {
    expect(flagsText(0)).toBe('-');
    expect(flagsText(2 | 256)).toBe('UT,URX');
    expect(flagsText(64 | 128)).toBe('DI,FI');
  });
});

describe('Engine.cancel', () => {
  it('drops cancelled timers, ignores events that already ran, and sweeps long queues', () => {
    const e = new Engine();
    const log: number[] = [];
    const ran = e.at(1, () => log.push(1));
    const timers = Array.from({ length: 1000 }, (_, i) => e.at(10_000 + i, () => log.push(-1)));
    e.at(2, () => {
      e.cancel(ran); // already ran
      for (const t of timers) e.cancel(t);
      e.at(1, () => log.push(3));
    });
    e.run();
    expect(log).toEqual([1, 3]);
    expect(e.now).toBe(3);
  });
});

describe('transformRequest', () => {
  it('replaces the matched prefix, or the whole path, and applies header operations in order', async () => {
    const { compileTransform, transformRequest } = await import('../../src/core/sim/transform.ts');
    const caller = { id: 0, name: 'c', namespace: 'default', labels: {}, gateway: false, contexts: ['mesh'] };
    const req = {
      method: 'GET',
      scheme: '' as const,
      tls: false,
      authority: 'reviews',
      host: 'reviews.default.svc.cluster.local',
      port: 9080,
      explicitPort: false,
      path: '/v1/reviews/0?x=1',
      uri: '/v1/reviews/0',
      query: 'x=1',
      headers: { a: '1', b: '2' },
    };
    const t = compileTransform(
      {
        match: [{ uri: { exact: '/nope' } }, { uri: { prefix: '/v1/' } }],
        rewrite: { uri: '/api/' },
        headers: { request: { set: { a: 'route' }, remove: ['b'] } },
      },
      [{ request: { set: { a: 'destination', c: '3' }, add: { b: 'x' } } }],
      'default',
    )!;
    const out = transformRequest(t, 0, req, caller, 'mesh');
    expect(out.uri).toBe('/api/reviews/0');
    expect(out.path).toBe('/api/reviews/0?x=1');
    expect(out.headers).toEqual({ a: 'route', c: '3' });
    expect(req.headers).toEqual({ a: '1', b: '2' }); // the caller's request is untouched
    const exact = compileTransform(
      { match: [{ uri: { exact: '/old' } }], rewrite: { uri: '/new' } },
      [],
      'default',
    )!;
    expect(
      transformRequest(exact, 0, { ...req, uri: '/old', path: '/old', query: '' }, caller, 'mesh').path,
    ).toBe('/new');
  });
});
