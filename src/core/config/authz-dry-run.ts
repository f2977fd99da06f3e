// The istio.io/dry-run annotation on an AuthorizationPolicy, read as istiod 1.26 reads it
// (pilot/pkg/security/authz/builder isDryRun: Go's strconv.ParseBool; an unparsable
// value is logged and the policy enforced). The webhook refuses the annotation on any
// other action than ALLOW and DENY, and a value ParseBool does not take.
import type { AuthorizationPolicy } from './snapshot.ts';

export const DRY_RUN_ANNOTATION = 'istio.io/dry-run';

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's strconv.ParseBool: undefined for what it refuses. */
export function parseGoBool(value: string): boolean | undefined {
  return TRUE.has(value) ? true : FALSE.has(value) ? false : undefined;
}

/** The annotation as written (a string, or a YAML scalar that is not one), or undefined. */
export function dryRunValue(p: Pick<AuthorizationPolicy, 'raw'>): unknown {
  const meta = p.raw.metadata as { annotations?: Record<string, unknown> } | undefined;
  return meta?.annotations?.[DRY_RUN_ANNOTATION];
}

/** Does istiod build the policy in shadow mode (Envoy's RBAC shadow_rules)? */
export function isDryRun(p: Pick<AuthorizationPolicy, 'raw'>): boolean {
  const v = dryRunValue(p);
  return typeof v === 'string' && parseGoBool(v) === true;
}
