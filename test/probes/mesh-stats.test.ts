// The fortio sidecar's counters: Istio's request metric and Envoy's retries, read before and after a probe.
import { describe, expect, it } from 'vitest';
import {
  parseLabels,
  parseMeshStats,
  requestsTo,
  retriesTo,
  statsDelta,
} from '../../src/core/probes/mesh-stats.ts';
import { fixture } from './probe-env.ts';

describe('mesh stats', () => {
  it('reads the labels of the Prometheus text format, escapes included', () => {
    expect(parseLabels('a="x",b="say \\"hi\\"",c="back\\\\slash",d="two\\nlines"')).toEqual({
      a: 'x',
      b: 'say "hi"',
      c: 'back\\slash',
      d: 'two\nlines',
    });
  });

  it('counts what the probe sent, by service, version, status and flags', () => {
    const delta = statsDelta(
      parseMeshStats(fixture('stats-before.prom')),
      parseMeshStats(fixture('stats-after.prom')),
    );
    const reviews = requestsTo(delta, 'reviews').sort((a, b) => b.count - a.count);
    expect(reviews).toEqual([
      { service: 'reviews', namespace: 'default', version: 'v1', status: 200, flags: '-', count: 162 },
      { service: 'reviews', namespace: 'default', version: 'v2', status: 200, flags: '-', count: 39 },
      { service: 'reviews', namespace: 'default', status: 503, flags: 'FI', count: 5 },
      { service: 'reviews', namespace: 'default', version: 'v2', status: 200, flags: 'DI', count: 2 },
    ]);
    expect(requestsTo(delta, 'ratings')).toEqual([]); // nothing new there
    expect(retriesTo(delta, 'reviews.default.svc.cluster.local')).toBe(5);
    expect(retriesTo(delta, 'ratings.default.svc.cluster.local')).toBe(0);
  });

  it('reads a sidecar that has counted nothing yet as no requests', () => {
    expect(parseMeshStats('# TYPE server_live gauge\nenvoy_server_live 1\n')).toEqual({
      requests: [],
      retries: new Map(),
    });
  });
});
