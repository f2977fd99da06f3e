// The course's mTLS mistakes: STRICT while callers without a sidecar exist
// (ICA1201), and a DestinationRule that sends plaintext or its own TLS to pods
// that require mTLS (ICA1202: every request is reset, 503 UC).

import { toFqdn } from '../../../config/hosts.ts';
import { SecurityPolicies } from '../../../config/security-policies.ts';
import type { Rule } from '../../rule.ts';

export const mtlsMistakes: Rule = {
  name: 'security.mtls',
  description:
    'STRICT PeerAuthentication while plaintext callers (workloads without a sidecar) are among the inputs, and DestinationRule tls DISABLE/SIMPLE/MUTUAL towards STRICT pods.',
  reads: [
    'PeerAuthentication',
    'DestinationRule',
    'Service',
    'Pod',
    'Deployment',
    'AuthorizationPolicy',
    'RequestAuthentication',
  ],
  codes: ['ICA1201', 'ICA1202'],
  run(ctx) {
    const s = ctx.snapshot;
    const strict = s.peerAuthentications.filter((p) => p.spec.mtls?.mode === 'STRICT');
    if (strict.length === 0) return;
    const plaintext = s.workloadsMatching({}).filter((w) => !w.sidecar && !w.resource.origin.builtin);
    if (plaintext.length > 0) {
      const callers = plaintext
        .slice(0, 3)
        .map((w) => `${w.namespace}/${w.name}`)
        .join(', ');
      const more = plaintext.length > 3 ? ` and ${plaintext.length - 3} more` : '';
      for (const p of strict)
        ctx.report(
          'ICA1201',
          { mode: 'STRICT', by: `PeerAuthentication ${p.namespace}/${p.name}`, callers: callers + more },
          p,
          ['spec', 'mtls', 'mode'],
        );
    }
    const policies = new SecurityPolicies(s);
    for (const dr of s.destinationRules) {
      const mode = dr.spec.trafficPolicy?.tls?.mode;
      if (!mode || mode === 'ISTIO_MUTUAL' || !dr.spec.host) continue;
      const service = s.service(toFqdn(dr.spec.host, dr.namespace));
      if (!service) continue;
      const strictPods = s.endpoints(service).filter((w) => {
        if (!w.sidecar) return false;
        const port = service.ports[0];
        return (
          policies.forWorkload(w.namespace, w.labels).mtls(port?.targetPort ?? port?.port ?? 0).mode ===
          'STRICT'
        );
      });
      if (strictPods.length === 0) continue;
      const w = strictPods[0]!;
      const port = service.ports[0];
      const by = policies.forWorkload(w.namespace, w.labels).mtls(port?.targetPort ?? port?.port ?? 0).by;
      ctx.report(
        'ICA1202',
        { host: dr.spec.host, mode, pods: strictPods.map((x) => x.name).join(', '), by },
        dr,
        ['spec', 'trafficPolicy', 'tls', 'mode'],
      );
    }
  },
};
