// A hop layer's decision depends only on the caller, cluster, pod and request, and a
// run sends the same request object again and again: decided once, replayed after,
// with the notes the decision recorded.
import type { Hop, HopVerdict } from './layers.ts';
import type { Caller, Cluster, Endpoint, SimRequest } from './types.ts';

interface Memo {
  caller: Caller;
  cluster: Cluster;
  verdict: HopVerdict | null;
  notes: string[];
}

export class HopMemo {
  private readonly memo = new WeakMap<SimRequest, Map<Endpoint, Memo>>();

  /** `decide(h)` once per caller, cluster, pod and request; its notes replayed to h.note. */
  hop(h: Hop, decide: (h: Hop) => HopVerdict | null): HopVerdict | null {
    let byPod = this.memo.get(h.req);
    if (!byPod) this.memo.set(h.req, (byPod = new Map()));
    let m = byPod.get(h.endpoint);
    if (!m || m.caller !== h.caller || m.cluster !== h.cluster) {
      const notes: string[] = [];
      const verdict = decide({ ...h, note: (n) => notes.push(n) });
      byPod.set(h.endpoint, (m = { caller: h.caller, cluster: h.cluster, verdict, notes }));
    }
    if (h.note) for (const n of m.notes) h.note(n);
    return m.verdict;
  }
}
