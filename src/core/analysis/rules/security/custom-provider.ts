// CUSTOM AuthorizationPolicies istiod cannot build (ICA1207): their provider is not
// among the mesh config's extension providers, is not an external authorizer, names
// a service istiod cannot find, or a workload's CUSTOM policies name two providers.
// istiod then denies every request to the workload. Reported only when the inputs
// hold a mesh config (or a cluster's): a policy file analyzed alone says nothing of
// the mesh config it will meet.
import { resolveProvider } from '../../../config/ext-authz-provider.ts';
import { ROOT_NAMESPACE, SecurityPolicies } from '../../../config/security-policies.ts';
import { type AuthorizationPolicy, labelsMatch } from '../../../config/snapshot.ts';
import type { Rule } from '../../rule.ts';

export const customProvider: Rule = {
  name: 'security.custom-provider',
  description:
    'CUSTOM AuthorizationPolicies whose provider istiod cannot use: every request to the workloads they select is then denied.',
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

/** A policy attached with targetRef(s) (a waypoint or gateway), which this rule leaves to the ambient checks. */
const targeted = (p: AuthorizationPolicy) =>
  p.spec.targetRef !== undefined || (p.spec.targetRefs?.length ?? 0) > 0;
