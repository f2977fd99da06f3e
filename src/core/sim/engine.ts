// The discrete-event engine: a clock and a binary heap of timed callbacks.
// Events at the same time run in the order they were scheduled, so a run is
// deterministic. Cancelling is done by the callbacks themselves (they check
// whether they are still current).

export interface Event {
  t: number;
  seq: number;
  fn: () => void;
}

const NOOP = (): void => {};

export class Engine {
  /** simulated time in milliseconds */
  now = 0;
  /** events run so far */
  events = 0;
  private heap: Event[] = [];
  private seq = 0;
  private cancelled = 0;

  /** Runs `fn` after `delayMs` of simulated time. */
  at(delayMs: number, fn: () => void): Event {
    const ev: Event = { t: this.now + Math.max(delayMs, 0), seq: this.seq++, fn };
    const heap = this.heap;
    let i = heap.length;
    heap.push(ev);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p.t < ev.t || (p.t === ev.t && p.seq < ev.seq)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = ev;
    return ev;
  }

  /**
   * Drops a timer that is no longer needed (a route timeout after the response).
   * Dropped events are swept out once they are half the queue, so long timers do
   * not pile up.
   */
  cancel(ev: Event): void {
    if (ev.fn === NOOP) return;
    ev.fn = NOOP;
    this.cancelled++;
    if (this.cancelled > 256 && this.cancelled * 2 > this.heap.length) {
      // a sorted array is a valid heap
      this.heap = this.heap.filter((e) => e.fn !== NOOP).sort((a, b) => a.t - b.t || a.seq - b.seq);
      this.cancelled = 0;
    }
  }

  /** Runs events until none are left. */
  run(): void {
    while (this.heap.length > 0) {
      const heap = this.heap; // cancel() may replace it while events run
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) {
        let i = 0;
        const n = heap.length;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= n) break;
          const r = l + 1;
          let c = l;
          if (r < n && before(heap[r]!, heap[l]!)) c = r;
          if (!before(heap[c]!, last)) break;
          heap[i] = heap[c]!;
          i = c;
        }
        heap[i] = last;
      }
      const fn = top.fn;
      if (fn === NOOP) {
        this.cancelled--;
        continue;
      }
      top.fn = NOOP; // cancelling an event that already ran is a no-op
      this.now = top.t;
      this.events++;
      fn();
    }
  }
}

function before(a: Event, b: Event): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}
