// What an AuthorizationPolicy rule becomes on a TCP port, as Istio builds Envoy's
// network RBAC filter (pilot/pkg/security/authz/model: generators of HTTP-only
// attributes fail "forTCP"): an ALLOW rule using any HTTP-only field is dropped
// (it admits nothing), while a DENY or AUDIT rule loses those fields and so widens
// (a rule left without conditions matches every connection to the port).
import type { AuthzCondition, AuthzOperation, AuthzRule, AuthzSource } from './schemas/index.ts';

/** Source fields the TCP filter cannot evaluate (they need a verified JWT). */
const HTTP_SOURCE = ['requestPrincipals', 'notRequestPrincipals'] as const;
/** Operation fields the TCP filter cannot evaluate (they need the HTTP request). */
const HTTP_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;

/** A when key the TCP filter cannot evaluate: request headers and everything from a JWT. */
export function httpOnlyKey(key: string | undefined): boolean {
  return key !== undefined && (key.startsWith('request.headers') || key.startsWith('request.auth.'));
}

/** The HTTP-only fields a rule uses, as `from.source.requestPrincipals`, `to.operation.paths`, `when request.headers[x]`. */
export function httpOnlyFields(rule: AuthzRule): string[] {
  const out = new Set<string>();
  for (const f of rule.from ?? [])
    for (const k of HTTP_SOURCE) if ((f.source?.[k]?.length ?? 0) > 0) out.add(`from.source.${k}`);
  for (const t of rule.to ?? [])
    for (const k of HTTP_OPERATION) if ((t.operation?.[k]?.length ?? 0) > 0) out.add(`to.operation.${k}`);
  for (const w of rule.when ?? []) if (httpOnlyKey(w.key)) out.add(`when ${w.key}`);
  return [...out];
}

/**
 * The rule as the TCP filter enforces it: null when an ALLOW rule is dropped; for
 * DENY and AUDIT the rule without its HTTP-only fields (the same object when it has none).
 */
export function ruleForTcp(rule: AuthzRule, action: string): AuthzRule | null {
  if (httpOnlyFields(rule).length === 0) return rule;
  if (action === 'ALLOW' || action === 'CUSTOM') return null;
  const out: AuthzRule = {};
  if (rule.from)
    out.from = rule.from.map((f) => {
      if (!f.source) return f;
      const s: AuthzSource = { ...f.source };
      for (const k of HTTP_SOURCE) delete s[k];
      return { source: s };
    });
  if (rule.to)
    out.to = rule.to.map((t) => {
      if (!t.operation) return t;
      const o: AuthzOperation = { ...t.operation };
      for (const k of HTTP_OPERATION) delete o[k];
      return { operation: o };
    });
  const when: AuthzCondition[] = (rule.when ?? []).filter((w) => !httpOnlyKey(w.key));
  if (when.length > 0) out.when = when;
  return out;
}
