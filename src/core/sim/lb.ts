// Load balancing over a cluster's pods for one caller: Envoy's round robin,
// least request (power of two choices), random and a consistent hash, over
// the pods outlier detection has not ejected (all of them in panic).
import type { Engine } from './engine.ts';
import { OutlierDetector } from './outlier.ts';
import { ConnectionPool } from './pool.ts';
import type { Rng } from './rng.ts';
import type { Caller, Cluster, Endpoint, SimRequest } from './types.ts';

/** What one caller's sidecar keeps about one cluster. */
export class ClusterState {
  readonly cluster: Cluster;
  readonly pool: ConnectionPool;
  readonly outlier: OutlierDetector | null;
  /** requests in flight per pod (least request) */
  readonly active: Int32Array;
  rr: number;
  retriesActive = 0;

  constructor(cluster: Cluster, engine: Engine, rng: Rng) {
    this.cluster = cluster;
    this.pool = new ConnectionPool(cluster.policy, engine);
    const od = cluster.policy.outlier;
    this.outlier = od ? new OutlierDetector(od, cluster.endpoints.length, engine.now) : null;
    this.active = new Int32Array(cluster.endpoints.length);
    // Envoy starts round robin at a random position
    this.rr = cluster.endpoints.length > 1 ? rng.int(cluster.endpoints.length) : 0;
  }
}

const MAX_HOST_SELECTION = 5;

/** The index of the chosen pod, or -1 when no pod is healthy (503 UH). */
export function pickEndpoint(
  cs: ClusterState,
  req: SimRequest,
  caller: Caller,
  rng: Rng,
  now: number,
  tried: Endpoint[] | null,
): number {
  const eps = cs.cluster.endpoints;
  const n = eps.length;
  if (n === 0) return -1;
  let candidates: number[] | null = null; // null: every pod
  const od = cs.outlier;
  if (od) {
    od.refresh(now);
    if (od.ejectedCount > 0 && !od.panic()) {
      candidates = [];
      for (let i = 0; i < n; i++) if (!od.isEjected(i)) candidates.push(i);
      if (candidates.length === 0) return -1;
    }
  }
  const size = candidates ? candidates.length : n;
  const at = (k: number): number => (candidates ? candidates[k]! : k);
  const policy = cs.cluster.policy;
  const pickOnce = (): number => {
    if (size === 1) return at(0);
    switch (policy.lb) {
      case 'ROUND_ROBIN':
      case 'PASSTHROUGH':
        return at(cs.rr++ % size);
      case 'RANDOM':
        return at(rng.int(size));
      case 'CONSISTENT_HASH':
        return at(hash(hashKey(policy.hashOn, req, caller)) % size);
      default: {
        const a = at(rng.int(size));
        const b = at(rng.int(size));
        return cs.active[b]! < cs.active[a]! ? b : a;
      }
    }
  };
  let choice = pickOnce();
  // previous_hosts: a retry prefers pods not tried yet (consistent hash keeps its pod)
  if (tried && tried.length > 0 && policy.lb !== 'CONSISTENT_HASH') {
    for (let k = 1; k < MAX_HOST_SELECTION && tried.includes(eps[choice]!); k++) choice = pickOnce();
  }
  return choice;
}

function hashKey(
  on: { header?: string; query?: string; cookie?: string; sourceIp?: boolean } | undefined,
  req: SimRequest,
  caller: Caller,
): string {
  if (on?.header) return req.headers[on.header] ?? '';
  if (on?.query) {
    const m = new RegExp(`(?:^|&)${on.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=([^&]*)`).exec(req.query);
    return m?.[1] ?? '';
  }
  if (on?.cookie) {
    const cookie = req.headers.cookie ?? '';
    for (const part of cookie.split(';')) {
      const [k, v] = part.trim().split('=', 2);
      if (k === on.cookie) return v ?? '';
    }
    return '';
  }
  return caller.name;
}

/** FNV-1a, unsigned. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
