// Blocked egress under REGISTRY_ONLY, explained as Istio builds it: an HTTP request is
// answered 502 by the sidecar's block_all route (metrics call it BlackHoleCluster); a
// TLS or TCP connection goes to the BlackHoleCluster, the catch-all for them, and is closed.
import { describe, expect, it } from 'vitest';
import { routeRequest } from '../../src/core/sim/index.ts';
import { snapshotOf } from './helpers.ts';

describe('blocked egress (REGISTRY_ONLY)', () => {
  const snap = snapshotOf('', { outboundMode: 'REGISTRY_ONLY' });

  it('HTTP: the block_all route answers 502 itself', () => {
    const r = routeRequest(snap, { to: 'http://api.example.com/', from: 'productpage-v1' });
    expect(r.local?.status).toBe(502);
    expect(r.reason).toBe(
      "the mesh is REGISTRY_ONLY and no ServiceEntry registers api.example.com: the sidecar's block_all route answers 502 (counted as BlackHoleCluster in the metrics)",
    );
  });

  it('TLS: the BlackHoleCluster closes the connection', () => {
    const r = routeRequest(snap, { to: 'https://api.example.com/', from: 'productpage-v1' });
    expect(r.reason).toBe(
      'the mesh is REGISTRY_ONLY and no ServiceEntry registers api.example.com: BlackHoleCluster, the connection is closed (flag UH)',
    );
  });
});
