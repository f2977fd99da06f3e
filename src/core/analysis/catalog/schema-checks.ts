// The validating webhook's checks (shared/istio-semantics.md section 1), part of
// the message catalog: for each check id, its level (error -> IST0106,
// warning -> IST0133), the detail template (what is wrong, quoting the value),
// and, where a specific text teaches better than the default, why and fix.
// The rules under rules/<group>/validation/ take every text they report from
// here. This module holds the checks several kinds share (durations, host
// names, ports, addresses) and combines them with each API group's tables
// (networking/index.ts, security/index.ts).
import type { SchemaParams } from './index.ts';
import { NETWORKING_SCHEMA_CHECKS } from './networking/index.ts';
import { check, q, REJECTED_WHY, type SchemaCheck, WARNED_WHY } from './schema-entry.ts';
import { SECURITY_SCHEMA_CHECKS } from './security/index.ts';
import { TELEMETRY_CHECKS } from './telemetry/schema-telemetry.ts';

export type { SchemaCheck, SchemaLevel } from './schema-entry.ts';
export { REJECTED_WHY, WARNED_WHY } from './schema-entry.ts';

const suffix = (hint: string | undefined): string => (hint ? `: ${hint}` : '');

export const SCHEMA_CHECKS = {
  // --- durations (rule validation.durations) ---
  'duration.syntax': check<{ field: string; value: string; hint: string }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.value)} is not a duration${suffix(p.hint)}`,
    why: 'Durations are Go durations ("500ms", "3s", "1.5s", "1m30s"): the API server cannot decode anything else, so kubectl apply fails and nothing changes.',
    fix: 'Write a number followed by a unit (ms, s, m or h), e.g. "500ms", "3s", "2m".',
  }),
  'duration.too-small': check<{ field: string; value: string }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.value)} is below the minimum of 1ms`,
    fix: (p) =>
      `Use at least "1ms" (remove ${p.field} to get the default; a 0 duration does not mean "disabled" here).`,
  }),
  'duration.precision': check<{ field: string; value: string }>({
    level: 'error',
    detail: (p) =>
      `${p.field} ${q(p.value)} is not a whole number of milliseconds: Istio supports durations to millisecond precision only`,
    fix: 'Round the duration to whole milliseconds, e.g. "1500us" -> "2ms".',
  }),
  'duration.seconds-precision': check<{ field: string; value: string }>({
    level: 'error',
    detail: (p) =>
      `${p.field} ${q(p.value)} is not a whole number of seconds: CORS maxAge has seconds precision`,
    fix: 'Use whole seconds, e.g. "24h" or "90s".',
  }),
  'duration.negative': check<{ field: string; value: string }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.value)} is negative`,
    fix: 'Use a duration of 0s or more.',
  }),

  // --- host names, ports, addresses (shared) ---
  'host.empty': check<{ field: string }>({
    level: 'error',
    detail: (p) => `${p.field} is missing (or empty): a host name is required`,
  }),
  'host.invalid': check<{ field: string; host: string; reason: string }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.host)} is not a valid host name: ${p.reason}`,
    fix: 'Use a DNS name ("reviews", "reviews.default.svc.cluster.local", "*.example.com"): labels of letters, digits and "-", a "*" only as the whole first label.',
  }),
  'port.range': check<{ field: string; value: number }>({
    level: 'error',
    detail: (p) =>
      p.value === 0
        ? `${p.field} is missing (or 0): a port number is 1 to 65535`
        : `${p.field} ${p.value} is not a port number: ports are 1 to 65535`,
  }),
  'address.invalid': check<{ field: string; value: string; cidr: boolean }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.value)} is not an IP address${p.cidr ? ' or CIDR block' : ''}`,
    fix: (p) => (p.cidr ? 'Use an IP ("10.0.0.5") or a CIDR block ("10.0.0.0/16").' : 'Use an IP address.'),
  }),

  ...NETWORKING_SCHEMA_CHECKS,
  ...SECURITY_SCHEMA_CHECKS,
  ...TELEMETRY_CHECKS,
};

export type SchemaCheckId = keyof typeof SCHEMA_CHECKS;
export type SchemaCheckParams<K extends SchemaCheckId> =
  (typeof SCHEMA_CHECKS)[K] extends SchemaCheck<infer P> ? P : never;

/** The code and the IST0106/IST0133 parameters for a check. */
export function schemaFinding<K extends SchemaCheckId>(
  id: K,
  params: SchemaCheckParams<K>,
): { code: 'IST0106' | 'IST0133'; params: SchemaParams } {
  const entry = SCHEMA_CHECKS[id] as unknown as SchemaCheck<SchemaCheckParams<K>>;
  const fix = typeof entry.fix === 'function' ? entry.fix(params) : entry.fix;
  return {
    code: entry.level === 'error' ? 'IST0106' : 'IST0133',
    params: {
      detail: entry.detail(params),
      why: entry.why ?? (entry.level === 'error' ? REJECTED_WHY : WARNED_WHY),
      ...(fix ? { fix } : {}),
    },
  };
}
