// Everything one simulation run holds: the clock, the random stream, each
// caller's per-cluster state (pools, outlier detection, balancing) and the
// counters the aggregate reports.
import type { BehaviourModel } from './behaviour.ts';
import type { Engine } from './engine.ts';
import { ClusterState } from './lb.ts';
import type { SimMesh } from './mesh.ts';
import type { Rng } from './rng.ts';
import type { TrafficTrace } from './trace.ts';
import type { Caller, Cluster, Endpoint, Payload, SimRequest } from './types.ts';

/** An application answering a request on one of its pods (`port`: the cluster port it was sent to). */
export type ServeFn = (
  sim: Sim,
  ep: Endpoint,
  req: SimRequest,
  respond: (status: number, payload?: Payload) => void,
  port?: number,
) => void;

export interface Sim {
  engine: Engine;
  rng: Rng;
  mesh: SimMesh;
  behaviour: BehaviourModel;
  state: RunState;
  serve: ServeFn;
  /** the Bookinfo applications call each other */
  bookinfo: boolean;
  /** collects what the traffic traversed (lab grading), when given */
  trace?: TrafficTrace;
}

export interface CallerCluster {
  caller: Caller;
  state: ClusterState;
}

export class RunState {
  /** requests that reached each pod (by endpoint id), retries and mirrored copies included */
  readonly upstream: number[] = [];
  readonly upstreamErrors: number[] = [];
  /** mirrored copies that reached each pod */
  readonly mirroredTo: number[] = [];
  /** mirrored copies sent */
  mirrored = 0;
  /** the security layer's decisions (allowed by, denied by, reset because) with how often each was taken */
  readonly security = new Map<string, number>();
  readonly clusterStates: CallerCluster[] = [];
  private readonly byCaller = new Map<Caller, Map<Cluster, ClusterState>>();

  cluster(caller: Caller, cluster: Cluster, engine: Engine, rng: Rng): ClusterState {
    let m = this.byCaller.get(caller);
    if (!m) this.byCaller.set(caller, (m = new Map()));
    let cs = m.get(cluster);
    if (!cs) {
      cs = new ClusterState(cluster, engine, rng);
      m.set(cluster, cs);
      this.clusterStates.push({ caller, state: cs });
    }
    return cs;
  }

  countUpstream(ep: Endpoint, mirrored: boolean): void {
    this.upstream[ep.id] = (this.upstream[ep.id] ?? 0) + 1;
    if (mirrored) this.mirroredTo[ep.id] = (this.mirroredTo[ep.id] ?? 0) + 1;
  }

  noteSecurity(decision: string): void {
    this.security.set(decision, (this.security.get(decision) ?? 0) + 1);
  }

  countUpstreamError(ep: Endpoint): void {
    this.upstreamErrors[ep.id] = (this.upstreamErrors[ep.id] ?? 0) + 1;
  }
}
