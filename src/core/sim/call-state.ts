// The state of one request through a caller's proxy (proxy.ts drives it) and how the
// request ends: the reply the caller gets, with the cluster and pod that answered, the
// response flags, and the status the proxy writes itself when no upstream answered (0 on
// a TLS connection it only forwards, or with no proxy of the client's own). A client with
// no Envoy of its own (no sidecar; ambient without a waypoint, where ztunnel works at L4)
// gets no flag at all: nothing on its side writes one; it sees its socket fail (a reset,
// curl exit 56; a refusal, exit 7) and only the server's sidecar may log the connection.
import type { Event } from './engine.ts';
import type { ClusterState } from './lb.ts';
import type { RetryPolicy } from './route-policy.ts';
import type { CompiledRule } from './routes.ts';
import type { Sim } from './state.ts';
import {
  type Caller,
  type Cluster,
  type Endpoint,
  F,
  type Payload,
  type Reply,
  type SimRequest,
} from './types.ts';

export const IDLE = 0;
export const WAITING = 1;
export const BUSY = 2;

export abstract class CallState {
  protected readonly sim: Sim;
  protected readonly caller: Caller;
  protected req: SimRequest;
  protected readonly onReply: (r: Reply) => void;
  /** set for a mirrored copy: the mirror cluster (no routing, faults or retries) */
  protected readonly shadow: Cluster | null;
  protected done = false;
  protected readonly noteSecurity = (decision: string): void => this.sim.state.noteSecurity(decision);
  protected flags = 0;
  protected attempts = 0;
  protected retriesUsed = 0;
  protected phase = IDLE;
  protected seq = 0;
  protected index = -1;
  protected rule: CompiledRule | null = null;
  protected retry: RetryPolicy | null = null;
  protected cluster: Cluster | null = null;
  protected localCluster: string | undefined;
  /** the gateway has no listener on the port: the connection was refused */
  protected refused = false;
  protected cs: ClusterState | null = null;
  protected tried: Endpoint[] | null = null;
  protected answered: Endpoint | undefined;
  protected holdsRetry = false;
  protected routeTimer: Event | null = null;
  protected tryTimer: Event | null = null;

  constructor(
    sim: Sim,
    caller: Caller,
    req: SimRequest,
    onReply: (r: Reply) => void,
    shadow: Cluster | null,
  ) {
    this.sim = sim;
    this.caller = caller;
    this.req = req;
    this.onReply = onReply;
    this.shadow = shadow;
  }

  protected stopRouteTimer(): void {
    if (this.routeTimer) {
      this.sim.engine.cancel(this.routeTimer);
      this.routeTimer = null;
    }
  }

  protected releaseRetry(): void {
    if (this.holdsRetry) {
      this.holdsRetry = false;
      this.cs!.retriesActive--;
    }
  }

  /** No Envoy on the caller's side: no sidecar, or ambient with ztunnel only (no waypoint routes it). */
  protected get noEnvoy(): boolean {
    return this.caller.direct === true || this.rule?.l4 === true;
  }

  /** What the proxy answers itself: an HTTP status, or 0 (closed) on a TLS connection it only forwards. */
  protected proxyStatus(status: number): number {
    return this.rule?.tls || this.noEnvoy ? 0 : status;
  }

  protected finishAfter(delay: number, status: number): void {
    this.sim.engine.at(delay, () => this.finish(status));
  }

  protected finish(status: number, payload?: Payload): void {
    if (this.done) return;
    this.done = true;
    this.stopRouteTimer();
    this.releaseRetry();
    if (payload?.kind === 'forwarded') {
      // a gateway pod answered with what its own proxy got from the next hop
      const inner = payload.reply;
      const via = [this.cluster!.name, payload.hop, ...(inner.via ?? [])];
      this.onReply({ ...inner, status, flags: this.flags | inner.flags, attempts: this.attempts, via });
      return;
    }
    this.onReply(this.reply(status, payload));
  }

  protected reply(status: number, payload?: Payload): Reply {
    const reply: Reply = { status, flags: this.flags, attempts: this.attempts };
    if (this.refused) reply.refused = true;
    if (this.flags & F.DC) reply.gaveUp = true;
    if (this.noEnvoy) {
      // the flags above are what an Envoy would have logged; here none did. A plain client's
      // connect to a Service with no pod (or a pod refusing it) is rejected: curl exit 7
      if (status === 0 && this.caller.direct && this.flags & (F.UF | F.UH)) reply.refused = true;
      reply.flags = 0;
    }
    const c = this.cluster;
    if (c) {
      reply.cluster = c.name;
      reply.service = c.service;
      if (c.subset) reply.subset = c.subset;
    } else if (this.localCluster) {
      reply.cluster = this.localCluster;
      reply.service = this.req.host;
    }
    if (this.answered) reply.endpoint = this.answered;
    if (payload) reply.payload = payload;
    return reply;
  }
}
