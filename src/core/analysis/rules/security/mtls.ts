// The course's mTLS mistakes: STRICT while callers without a sidecar exist
// (ICA1201), and a DestinationRule that sends plaintext or its own TLS to pods
// that require mTLS (ICA1202: every request is reset, 503 UC).

import { toFqdn } from '../../../config/hosts.ts';
import { ROOT_NAMESPACE, SecurityPolicies } from '../../../config/security-policies.ts';
import type { PeerAuthentication, Snapshot } from '../../../config/snapshot.ts';
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
    const policies = new SecurityPolicies(s);
    if (plaintext.length > 0) {
      const callers = plaintext
        .slice(0, 3)
        .map((w) => `${w.namespace}/${w.name}`)
        .join(', ');
      const more = plaintext.length > 3 ? ` and ${plaintext.length - 3} more` : '';
      // only a policy that decides STRICT for some served port: one overridden everywhere
      // (a workload policy, portLevelMtls) resets nobody
      const effective = strictDeciders(s, policies);
      for (const p of strict) {
        const by = `PeerAuthentication ${p.namespace}/${p.name}`;
        if (!effective.has(by)) continue;
        const scope = hasSelector(p)
          ? `the workloads it selects in ${p.namespace}`
          : p.namespace === ROOT_NAMESPACE
            ? 'the whole mesh'
            : `the namespace ${p.namespace}`;
        ctx.report('ICA1201', { mode: 'STRICT', by, scope, callers: callers + more }, p, [
          'spec',
          'mtls',
          'mode',
        ]);
      }
    }
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

const hasSelector = (p: PeerAuthentication) => Object.keys(p.spec.selector?.matchLabels ?? {}).length > 0;

/** The PeerAuthentications (`PeerAuthentication ns/name`) that decide STRICT for a port some sidecar serves. */
function strictDeciders(s: Snapshot, policies: SecurityPolicies): Set<string> {
  const out = new Set<string>();
  const add = (by: string) => {
    const m = /^PeerAuthentication \S+/.exec(by);
    if (m) out.add(m[0]);
  };
  const served = new Set<string>();
  for (const svc of s.services())
    for (const w of s.endpoints(svc)) {
      if (!w.sidecar) continue;
      served.add(`${w.namespace}/${w.name}`);
      const pol = policies.forWorkload(w.namespace, w.labels);
      for (const p of svc.ports) {
        const d = pol.mtls(p.targetPort ?? p.port);
        if (d.mode === 'STRICT') add(d.by);
      }
    }
  // a workload without a Service still accepts connections on its pod's ports
  for (const w of s.workloadsMatching({})) {
    if (!w.sidecar || served.has(`${w.namespace}/${w.name}`)) continue;
    const d = policies.forWorkload(w.namespace, w.labels).mtls(0);
    if (d.mode === 'STRICT') add(d.by);
  }
  return out;
}
