// AuthorizationPolicies in dry-run (istio.io/dry-run: "true"), as Envoy runs what istiod
// builds from them: the RBAC filter's shadow_rules. They are evaluated on every request
// that reaches the filter and the result is recorded (dynamic metadata
// istio_dry_run_{allow,deny}_shadow_effective_policy_id / _shadow_engine_result, the
// rbac debug log, the envoy_http_..._rbac metric), but never enforced: the request goes
// on as if the policy were absent. The DENY filter runs before the ALLOW filter, each
// with its own shadow result (Istio's dry-run task: "two separate dry-run results").
import type { AuthorizationPolicy } from '../../config/security-policies.ts';

const name = (p: AuthorizationPolicy) => `${p.namespace}/${p.name}`;
const policyId = (p: AuthorizationPolicy, i: number) => `ns[${p.namespace}]-policy[${p.name}]-rule[${i}]`;

/**
 * The shadow result of one RBAC filter (`action`) for its dry-run policies, as a decision
 * line, or undefined when it has none. `matching` gives a policy's first matching rule, -1
 * for none.
 */
export function dryRunDecision(
  action: 'DENY' | 'ALLOW',
  policies: readonly AuthorizationPolicy[],
  where: string,
  matching: (p: AuthorizationPolicy) => number,
): string | undefined {
  if (policies.length === 0) return undefined;
  const key = `istio_dry_run_${action.toLowerCase()}_shadow`;
  for (const p of policies) {
    const i = matching(p);
    if (i < 0) continue;
    const verdict = action === 'DENY' ? 'DENIED' : 'ALLOWED';
    return `dry-run at ${where}: would have been ${verdict} by ${action} ${name(p)} rules[${i}], not enforced (${key}_effective_policy_id: ${policyId(p, i)}, ${key}_engine_result: ${verdict.toLowerCase()})`;
  }
  const names = policies.map(name).join(', ');
  const none = action === 'ALLOW' && policies.every((p) => (p.spec.rules?.length ?? 0) === 0);
  const rules = none
    ? `dry-run ALLOW ${names} has no rules`
    : `no rule of dry-run ${action} ${names} matches`;
  return action === 'DENY'
    ? `dry-run at ${where}: ${rules}: it would have been allowed (${key}_engine_result: allowed)`
    : `dry-run at ${where}: ${rules}: it would have been DENIED, not enforced (${key}_engine_result: denied)`;
}
