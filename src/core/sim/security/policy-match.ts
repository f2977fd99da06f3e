// Which rule of an AuthorizationPolicy matches a request, as the sidecar's HTTP or TCP
// RBAC filter reads it; shared by the HTTP and TCP steps of the security layer.
import { type AuthzRequest, matchRule } from '../../config/authz-match.ts';
import { ruleForTcp } from '../../config/authz-tcp.ts';
import type { AuthorizationPolicy, WorkloadPolicies } from '../../config/security-policies.ts';

export const RBAC_DENIED = 'RBAC: access denied';

export const name = (p: AuthorizationPolicy) => `${p.namespace}/${p.name}`;
export const dryRuns = (pol: WorkloadPolicies) => pol.dryRun.deny.length + pol.dryRun.allow.length;

/**
 * The index of the first rule of `p` that matches, or -1 (no rules: never). With
 * `tcpAction`, each rule as the TCP filter enforces it (see ruleForTcp).
 */
export function matchingRule(p: AuthorizationPolicy, r: AuthzRequest, tcpAction?: string): number {
  const rules = p.spec.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = tcpAction ? ruleForTcp(rules[i]!, tcpAction) : rules[i]!;
    if (rule && matchRule(rule, r, p.namespace)) return i;
  }
  return -1;
}
