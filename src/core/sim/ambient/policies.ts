// Authorization in ambient: the waypoint's L7 policies (those attached with
// targetRefs to the waypoint Gateway, to the Service it serves, or to the
// istio-waypoint GatewayClass from the root namespace) and the destination
// ztunnel's L4 policies (selector, namespace-wide and mesh-wide ones, read the
// way ztunnel reads them: see config/ztunnel-authz.ts).

import type { Waypoint } from '../../config/ambient.ts';
import { isDryRun } from '../../config/authz-dry-run.ts';
import { type AuthzRequest, matchRule } from '../../config/authz-match.ts';
import type { AuthorizationPolicy } from '../../config/security-policies.ts';
import type { ServiceInfo, Snapshot } from '../../config/snapshot.ts';
import { attachedTo } from '../../config/waypoint-attachment.ts';
import { ztunnelRules } from '../../config/ztunnel-authz.ts';
import { dryRunDecision } from '../security/dry-run.ts';
import { type CustomOutcome, customDecision, type ExtAuthzAnswer } from '../security/ext-authz.ts';
import { checkToken, findToken } from '../security/jwt.ts';

const RBAC_DENIED = 'RBAC: access denied';

export interface Outcome {
  /** undefined: allowed */
  denied?: string;
  /** what let the request through, or was ignored on the way */
  notes: string[];
}

export { attachedTo };

const name = (p: AuthorizationPolicy) => `${p.namespace}/${p.name}`;

function firstMatch(
  rules: { index: number; rule: Parameters<typeof matchRule>[0] }[],
  r: AuthzRequest,
  ns: string,
) {
  for (const { index, rule } of rules) if (matchRule(rule, r, ns)) return index;
  return -1;
}

/** JWT checks run at this time (seconds), as in the sidecar's security layer. */
const JWT_NOW = Date.UTC(2026, 0, 1) / 1000;

/**
 * The waypoint's RequestAuthentication (attached with targetRefs, as its
 * AuthorizationPolicies are): an invalid token is a 401; a valid one gives the
 * request principal and claims the waypoint's policies match on.
 */
export function waypointJwt(
  snapshot: Snapshot,
  waypoint: Waypoint,
  svc: ServiceInfo | undefined,
  headers: Record<string, string>,
  query: string,
): { invalid?: string; principal?: string; claims?: Record<string, unknown> } {
  const attached = snapshot.requestAuthentications.filter((ra) => attachedTo(ra, waypoint, svc));
  const rules = attached.flatMap((ra) => ra.spec.jwtRules ?? []);
  if (rules.length === 0) return {};
  const token = findToken(rules, headers, () => Object.fromEntries(new URLSearchParams(query)));
  if (!token) return {};
  const outcome = checkToken(token, rules, JWT_NOW);
  const names = attached.map((ra) => `${ra.namespace}/${ra.name}`).join(', ');
  if (outcome.kind === 'invalid')
    return {
      invalid: `${outcome.reason} at waypoint ${waypoint.namespace}/${waypoint.name} (RequestAuthentication ${names})`,
    };
  if (outcome.kind === 'valid') return { principal: outcome.principal, claims: outcome.claims };
  return {};
}

/** The waypoint's decision after CUSTOM (customAtWaypoint): DENY, then ALLOW, with every L7 attribute. */
export function waypointDecision(
  snapshot: Snapshot,
  waypoint: Waypoint,
  svc: ServiceInfo | undefined,
  r: AuthzRequest,
): Outcome {
  const where = `waypoint ${waypoint.namespace}/${waypoint.name}`;
  const peer = r.principal ?? 'no identity';
  const attached = snapshot.authorizationPolicies.filter((p) => attachedTo(p, waypoint, svc));
  const of = (action: string, dry = false) =>
    attached.filter((p) => (p.spec.action ?? 'ALLOW') === action && isDryRun(p) === dry);
  const notes: string[] = [];
  const all = (p: AuthorizationPolicy) => (p.spec.rules ?? []).map((rule, index) => ({ index, rule }));
  // dry-run policies are the waypoint's RBAC shadow rules: recorded, not enforced
  const shadow = (action: 'DENY' | 'ALLOW') => {
    const d = dryRunDecision(action, of(action, true), where, (p) => firstMatch(all(p), r, p.namespace));
    if (d) notes.push(d);
  };
  shadow('DENY');
  for (const p of of('DENY')) {
    const i = firstMatch(all(p), r, p.namespace);
    if (i >= 0)
      return { denied: `${RBAC_DENIED} at ${where}: DENY ${name(p)} rules[${i}] matches (${peer})`, notes };
  }
  shadow('ALLOW');
  const allow = of('ALLOW');
  if (allow.length === 0) return { notes };
  for (const p of allow) {
    const i = firstMatch(all(p), r, p.namespace);
    if (i >= 0) return { notes: [...notes, `allowed at ${where} by ALLOW ${name(p)} rules[${i}] (${peer})`] };
  }
  return {
    denied: `${RBAC_DENIED} at ${where}: no rule of ALLOW ${allow.map(name).join(', ')} matches (${peer})`,
    notes,
  };
}

/**
 * The destination ztunnel's decision over the policies that select the pod: L4
 * only. A denial closes the connection (the client sees a reset, curl exit 56).
 */
export function ztunnelDecision(
  pod: string,
  policies: {
    custom: AuthorizationPolicy[];
    deny: AuthorizationPolicy[];
    allow: AuthorizationPolicy[];
    dryRun?: { deny: AuthorizationPolicy[]; allow: AuthorizationPolicy[] };
  },
  r: AuthzRequest,
  peerText: string,
): Outcome {
  const where = `ztunnel at ${pod}`;
  const notes: string[] = [];
  // istiod sends ztunnel no dry-run policy at all (ambient's AuthzDerivedPolicies skips them)
  for (const p of [...(policies.dryRun?.deny ?? []), ...(policies.dryRun?.allow ?? [])])
    notes.push(
      `dry-run ${name(p)} is not sent to ${where}: istiod gives ztunnel no dry-run policy, so it neither enforces nor records it`,
    );
  for (const p of policies.custom)
    notes.push(`CUSTOM ${name(p)} is skipped by ${where}: ztunnel supports ALLOW and DENY only`);
  for (const p of policies.deny) {
    const z = ztunnelRules(p.spec);
    const i = firstMatch(z.rules, r, p.namespace);
    if (i >= 0) {
      const widened = z.changed.find((c) => c.index === i);
      const why = widened
        ? `: its HTTP attributes (${widened.attributes.join(', ')}) are ignored by ztunnel, so it denies more than written`
        : '';
      return {
        denied: `${where} denies the connection: DENY ${name(p)} rules[${i}] matches (${peerText})${why}`,
        notes,
      };
    }
  }
  if (policies.allow.length === 0) return { notes };
  const dropped: string[] = [];
  for (const p of policies.allow) {
    const z = ztunnelRules(p.spec);
    for (const c of z.changed) dropped.push(`${name(p)} rules[${c.index}] (${c.attributes.join(', ')})`);
    const i = firstMatch(z.rules, r, p.namespace);
    if (i >= 0)
      return { notes: [...notes, `allowed at ${where} by ALLOW ${name(p)} rules[${i}] (${peerText})`] };
  }
  const names = policies.allow.map(name).join(', ');
  const why =
    dropped.length > 0
      ? `; ztunnel cannot read HTTP attributes and drops the ALLOW rules that use them: ${dropped.join('; ')} (attach the policy to a waypoint with targetRefs)`
      : '';
  return {
    denied: `${where} denies the connection: no rule of ALLOW ${names} matches (${peerText})${why}`,
    notes,
  };
}

/**
 * The waypoint's CUSTOM step (sim/security/ext-authz.ts), which Envoy runs before the
 * JWT filter and RBAC: the CUSTOM policies attached to the waypoint or the Service.
 */
export function customAtWaypoint(
  snapshot: Snapshot,
  waypoint: Waypoint,
  svc: ServiceInfo | undefined,
  r: AuthzRequest,
  answer: ExtAuthzAnswer,
): CustomOutcome {
  const custom = snapshot.authorizationPolicies.filter(
    (p) => p.spec.action === 'CUSTOM' && attachedTo(p, waypoint, svc),
  );
  const all = (p: AuthorizationPolicy) => (p.spec.rules ?? []).map((rule, index) => ({ index, rule }));
  return customDecision(snapshot, custom, r, `waypoint ${waypoint.namespace}/${waypoint.name}`, {
    tcp: false,
    matching: (p) => firstMatch(all(p), r, p.namespace),
    answer,
  });
}
