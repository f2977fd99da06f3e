// A caller's connection pool to one cluster, as Envoy's HTTP/1.1 pool and
// circuit breakers work: a request takes an idle connection, or waits
// (pending) for a new one; `http1MaxPendingRequests` bounds the waiting,
// `tcp.maxConnections` the connections, `http2MaxRequests` the requests in
// flight (checked when a request is attached to a connection), and
// `maxRequestsPerConnection` closes a connection after that many requests.
// Any overflow is a local 503 with flag UO.
import type { Engine } from './engine.ts';
import { type ClusterPolicy, CONNECT_MS } from './types.ts';

interface Connection {
  served: number;
}

export interface PoolClient {
  conn: Connection | null;
  /** a pending request got a connection */
  onAttached(): void;
  /** a pending request overflowed (max requests reached when it got a connection) */
  onPoolOverflow(): void;
}

export const ATTACHED = 0;
export const PENDING = 1;
export const OVERFLOW = 2;

export class ConnectionPool {
  /** requests in flight */
  active = 0;
  /** open connections, busy or idle */
  open = 0;
  /** connections opened over the run */
  opened = 0;
  private connecting = 0;
  private readonly idle: Connection[] = [];
  private readonly pending: PoolClient[] = [];
  private readonly policy: ClusterPolicy;
  private readonly engine: Engine;

  constructor(policy: ClusterPolicy, engine: Engine) {
    this.policy = policy;
    this.engine = engine;
  }

  /** ATTACHED (client.conn is set), PENDING (onAttached/onPoolOverflow follows) or OVERFLOW. */
  acquire(c: PoolClient): number {
    if (this.idle.length > 0) {
      if (this.active >= this.policy.maxRequests) return OVERFLOW;
      c.conn = this.idle.pop()!;
      this.active++;
      return ATTACHED;
    }
    if (this.pending.length >= this.policy.maxPending) return OVERFLOW;
    this.pending.push(c);
    this.connect();
    return PENDING;
  }

  /** The request on `c` finished (or was reset): its connection is reused or closed. */
  release(c: PoolClient): void {
    const conn = c.conn;
    if (!conn) return;
    c.conn = null;
    this.active--;
    conn.served++;
    const max = this.policy.maxRequestsPerConnection;
    if (max > 0 && conn.served >= max) this.open--;
    else this.idle.push(conn);
    this.dispatch();
    this.connect();
  }

  /** A pending request gave up (route timeout, downstream gone). */
  cancel(c: PoolClient): void {
    const i = this.pending.indexOf(c);
    if (i >= 0) this.pending.splice(i, 1);
  }

  private connect(): void {
    while (
      this.connecting < this.pending.length &&
      this.open + this.connecting < this.policy.maxConnections
    ) {
      this.connecting++;
      this.engine.at(CONNECT_MS, () => {
        this.connecting--;
        this.open++;
        this.opened++;
        this.idle.push({ served: 0 });
        this.dispatch();
      });
    }
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.pending.length > 0) {
      const c = this.pending.shift()!;
      if (this.active >= this.policy.maxRequests) {
        c.onPoolOverflow();
        continue;
      }
      c.conn = this.idle.pop()!;
      this.active++;
      c.onAttached();
    }
  }
}
