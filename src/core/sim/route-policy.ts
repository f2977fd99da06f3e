// Route-level policies as Istio translates them for Envoy: fault injection,
// the retry policy (pilot route/retry ConvertPolicy) and timeouts.
import { parseDurationMs } from '../config/duration.ts';
import type { HttpFault, HttpRetry } from '../config/schemas/index.ts';

export interface FaultPolicy {
  delayMs: number;
  /** 0..1 */
  delayFraction: number;
  abortStatus: number;
  abortFraction: number;
}

/** retryOn conditions as bits. */
export const RETRY_ON = {
  '5xx': 1,
  'gateway-error': 2,
  reset: 4,
  'connect-failure': 8,
  'retriable-4xx': 16,
  'refused-stream': 32,
  'retriable-status-codes': 64,
  'reset-before-request': 128,
} as const;

export interface RetryPolicy {
  numRetries: number;
  on: number;
  codes: number[];
  /** 0 = no per-try timeout */
  perTryTimeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** `previous_hosts`: retries prefer pods not tried yet */
  previousHosts: boolean;
}

export const DEFAULT_BACKOFF_MS = 25;

/**
 * Istio's default (1.24 and later): 2 retries on connect-failure, refused-stream,
 * unavailable, cancelled and retriable-status-codes, with no status codes listed
 * (up to 1.23 the list held 503).
 */
export function defaultRetryPolicy(): RetryPolicy {
  return {
    numRetries: 2,
    on: RETRY_ON['connect-failure'] | RETRY_ON['refused-stream'] | RETRY_ON['retriable-status-codes'],
    codes: [],
    perTryTimeoutMs: 0,
    backoffBaseMs: DEFAULT_BACKOFF_MS,
    backoffMaxMs: DEFAULT_BACKOFF_MS * 10,
    previousHosts: true,
  };
}

/** null: retries disabled (`attempts: 0`, or no attempts given). */
export function compileRetry(r: HttpRetry | undefined): RetryPolicy | null {
  const out = defaultRetryPolicy();
  if (!r) return out;
  if (!r.attempts || r.attempts <= 0) return null;
  out.numRetries = r.attempts;
  if (r.retryOn) {
    let on = 0;
    const codes: number[] = [];
    for (const raw of r.retryOn.split(',')) {
      const part = raw.trim();
      if (!part) continue;
      if (/^\d+$/.test(part)) {
        const code = Number(part);
        if (code >= 100 && code <= 599) codes.push(code);
        continue;
      }
      on |= RETRY_ON[part as keyof typeof RETRY_ON] ?? 0;
    }
    if (codes.length > 0) on |= RETRY_ON['retriable-status-codes'];
    out.on = on;
    out.codes = codes;
  }
  if (r.perTryTimeout) out.perTryTimeoutMs = durationOrZero(r.perTryTimeout);
  if (r.retryIgnorePreviousHosts !== undefined) out.previousHosts = r.retryIgnorePreviousHosts;
  if (r.backoff) {
    const b = durationOrZero(r.backoff);
    if (b > 0) {
      out.backoffBaseMs = b;
      out.backoffMaxMs = b * 10;
    }
  }
  return out;
}

/** Would Envoy retry a response with this status? */
export function retriableStatus(p: RetryPolicy, status: number): boolean {
  const on = p.on;
  if (on & RETRY_ON['5xx'] && status >= 500) return true;
  if (on & RETRY_ON['gateway-error'] && (status === 502 || status === 503 || status === 504)) return true;
  if (on & RETRY_ON['retriable-4xx'] && status === 409) return true;
  if (on & RETRY_ON['retriable-status-codes'] && p.codes.includes(status)) return true;
  return false;
}

/** Would Envoy retry after a connection failure (`connect`) or a reset of the upstream request? */
export function retriableReset(p: RetryPolicy, connect: boolean): boolean {
  const on = p.on;
  if (on & (RETRY_ON['5xx'] | RETRY_ON['gateway-error'] | RETRY_ON.reset)) return true;
  if (connect && on & (RETRY_ON['connect-failure'] | RETRY_ON['reset-before-request'])) return true;
  return false;
}

/** Would Envoy retry after a per-try timeout (a local reset)? */
export function retriableTimeout(p: RetryPolicy): boolean {
  return (p.on & (RETRY_ON['5xx'] | RETRY_ON['gateway-error'] | RETRY_ON.reset)) !== 0;
}

/**
 * Envoy's jittered exponential backoff: retry n (1-based) waits a uniform time
 * in [0, (2^n - 1) x base), capped at 10 x base.
 */
export function backoffMs(p: RetryPolicy, retry: number, u: number): number {
  const span = (2 ** Math.min(retry, 20) - 1) * p.backoffBaseMs;
  return Math.min(u * span, p.backoffMaxMs);
}

export function compileFault(f: HttpFault | undefined): FaultPolicy | undefined {
  if (!f || (!f.delay && !f.abort)) return undefined;
  const out: FaultPolicy = { delayMs: 0, delayFraction: 0, abortStatus: 0, abortFraction: 0 };
  if (f.delay?.fixedDelay) {
    out.delayMs = durationOrZero(f.delay.fixedDelay);
    // an omitted percentage means the fault never fires (the deprecated integer `percent` counts)
    if (out.delayMs > 0) out.delayFraction = fraction(f.delay.percentage?.value ?? f.delay.percent ?? 0);
  }
  if (f.abort) {
    // a gRPC abort still answers HTTP 200 (the status travels in grpc-status)
    out.abortStatus = f.abort.httpStatus ?? (f.abort.grpcStatus ? 200 : 0);
    if (out.abortStatus > 0) out.abortFraction = fraction(f.abort.percentage?.value ?? 0);
  }
  if (out.delayFraction === 0 && out.abortFraction === 0) return undefined;
  return out;
}

export function fraction(percent: number | undefined): number {
  if (percent === undefined || !Number.isFinite(percent)) return 0;
  return Math.min(Math.max(percent, 0), 100) / 100;
}

export function durationOrZero(text: string | undefined): number {
  if (!text) return 0;
  const ms = parseDurationMs(text);
  return ms !== undefined && ms > 0 ? ms : 0;
}
