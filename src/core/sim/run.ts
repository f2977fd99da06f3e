// The load generator: C clients in a closed loop (like fortio -c), each
// sending its next request when the previous one returns, optionally paced to
// a total rate (fortio -qps), until N requests have been sent.
import { type RequestRecord, toRecord } from './aggregate.ts';
import { serve } from './apps.ts';
import type { BehaviourModel } from './behaviour.ts';
import { Engine, type Event } from './engine.ts';
import type { SimMesh } from './mesh.ts';
import { outbound } from './proxy.ts';
import { Rng } from './rng.ts';
import { RunState, type Sim } from './state.ts';
import type { TrafficTrace } from './trace.ts';
import type { Caller, Reply, SimRequest } from './types.ts';

export interface RunOptions {
  caller: Caller;
  request: SimRequest;
  requests: number;
  concurrency: number;
  /** total requests per second over all clients; 0 = as fast as responses come back */
  qps: number;
  seed: number;
  behaviour: BehaviourModel;
  /** the Bookinfo applications call each other (default true) */
  bookinfo: boolean;
  trace?: TrafficTrace;
  /** the client gives up after this long (curl --max-time): the proxy logs 0 DC; 0 or absent: never */
  clientTimeoutMs?: number;
}

export interface RunOutput {
  records: RequestRecord[];
  replies: Reply[];
  state: RunState;
  /** events processed (for benchmarks) */
  events: number;
}

export function runLoad(mesh: SimMesh, o: RunOptions): RunOutput {
  const engine = new Engine();
  const sim: Sim = {
    engine,
    rng: new Rng(o.seed),
    mesh,
    behaviour: o.behaviour,
    state: new RunState(),
    serve,
    bookinfo: o.bookinfo,
    ...(o.trace ? { trace: o.trace } : {}),
  };
  const records: RequestRecord[] = new Array(o.requests);
  const replies: Reply[] = new Array(o.requests);
  let issued = 0;
  const clients = Math.max(1, Math.min(o.concurrency, o.requests));
  const interval = o.qps > 0 ? (1000 * clients) / o.qps : 0;

  const send = (client: number, round: number): void => {
    if (issued >= o.requests) return;
    const index = issued++;
    const start = engine.now;
    let settled = false;
    let timer: Event | null = null;
    const handle = outbound(sim, o.caller, o.request, (reply) => {
      if (settled) return;
      settled = true;
      if (timer) engine.cancel(timer);
      records[index] = toRecord(index, start, engine.now - start, reply);
      replies[index] = reply;
      if (interval > 0) {
        const due = client * (interval / clients) + (round + 1) * interval;
        engine.at(due - engine.now, () => send(client, round + 1));
      } else send(client, round + 1);
    });
    if (!settled && o.clientTimeoutMs) timer = engine.at(o.clientTimeoutMs, () => handle.abandon());
  };
  for (let c = 0; c < clients; c++) {
    const offset = interval > 0 ? c * (interval / clients) : 0;
    engine.at(offset, () => send(c, 0));
  }
  engine.run();
  return {
    records: records.slice(0, issued),
    replies: replies.slice(0, issued),
    state: sim.state,
    events: engine.events,
  };
}
