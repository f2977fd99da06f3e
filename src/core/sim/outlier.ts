// Outlier detection for one caller's cluster, per endpoint, as Envoy does it:
// consecutive 5xx (or gateway errors 502/503/504) eject a pod at once; it
// returns at the first interval tick after baseEjectionTime x (times ejected),
// capped at 300s; at most maxEjectionPercent of the pods are ejected (counting
// the one about to go, so the default 10% ejects nothing below 10 pods); below
// minHealthPercent healthy, load balancing panics and uses every pod.
import type { OutlierPolicy } from './types.ts';

export interface Ejection {
  atMs: number;
  untilMs: number;
  index: number;
}

export class OutlierDetector {
  readonly policy: OutlierPolicy;
  ejectedCount = 0;
  readonly ejections: Ejection[] = [];
  private readonly n: number;
  private readonly start: number;
  private readonly c5xx: Int32Array;
  private readonly cgw: Int32Array;
  private readonly times: Int32Array;
  private readonly until: Float64Array;
  private readonly healthySince: Float64Array;
  private nextExpiry = Number.POSITIVE_INFINITY;

  constructor(policy: OutlierPolicy, endpoints: number, now: number) {
    this.policy = policy;
    this.n = endpoints;
    this.start = now;
    this.c5xx = new Int32Array(endpoints);
    this.cgw = new Int32Array(endpoints);
    this.times = new Int32Array(endpoints);
    this.until = new Float64Array(endpoints);
    this.healthySince = new Float64Array(endpoints);
  }

  /** Returns ejected pods whose time is up (lazily, at the interval ticks). */
  refresh(now: number): void {
    if (now < this.nextExpiry) return;
    let next = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.n; i++) {
      const u = this.until[i]!;
      if (u === 0) continue;
      if (now >= u) {
        this.until[i] = 0;
        this.ejectedCount--;
        this.c5xx[i] = 0;
        this.cgw[i] = 0;
        this.healthySince[i] = u;
      } else if (u < next) next = u;
    }
    this.nextExpiry = next;
  }

  isEjected(i: number): boolean {
    return this.until[i]! !== 0;
  }

  /** Below the panic threshold: balance over every pod, ejected or not. */
  panic(): boolean {
    const min = this.policy.minHealthPercent;
    return min > 0 && (100 * (this.n - this.ejectedCount)) / this.n < min;
  }

  /** An upstream response (or a timeout, as 504) from pod `i`. Returns true if it got ejected. */
  record(i: number, status: number, now: number): boolean {
    const p = this.policy;
    if (status < 500) {
      this.c5xx[i] = 0;
      this.cgw[i] = 0;
      return false;
    }
    let trip = false;
    if (status === 502 || status === 503 || status === 504) {
      this.cgw[i] = this.cgw[i]! + 1;
      if (p.consecutiveGateway > 0 && this.cgw[i] === p.consecutiveGateway) trip = true;
    } else this.cgw[i] = 0;
    this.c5xx[i] = this.c5xx[i]! + 1;
    if (p.consecutive5xx > 0 && this.c5xx[i] === p.consecutive5xx) trip = true;
    return trip && this.eject(i, now);
  }

  private eject(i: number, now: number): boolean {
    if (this.until[i] !== 0) return false;
    const p = this.policy;
    // Envoy >= 1.28 (Istio >= 1.20) checks the limit for the first ejection too
    // (runtime guard check_mep_on_first_eject; Istio does not set always_eject_one_host):
    // with the default 10%, a service with fewer than 10 pods never gets a pod ejected.
    if ((100 * (this.ejectedCount + 1)) / this.n > p.maxEjectionPercent) return false;
    // the multiplier falls back by one for every interval the pod stayed healthy
    if (this.times[i]! > 0) {
      const healthyTicks = Math.floor((now - this.healthySince[i]!) / p.intervalMs);
      this.times[i] = Math.max(0, this.times[i]! - healthyTicks);
    }
    this.times[i] = this.times[i]! + 1;
    const duration = Math.min(p.baseEjectionMs * this.times[i]!, Math.max(p.maxEjectionMs, p.baseEjectionMs));
    const ticks = Math.ceil((now + duration - this.start) / p.intervalMs);
    const until = this.start + ticks * p.intervalMs;
    this.until[i] = until;
    if (until < this.nextExpiry) this.nextExpiry = until;
    this.ejectedCount++;
    this.c5xx[i] = 0;
    this.cgw[i] = 0;
    this.ejections.push({ atMs: now, untilMs: until, index: i });
    return true;
  }
}
