// Every duration field of VirtualServices and DestinationRules: a Go duration
// (no "d" unit), at least 1ms and whole milliseconds (agent.ValidateDuration and
// the CRDs' CEL rule), with Istio's exceptions.
import { durationSyntaxHint, parseDurationNs } from '../../../../config/duration.ts';
import type { FieldPath } from '../../../../config/resource.ts';
import type { Rule } from '../../../rule.ts';
import { type Report, reporter } from '../../shared/report.ts';

/**
 * min1ms: >= 1ms, whole ms (the default); zeroOk: like min1ms but "0s" allowed
 * (DR tcp.idleTimeout: 0 disables it); seconds: min1ms and whole seconds (CORS
 * maxAge); syntax: only a non-negative duration (cookie ttl, warmupDurationSecs).
 */
export type DurationPolicy = 'min1ms' | 'zeroOk' | 'seconds' | 'syntax';

const MS = 1_000_000n;

/** Checks one duration value; `field` names it for the learner (e.g. "perTryTimeout"). */
export function checkDuration(
  report: Report,
  path: FieldPath,
  field: string,
  value: string,
  policy: DurationPolicy = 'min1ms',
): void {
  const ns = parseDurationNs(value);
  if (ns === undefined) {
    report(path, 'duration.syntax', { field, value, hint: durationSyntaxHint(value) });
    return;
  }
  if (policy === 'syntax') {
    if (ns < 0n) report(path, 'duration.negative', { field, value });
    return;
  }
  if (policy === 'zeroOk' && ns / MS === 0n) return; // Go skips it when Milliseconds() == 0
  if (ns < MS) report(path, 'duration.too-small', { field, value });
  else if (ns % MS !== 0n) report(path, 'duration.precision', { field, value });
  else if (policy === 'seconds' && ns % 1_000_000_000n !== 0n)
    report(path, 'duration.seconds-precision', { field, value });
}

/** A field pattern: keys, with "*" for every item of a list. */
type Pattern = { path: string; policy?: DurationPolicy };

const VS_FIELDS: Pattern[] = [
  { path: 'http.*.timeout' },
  { path: 'http.*.retries.perTryTimeout' },
  { path: 'http.*.retries.backoff' },
  { path: 'http.*.fault.delay.fixedDelay' },
  { path: 'http.*.fault.delay.exponentialDelay' },
  { path: 'http.*.corsPolicy.maxAge', policy: 'seconds' },
];

const POLICY_FIELDS: Pattern[] = [
  { path: 'connectionPool.tcp.connectTimeout' },
  { path: 'connectionPool.tcp.maxConnectionDuration' },
  { path: 'connectionPool.tcp.idleTimeout', policy: 'zeroOk' },
  { path: 'connectionPool.tcp.tcpKeepalive.time' },
  { path: 'connectionPool.tcp.tcpKeepalive.interval' },
  { path: 'connectionPool.http.idleTimeout' },
  { path: 'outlierDetection.interval' },
  { path: 'outlierDetection.baseEjectionTime' },
  { path: 'loadBalancer.warmup.duration' },
  { path: 'loadBalancer.warmupDurationSecs', policy: 'syntax' },
  { path: 'loadBalancer.consistentHash.httpCookie.ttl', policy: 'syntax' },
];

const POLICY_ROOTS = [
  'trafficPolicy',
  'trafficPolicy.portLevelSettings.*',
  'subsets.*.trafficPolicy',
  'subsets.*.trafficPolicy.portLevelSettings.*',
];

const DR_FIELDS: Pattern[] = POLICY_ROOTS.flatMap((root) =>
  POLICY_FIELDS.map((f) => ({ ...f, path: `${root}.${f.path}` })),
);

/** A pattern split once: its keys, and the field name messages use. */
interface CompiledPattern {
  keys: readonly string[];
  field: string;
  policy?: DurationPolicy;
}

function compile(patterns: readonly Pattern[]): CompiledPattern[] {
  return patterns.map((p) => {
    const keys = p.path.split('.');
    return { keys, field: keys[keys.length - 1] ?? p.path, ...(p.policy ? { policy: p.policy } : {}) };
  });
}

/**
 * Checks every string at the pattern's `keys[i..]` under `node`. `path` is shared
 * and restored on the way back (a copy is made only for a value that is checked),
 * and nothing is allocated per pattern: this runs for every field pattern of every
 * resource.
 */
function walk(report: Report, node: unknown, p: CompiledPattern, i: number, path: (string | number)[]): void {
  const keys = p.keys;
  if (i === keys.length) {
    if (typeof node === 'string') checkDuration(report, [...path], p.field, node, p.policy);
    return;
  }
  const key = keys[i];
  if (key === '*') {
    if (Array.isArray(node))
      for (let n = 0; n < node.length; n++) {
        path.push(n);
        walk(report, node[n], p, i + 1, path);
        path.pop();
      }
  } else if (key !== undefined && node && typeof node === 'object' && !Array.isArray(node)) {
    const child = (node as Record<string, unknown>)[key];
    if (child === undefined) return;
    path.push(key);
    walk(report, child, p, i + 1, path);
    path.pop();
  }
}

function checkAll(report: Report, spec: unknown, patterns: readonly CompiledPattern[]): void {
  const path: (string | number)[] = ['spec'];
  for (const p of patterns) walk(report, spec, p, 0, path);
}

const VS_PATTERNS = compile(VS_FIELDS);
const DR_PATTERNS = compile(DR_FIELDS);

export const durations: Rule = {
  name: 'validation.durations',
  description:
    'Duration fields of VirtualServices and DestinationRules: Go syntax, at least 1ms, whole milliseconds.',
  reads: ['VirtualService', 'DestinationRule'],
  codes: ['IST0106'],
  run(ctx) {
    for (const vs of ctx.snapshot.virtualServices) checkAll(reporter(ctx, vs), vs.spec, VS_PATTERNS);
    for (const dr of ctx.snapshot.destinationRules) checkAll(reporter(ctx, dr), dr.spec, DR_PATTERNS);
  },
};
