// Security policies whose selector matches no workload (istioctl's IST0127), and
// the trainer's ICA1205 when it matches workloads of another namespace (the
// policy was created in the wrong one).

import { ROOT_NAMESPACE } from '../../../config/security-policies.ts';
import { labelsMatch } from '../../../config/snapshot.ts';
import type { Rule } from '../../rule.ts';

export const policySelectsWorkloads: Rule = {
  name: 'security.selects-workloads',
  description:
    'PeerAuthentication, AuthorizationPolicy and RequestAuthentication selectors that match no workload of their namespace (IST0127), or only workloads of another (ICA1205).',
  reads: ['PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication', 'Pod', 'Deployment'],
  codes: ['IST0127', 'ICA1205'],
  run(ctx) {
    const s = ctx.snapshot;
    const all = s.workloadsMatching({});
    const policies = [...s.peerAuthentications, ...s.authorizationPolicies, ...s.requestAuthentications];
    for (const p of policies) {
      const labels = p.spec.selector?.matchLabels;
      if (!labels || Object.keys(labels).length === 0) continue;
      const matching = all.filter((w) => labelsMatch(labels, w.labels));
      const root = p.namespace === ROOT_NAMESPACE && p.kind !== 'PeerAuthentication';
      if (matching.some((w) => root || w.namespace === p.namespace)) continue;
      const text = Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const elsewhere = [...new Set(matching.map((w) => w.namespace))].sort();
      if (elsewhere.length > 0)
        ctx.report('ICA1205', { kind: p.kind, labels: text, namespaces: elsewhere.join(', ') }, p, [
          'metadata',
          'namespace',
        ]);
      else ctx.report('IST0127', { labels: text }, p, ['spec', 'selector']);
    }
  },
};
