// The security layer's step for a connection to a TCP port (layer.ts calls it once mTLS
// has let the connection in): Envoy's network RBAC filter. CUSTOM first (a gRPC
// authorizer only), then DENY and ALLOW, each rule as Istio builds it for TCP; dry-run
// policies are shadow rules, recorded and not enforced.
import type { AuthzRequest } from '../../config/authz-match.ts';
import { ruleForTcp } from '../../config/authz-tcp.ts';
import type { WorkloadPolicies } from '../../config/security-policies.ts';
import type { Snapshot } from '../../config/snapshot.ts';
import type { Hop, HopVerdict } from '../layers.ts';
import type { Endpoint } from '../types.ts';
import { dryRunDecision } from './dry-run.ts';
import { customDecision, type ExtAuthzAnswer } from './ext-authz.ts';
import { dryRuns, matchingRule, name, RBAC_DENIED } from './policy-match.ts';

/**
 * A connection to a TCP port: Envoy's network RBAC filter, with each rule as Istio
 * builds it for TCP (HTTP-only fields drop an ALLOW rule and widen a DENY rule). A
 * denied connection is closed, not answered: the caller sees a reset, no 403. No JWT
 * check (RequestAuthentication is an HTTP filter).
 */
export function authorizeTcp(
  snapshot: Snapshot,
  answer: ExtAuthzAnswer,
  h: Hop,
  ep: Endpoint,
  pol: WorkloadPolicies,
  port: number,
  principal: string | undefined,
  transport: string,
  conn: { sourceIp: string; remoteIp: string },
): HopVerdict | null {
  const r: AuthzRequest = {
    method: '',
    path: '',
    host: '',
    port,
    headers: {},
    sourceIp: conn.sourceIp,
    remoteIp: conn.remoteIp,
    ...(principal ? { principal } : {}),
  };
  const peer = principal ?? `no identity (${transport})`;
  const closed = (why: string): HopVerdict => ({
    kind: 'reset',
    connect: false,
    reason: `${RBAC_DENIED} at ${ep.pod} (TCP port ${port}: the connection is closed): ${why} (${peer})`,
  });
  const custom = customDecision(snapshot, pol.custom, r, `${ep.pod} (TCP port ${port})`, {
    tcp: true,
    matching: (p) => matchingRule(p, r, 'DENY'),
    answer,
  });
  if (custom.kind === 'deny') return closed(custom.reason);
  if (custom.note) h.note?.(custom.note);
  const where = `${ep.pod} (TCP port ${port})`;
  const shadow = (action: 'DENY' | 'ALLOW') => {
    const d = dryRunDecision(action, pol.dryRun[action === 'DENY' ? 'deny' : 'allow'], where, (p) =>
      matchingRule(p, r, action),
    );
    if (d) h.note?.(d);
  };
  shadow('DENY');
  for (const p of pol.deny) {
    const i = matchingRule(p, r, 'DENY');
    if (i >= 0) {
      const widened = ruleForTcp(p.spec.rules?.[i] ?? {}, 'DENY') !== p.spec.rules?.[i];
      return closed(
        `DENY ${name(p)} rules[${i}] matches${widened ? ', widened to the whole port: its HTTP-only fields (methods, paths, hosts, request principals, headers) cannot apply to TCP' : ''}`,
      );
    }
  }
  shadow('ALLOW');
  if (pol.allow.length > 0) {
    for (const p of pol.allow) {
      const i = matchingRule(p, r, 'ALLOW');
      if (i >= 0) {
        h.note?.(`allowed at ${ep.pod} (TCP port ${port}) by ALLOW ${name(p)} rules[${i}] (${peer})`);
        return null;
      }
    }
    const dropped = pol.allow.flatMap((p) =>
      (p.spec.rules ?? []).flatMap((rule, i) =>
        ruleForTcp(rule, 'ALLOW') ? [] : [`${name(p)} rules[${i}]`],
      ),
    );
    return closed(
      `no rule of ALLOW ${pol.allow.map(name).join(', ')} matches${dropped.length > 0 ? `; ${dropped.join(', ')} ignored on TCP (HTTP-only fields)` : ''}`,
    );
  }
  if (pol.deny.length + dryRuns(pol) > 0)
    h.note?.(`allowed at ${ep.pod} (TCP port ${port}): no ALLOW policy selects it (${peer})`);
  return null;
}
