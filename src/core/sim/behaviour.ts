// The workload behaviour model: how long each service/version takes to answer
// and how often it fails, with defaults for Bookinfo and overrides such as
// `--fail ratings:v1=50%` or `--latency reviews:v2=200ms`.
import { durationSyntaxHint, parseDurationMs } from '../config/duration.ts';
import { CONNECT_FAILURE, type Endpoint, RESET, SimError } from './types.ts';

export interface BehaviourRule {
  /** short service name (or an external host) */
  service: string;
  /** a version label; all versions when absent */
  version?: string;
  /** 0..1 */
  errorRate?: number;
  /** the status a failing request gets (default 500), or CONNECT_FAILURE / RESET */
  errorStatus?: number;
  /** mean processing time of the application itself, in ms */
  latencyMs?: number;
}

export interface WorkloadBehaviour {
  latencyMs: number;
  errorRate: number;
  errorStatus: number;
}

/** Mean processing times (ms) of the Bookinfo applications, downstream calls excluded. */
export const DEFAULT_LATENCY_MS: Record<string, number> = {
  productpage: 8,
  details: 3,
  'reviews:v1': 4,
  reviews: 6,
  ratings: 2,
};
export const GENERIC_LATENCY_MS = 5;
export const EXTERNAL_LATENCY_MS = 30;
/** latencies vary uniformly by this fraction around the mean */
export const JITTER = 0.25;

const SERVICE_VERSION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)(?::([A-Za-z0-9][-A-Za-z0-9_.]*))?$/;

function splitKey(flag: string, spec: string, key: string): { service: string; version?: string } {
  const m = SERVICE_VERSION.exec(key.trim());
  if (!m) {
    throw new SimError(`${flag} "${spec}": "${key}" is not SERVICE or SERVICE:VERSION (e.g. ratings:v1)`);
  }
  return { service: m[1]!, ...(m[3] ? { version: m[3] } : {}) };
}

/**
 * `ratings:v1=50%`, `ratings=50%:503` (the status of the failures, default 500),
 * `reviews=20%:reset` (the pod drops the connection mid-request) or
 * `reviews=20%:connect-failure` (the connection is refused).
 */
export function parseFailSpec(spec: string): BehaviourRule {
  const eq = spec.lastIndexOf('=');
  if (eq <= 0)
    throw new SimError(`--fail "${spec}": write SERVICE[:VERSION]=PERCENT%[:STATUS], e.g. ratings:v1=50%`);
  const target = splitKey('--fail', spec, spec.slice(0, eq));
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*(?::\s*([\w-]+))?\s*$/.exec(spec.slice(eq + 1));
  if (!m)
    throw new SimError(
      `--fail "${spec}": "${spec.slice(eq + 1)}" is not a percentage such as 50% (or 50%:503)`,
    );
  const pct = Number(m[1]);
  if (pct > 100) throw new SimError(`--fail "${spec}": the percentage must be between 0 and 100`);
  const how = m[2] ?? '500';
  let status: number;
  if (how === 'reset') status = RESET;
  else if (how === 'connect-failure') status = CONNECT_FAILURE;
  else {
    status = /^\d+$/.test(how) ? Number(how) : Number.NaN;
    if (!(status >= 200 && status <= 599))
      throw new SimError(
        `--fail "${spec}": the failure must be a status from 200 to 599, "reset" or "connect-failure", not "${how}"`,
      );
  }
  return { ...target, errorRate: pct / 100, errorStatus: status };
}

/** `reviews:v2=200ms` (a Go duration). */
export function parseLatencySpec(spec: string): BehaviourRule {
  const eq = spec.lastIndexOf('=');
  if (eq <= 0)
    throw new SimError(`--latency "${spec}": write SERVICE[:VERSION]=DURATION, e.g. reviews:v2=200ms`);
  const target = splitKey('--latency', spec, spec.slice(0, eq));
  const text = spec.slice(eq + 1);
  const ms = parseDurationMs(text);
  if (ms === undefined || ms < 0) {
    const hint = durationSyntaxHint(text);
    throw new SimError(
      `--latency "${spec}": "${text}" is not a duration such as 200ms or 3s${hint ? ` (${hint})` : ''}`,
    );
  }
  return { ...target, latencyMs: ms };
}

export class BehaviourModel {
  private readonly rules: BehaviourRule[];
  private readonly cache: (WorkloadBehaviour | undefined)[] = [];

  constructor(rules: readonly BehaviourRule[] = []) {
    // service-wide rules first, so that a version's own rule wins
    this.rules = [...rules.filter((r) => !r.version), ...rules.filter((r) => r.version)];
  }

  of(ep: Endpoint): WorkloadBehaviour {
    const cached = this.cache[ep.id];
    if (cached) return cached;
    const b: WorkloadBehaviour = {
      latencyMs: ep.external
        ? EXTERNAL_LATENCY_MS
        : (DEFAULT_LATENCY_MS[`${ep.service}:${ep.version}`] ??
          DEFAULT_LATENCY_MS[ep.service] ??
          GENERIC_LATENCY_MS),
      errorRate: 0,
      errorStatus: 500,
    };
    for (const r of this.rules) {
      if (r.service !== ep.service || (r.version !== undefined && r.version !== ep.version)) continue;
      if (r.latencyMs !== undefined) b.latencyMs = r.latencyMs;
      if (r.errorRate !== undefined) b.errorRate = r.errorRate;
      if (r.errorStatus !== undefined) b.errorStatus = r.errorStatus;
    }
    this.cache[ep.id] = b;
    return b;
  }

  /** One sampled processing time: the mean, give or take JITTER. */
  static sample(mean: number, u: number): number {
    return mean * (1 - JITTER + 2 * JITTER * u);
  }
}
