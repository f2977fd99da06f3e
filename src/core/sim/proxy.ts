// One request through the caller's proxy (sidecar or gateway), the way
// Envoy's HTTP connection manager and router handle it: route (first match),
// fault injection (delay, then abort), mirroring, then the router with its
// route timeout, per-try timeouts, retries with jittered backoff, load
// balancing, connection pool (circuit breaking) and outlier detection.
// A TLS connection goes through the same steps with a tls rule, which has no
// faults, timeouts, retries or mirrors (a tcp proxy); what the proxy itself
// would answer becomes a closed connection (status 0) with the same flags.
import { BUSY, CallState, IDLE, WAITING } from './call-state.ts';
import { pickEndpoint } from './lb.ts';
import { ATTACHED, OVERFLOW, type PoolClient } from './pool.ts';
import { backoffMs, retriableReset, retriableStatus, retriableTimeout } from './route-policy.ts';
import { pickIndex } from './routes.ts';
import type { Sim } from './state.ts';
import { transformRequest } from './transform.ts';
import {
  type Caller,
  type Cluster,
  CONNECT_FAILURE,
  CONNECT_MS,
  type Endpoint,
  F,
  LOCAL_MS,
  NET_MS,
  type Payload,
  RESET,
  type Reply,
  type SimRequest,
} from './types.ts';

export interface CallHandle {
  /** the caller went away (its own timeout): reset the upstream request, no reply follows */
  cancel(): void;
  /**
   * The downstream client went away (curl --max-time): the upstream request is reset and
   * the proxy logs the stream as it ended: status 0, flag DC (downstream connection termination).
   */
  abandon(): void;
}

/** Sends `req` from `caller`; `onReply` gets the response the caller's proxy returns. */
export function outbound(sim: Sim, caller: Caller, req: SimRequest, onReply: (r: Reply) => void): CallHandle {
  const call = new Call(sim, caller, req, onReply, null);
  call.start();
  return call;
}

const discard = (): void => {};

class Call extends CallState implements PoolClient, CallHandle {
  conn: PoolClient['conn'] = null;

  start(): void {
    if (this.shadow) {
      this.cluster = this.shadow;
      this.route();
      return;
    }
    const { mesh, rng, engine } = this.sim;
    if (this.caller.gateway) {
      const d = mesh.decide(this.caller, this.req);
      if (d.kind === 'local' && d.refused) {
        // no listener on the port: the connection is refused before any filter or policy
        // runs; a proxy forwarding to this gateway pod sees a connect failure (503 UF)
        this.sim.trace?.hop(this.req, d);
        this.refused = true;
        this.finishAfter(CONNECT_MS, this.req.hops ? CONNECT_FAILURE : 0);
        return;
      }
    }
    if (this.caller.gateway && !this.req.hops) {
      // a request from outside the mesh: the gateway's own policies judge it before routing
      const v = mesh.admit(this.caller, this.req, this.noteSecurity);
      if (v) {
        this.sim.state.noteSecurity(v.reason);
        this.finishAfter(LOCAL_MS, v.kind === 'reply' ? v.status : 0);
        return;
      }
    }
    const d = mesh.decide(this.caller, this.req);
    this.sim.trace?.hop(this.req, d);
    if (d.kind === 'local') {
      this.localCluster = d.cluster;
      this.flags |= d.flags;
      this.finishAfter(LOCAL_MS, d.status);
      return;
    }
    const rule = d.rule;
    this.rule = rule;
    this.retry = rule.retry;
    if (rule.tls && !this.req.tls) this.req = { ...this.req, tls: true };
    // the route (and its weighted cluster) is chosen before the fault filter runs
    const index = pickIndex(rule, rule.clusters.length > 1 ? rng.next() : 0);
    this.cluster = rule.clusters[index]!;
    if (rule.transform) {
      const context = this.req.route?.context ?? 'mesh';
      this.req = transformRequest(rule.transform, index, this.req, this.caller, context);
    }
    const f = rule.fault;
    if (f) {
      // delay and abort are rolled independently; a delay comes first
      let delay = 0;
      if (rng.chance(f.delayFraction)) {
        delay = f.delayMs;
        this.flags |= F.DI;
      }
      if (rng.chance(f.abortFraction)) {
        this.flags |= F.FI;
        this.finishAfter(delay + LOCAL_MS, f.abortStatus);
        return;
      }
      if (delay > 0) {
        engine.at(delay, () => this.route());
        return;
      }
    }
    this.route();
  }

  /** The router: the route timeout starts here, after any injected delay. */
  private route(): void {
    if (this.done) return;
    const { sim } = this;
    const c = this.cluster!;
    if (c.missing) {
      this.flags |= F.NC;
      this.finishAfter(LOCAL_MS, this.proxyStatus(c.missingStatus ?? 503));
      return;
    }
    const rule = this.rule;
    if (rule && rule.mirrors.length > 0) {
      for (const m of rule.mirrors) if (sim.rng.chance(m.fraction)) this.mirror(m.cluster);
    }
    this.cs = sim.state.cluster(this.caller, c, sim.engine, sim.rng);
    if (rule && rule.timeoutMs > 0)
      this.routeTimer = sim.engine.at(rule.timeoutMs, () => this.onRouteTimeout());
    this.attempt();
  }

  private attempt(): void {
    if (this.done) return;
    const cs = this.cs!;
    const { sim } = this;
    const i = pickEndpoint(cs, this.req, this.caller, sim.rng, sim.engine.now, this.tried);
    if (i < 0) {
      this.releaseRetry();
      this.flags |= F.UH;
      this.finishAfter(LOCAL_MS, this.proxyStatus(503));
      return;
    }
    this.index = i;
    const r = cs.pool.acquire(this);
    if (r === OVERFLOW) {
      this.onPoolOverflow();
      return;
    }
    if (r === ATTACHED) this.onAttached();
    else this.phase = WAITING;
  }

  onPoolOverflow(): void {
    this.phase = IDLE;
    this.releaseRetry();
    this.flags |= F.UO;
    this.finishAfter(LOCAL_MS, this.proxyStatus(503));
  }

  onAttached(): void {
    const cs = this.cs!;
    const { sim } = this;
    const ep = cs.cluster.endpoints[this.index]!;
    this.phase = BUSY;
    this.attempts++;
    cs.active[this.index] = cs.active[this.index]! + 1;
    if (this.retry && this.retry.numRetries > 0 && this.retry.previousHosts) (this.tried ??= []).push(ep);
    const seq = ++this.seq;
    const perTry = this.retry?.perTryTimeoutMs ?? 0;
    if (perTry > 0) {
      this.tryTimer = sim.engine.at(perTry, () => {
        if (seq === this.seq && !this.done) this.onPerTryTimeout(ep);
      });
    }
    const verdict = sim.mesh.hop({
      caller: this.caller,
      cluster: cs.cluster,
      endpoint: ep,
      req: this.req,
      note: this.noteSecurity,
    });
    if (verdict?.kind === 'reply' && verdict.beforePod) {
      // a waypoint answered: the pod behind it is neither reached nor counted
      sim.state.noteSecurity(verdict.reason);
      sim.engine.at(NET_MS, () => {
        if (seq !== this.seq || this.done) return;
        this.endAttempt(verdict.status);
        this.answered = undefined;
        this.finish(verdict.status);
      });
      return;
    }
    sim.state.countUpstream(ep, this.shadow !== null);
    if (verdict) {
      sim.state.noteSecurity(verdict.reason);
      // a layer (mTLS, authorization) answers for the server side: the application never sees it
      const refused = verdict.kind === 'reset' && verdict.connect;
      const status = verdict.kind === 'reply' ? verdict.status : refused ? CONNECT_FAILURE : RESET;
      sim.engine.at(refused ? CONNECT_MS : NET_MS, () => {
        if (seq === this.seq && !this.done) this.onUpstream(ep, status, undefined);
      });
      return;
    }
    sim.serve(
      sim,
      ep,
      this.req,
      (status, payload) => {
        if (seq === this.seq && !this.done) this.onUpstream(ep, status, payload);
      },
      cs.cluster.port,
    );
  }

  /** Ends the attempt in flight; `status` (a response, or 504 for a timeout) feeds outlier detection. */
  private endAttempt(status: number): void {
    const cs = this.cs!;
    this.seq++;
    this.phase = IDLE;
    if (this.tryTimer) {
      this.sim.engine.cancel(this.tryTimer);
      this.tryTimer = null;
    }
    cs.pool.release(this);
    cs.active[this.index] = cs.active[this.index]! - 1;
    if (status > 0 && cs.outlier) cs.outlier.record(this.index, status, this.sim.engine.now);
    this.releaseRetry();
  }

  private onUpstream(ep: Endpoint, status: number, payload: Payload | undefined): void {
    if (status < 0) {
      this.onUpstreamReset(ep, status === CONNECT_FAILURE);
      return;
    }
    if (status >= 500) this.sim.state.countUpstreamError(ep);
    this.endAttempt(status);
    this.answered = ep;
    if (this.retry && retriableStatus(this.retry, status) && this.scheduleRetry()) return;
    this.finish(status, payload);
  }

  /** No response: the connection was refused (503 UF) or dropped mid-request (503 UC). */
  private onUpstreamReset(ep: Endpoint, connect: boolean): void {
    this.sim.state.countUpstreamError(ep);
    this.endAttempt(503); // outlier detection counts local-origin failures as 503
    this.answered = ep;
    if (this.retry && retriableReset(this.retry, connect) && this.scheduleRetry()) return;
    this.flags |= connect ? F.UF : F.UC;
    this.finish(this.proxyStatus(503));
  }

  private onPerTryTimeout(ep: Endpoint): void {
    this.sim.state.countUpstreamError(ep);
    this.endAttempt(504);
    this.answered = ep;
    if (this.retry && retriableTimeout(this.retry) && this.scheduleRetry()) return;
    this.flags |= F.UT;
    this.finish(504);
  }

  private onRouteTimeout(): void {
    if (this.done) return;
    if (this.phase === BUSY) {
      this.answered = this.cs!.cluster.endpoints[this.index];
      this.endAttempt(504);
    } else if (this.phase === WAITING) {
      this.cs!.pool.cancel(this);
      this.phase = IDLE;
    }
    this.flags |= F.UT;
    this.finish(504);
  }

  /** Schedules a retry after the backoff; false when retries are exhausted (URX) or over budget (UO). */
  private scheduleRetry(): boolean {
    const p = this.retry!;
    const cs = this.cs!;
    if (this.retriesUsed >= p.numRetries) {
      this.flags |= F.URX;
      return false;
    }
    if (cs.retriesActive >= cs.cluster.policy.maxRetries) {
      this.flags |= F.UO;
      return false;
    }
    this.retriesUsed++;
    cs.retriesActive++;
    this.holdsRetry = true;
    const { sim } = this;
    sim.engine.at(backoffMs(p, this.retriesUsed, sim.rng.next()), () => this.attempt());
    return true;
  }

  /** A mirrored copy: fire and forget, its response is discarded. */
  private mirror(cluster: Cluster): void {
    const { sim, req } = this;
    sim.state.mirrored++;
    if (cluster.missing) return;
    const colon = req.authority.lastIndexOf(':');
    const authority =
      colon > 0
        ? `${req.authority.slice(0, colon)}-shadow${req.authority.slice(colon)}`
        : `${req.authority}-shadow`;
    const copy: SimRequest = { ...req, authority };
    new Call(sim, this.caller, copy, discard, cluster).start();
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    this.stopRouteTimer();
    if (this.phase === BUSY) this.endAttempt(0);
    else if (this.phase === WAITING) this.cs!.pool.cancel(this);
    this.releaseRetry();
  }

  abandon(): void {
    if (this.done) return;
    this.flags |= F.DC;
    const reply = this.reply(0);
    this.cancel();
    this.onReply(reply);
  }
}
