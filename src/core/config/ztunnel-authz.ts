// What ztunnel makes of an AuthorizationPolicy (Istio 1.26, pilot's
// serviceregistry/kube/controller/ambient/authorization.go): ztunnel reads L4
// attributes only. In an ALLOW policy a rule with any HTTP attribute is dropped
// (it can never match, so the policy allows less: with no rule left it allows
// nothing); in a DENY policy the HTTP attributes are ignored and the rest of the
// rule kept (it denies more). CUSTOM and AUDIT are not supported by ztunnel (the
// policy is skipped), and a policy with targetRefs is for a waypoint, not ztunnel.
import type { AuthorizationPolicySpec, AuthzRule } from './schemas/index.ts';

const L7_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;
const L7_SOURCE = [
  'remoteIpBlocks',
  'notRemoteIpBlocks',
  'requestPrincipals',
  'notRequestPrincipals',
] as const;
const L4_CONDITIONS = new Set([
  'source.ip',
  'source.namespace',
  'source.principal',
  'destination.ip',
  'destination.port',
]);

/** The HTTP attributes a rule uses (as istiod names them in its warning), none for an L4 rule. */
export function httpAttributes(rule: AuthzRule): string[] {
  const found = new Set<string>();
  for (const t of rule.to ?? [])
    for (const f of L7_OPERATION) if ((t.operation?.[f]?.length ?? 0) > 0) found.add(f);
  for (const s of rule.from ?? [])
    for (const f of L7_SOURCE) if ((s.source?.[f]?.length ?? 0) > 0) found.add(f);
  for (const w of rule.when ?? []) if (!L4_CONDITIONS.has(w.key ?? '')) found.add(w.key ?? '');
  return [...found].sort();
}

/** Does any rule of the policy use an HTTP attribute? */
export function hasHttpAttributes(spec: AuthorizationPolicySpec): boolean {
  return (spec.rules ?? []).some((r) => httpAttributes(r).length > 0);
}

/** A rule without its HTTP attributes (how ztunnel enforces a DENY rule). */
function stripHttp(rule: AuthzRule): AuthzRule {
  const out: AuthzRule = {};
  if (rule.from)
    out.from = rule.from.map((f) => {
      if (!f.source) return f;
      const source = { ...f.source };
      for (const k of L7_SOURCE) delete source[k];
      return { source };
    });
  if (rule.to)
    out.to = rule.to.map((t) => {
      if (!t.operation) return t;
      const operation = { ...t.operation };
      for (const k of L7_OPERATION) delete operation[k];
      return { operation };
    });
  const when = rule.when?.filter((w) => L4_CONDITIONS.has(w.key ?? ''));
  if (when && when.length > 0) out.when = when;
  return out;
}

export interface ZtunnelRules {
  /** the rules ztunnel enforces, with their index in the policy as written */
  rules: { index: number; rule: AuthzRule }[];
  /** rules dropped (ALLOW) or widened (DENY), with the HTTP attributes that caused it */
  changed: { index: number; attributes: string[] }[];
}

/** The rules ztunnel enforces for an ALLOW or DENY policy. */
export function ztunnelRules(spec: AuthorizationPolicySpec): ZtunnelRules {
  const deny = spec.action === 'DENY';
  const out: ZtunnelRules = { rules: [], changed: [] };
  (spec.rules ?? []).forEach((rule, index) => {
    const attributes = httpAttributes(rule);
    if (attributes.length === 0) {
      out.rules.push({ index, rule });
      return;
    }
    out.changed.push({ index, attributes });
    if (deny) out.rules.push({ index, rule: stripHttp(rule) });
  });
  return out;
}
