// CUSTOM AuthorizationPolicies istiod cannot build (ICA1207): their provider is not
// among the mesh config's extension providers, is not an external authorizer, names
// a service istiod cannot find, or a workload's CUSTOM policies name two providers.
// istiod then denies every request their rules match (Istio 1.20+: DENY rules in their
// place, ...-deny-due-to-bad-CUSTOM-action). The same holds for a waypoint:
// istiod builds the CUSTOM policies attached with targetRefs (to the waypoint, its
// GatewayClass or a Service it serves) with the same builder, per Service it serves.
// Reported only when the inputs hold a mesh config (or a cluster's): a policy file
// analyzed alone says nothing of the mesh config it will meet.
import { ambientOf, type Waypoint } from '../../../config/ambient.ts';
import { resolveProvider } from '../../../config/ext-authz-provider.ts';
import { ROOT_NAMESPACE, SecurityPolicies } from '../../../config/security-policies.ts';
import {
  type AuthorizationPolicy,
  labelsMatch,
  type ServiceInfo,
  type Snapshot,
} from '../../../config/snapshot.ts';
import { attachedTo } from '../../../config/waypoint-attachment.ts';
import type { Rule } from '../../rule.ts';

export const customProvider: Rule = {
  name: 'security.custom-provider',
  description:
    'CUSTOM AuthorizationPolicies whose provider istiod cannot use: every request their rules match at the workloads they select is then denied.',
  reads: [
    'AuthorizationPolicy',
    'PeerAuthentication',
    'RequestAuthentication',
    'Service',
    'ServiceEntry',
    'Pod',
    'Deployment',
  ],
  codes: ['ICA1207'],
  run(ctx) {
    const s = ctx.snapshot;
    if (!s.meshSecurity.configured) return;
    const customs = s.authorizationPolicies.filter((p) => p.spec.action === 'CUSTOM' && !targeted(p));
    if (customs.length === 0) return;
    const policies = new SecurityPolicies(s);
    for (const ap of customs) {
      const selected = (
        ap.namespace === ROOT_NAMESPACE ? s.workloadsMatching({}) : s.workloads(ap.namespace)
      ).filter((w) => labelsMatch(ap.spec.selector?.matchLabels, w.labels));
      // its own provider first; then, with the other CUSTOM policies of each workload, one provider per workload
      if (selected.length === 0) continue;
      let resolved = resolveProvider(s, [ap]);
      let hit = selected;
      if (!('error' in resolved)) {
        hit = selected.filter(
          (w) => 'error' in resolveProvider(s, policies.forWorkload(w.namespace, w.labels).custom),
        );
        const first = hit[0];
        if (!first) continue;
        resolved = resolveProvider(s, policies.forWorkload(first.namespace, first.labels).custom);
      }
      if (!('error' in resolved)) continue;
      const names = hit.map((w) => `${w.namespace}/${w.name}`);
      ctx.report(
        'ICA1207',
        {
          provider: ap.spec.provider?.name ?? '',
          why: resolved.error,
          workloads: names.length > 0 ? names.join(', ') : 'the workloads it selects',
        },
        ap,
        ['spec', 'provider', 'name'],
      );
    }
  },
};

/** The same for CUSTOM policies attached to waypoints (targetRefs): a rule of its own, as it reads Gateway API Gateways. */
export const customProviderWaypoint: Rule = {
  name: 'security.custom-provider-waypoint',
  description:
    'CUSTOM AuthorizationPolicies attached to a waypoint (targetRefs) whose provider istiod cannot use: every request their rules match through the waypoint to the Services they cover is then denied.',
  reads: ['AuthorizationPolicy', 'Service', 'ServiceEntry', 'Namespace'],
  readsGatewayApi: true,
  codes: ['ICA1207'],
  run(ctx) {
    const s = ctx.snapshot;
    if (!s.meshSecurity.configured) return;
    for (const [ap, v] of waypointVerdicts(s))
      ctx.report('ICA1207', { provider: ap.spec.provider?.name ?? '', ...v }, ap, [
        'spec',
        'provider',
        'name',
      ]);
  },
};

/**
 * The targetRefs CUSTOM policies istiod cannot build at a waypoint: for each Service the
 * waypoint serves (the waypoint alone when it serves none yet), the CUSTOM policies
 * attached there resolve to one usable provider, or their rules all become DENY rules.
 */
function waypointVerdicts(s: Snapshot): Map<AuthorizationPolicy, { why: string; workloads: string }> {
  const out = new Map<AuthorizationPolicy, { why: string; sites: Map<Waypoint, string[]> }>();
  if (!s.authorizationPolicies.some((p) => p.spec.action === 'CUSTOM' && targeted(p))) return new Map();
  const ambient = ambientOf(s);
  const served = new Map<Waypoint, ServiceInfo[]>();
  for (const svc of s.services()) {
    const w = ambient.serviceWaypoint(svc.fqdn);
    if (w) served.set(w, [...(served.get(w) ?? []), svc]);
  }
  for (const w of ambient.waypoints()) {
    const sites: (ServiceInfo | undefined)[] = served.get(w) ?? [undefined];
    for (const svc of sites) {
      const custom = s.authorizationPolicies.filter(
        (p) => p.spec.action === 'CUSTOM' && targeted(p) && attachedTo(p, w, svc),
      );
      if (custom.length === 0) continue;
      const resolved = resolveProvider(s, custom);
      if (!('error' in resolved)) continue;
      for (const ap of custom) {
        // its own provider's error first, as for a selector policy
        const own = resolveProvider(s, [ap]);
        const why = 'error' in own ? own.error : resolved.error;
        let v = out.get(ap);
        if (!v) out.set(ap, (v = { why, sites: new Map() }));
        const names = v.sites.get(w) ?? [];
        if (svc) names.push(`${svc.namespace}/${svc.name}`);
        v.sites.set(w, names);
      }
    }
  }
  const text = (sites: Map<Waypoint, string[]>) =>
    [...sites]
      .map(
        ([w, names]) =>
          `${names.length > 0 ? `${names.join(', ')} through ` : ''}waypoint ${w.namespace}/${w.name}`,
      )
      .join('; ');
  return new Map([...out].map(([ap, v]) => [ap, { why: v.why, workloads: text(v.sites) }]));
}

/** A policy attached with targetRef(s) (a waypoint, its class or a Service): judged per waypoint above. */
const targeted = (p: AuthorizationPolicy) =>
  p.spec.targetRef !== undefined || (p.spec.targetRefs?.length ?? 0) > 0;
