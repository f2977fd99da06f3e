import { isIP } from 'node:net';
import { CLUSTER_DOMAIN, toFqdn } from '../../../config/hosts.ts';
import type { Rule } from '../../rule.ts';

/** Is this host outside the cluster (a DNS name that is not a cluster-local service)? */
export function isExternalHost(host: string): boolean {
  if (!host.includes('.') || host.startsWith('*') || isIP(host) !== 0) return false;
  return !host.endsWith(`.${CLUSTER_DOMAIN}`) && !/\.svc$/.test(host);
}

/** The course's "ServiceEntry missing for external service" under REGISTRY_ONLY. */
export const registryOnlyEgress: Rule = {
  name: 'egress.registry-only',
  description:
    'With outboundTrafficPolicy REGISTRY_ONLY, every external host that mesh traffic is routed to is registered by a ServiceEntry.',
  reads: ['VirtualService', 'ServiceEntry', 'Service'],
  codes: ['ICA1004'],
  run(ctx) {
    const snap = ctx.snapshot;
    if (snap.mesh.outboundMode !== 'REGISTRY_ONLY') return;
    for (const vs of snap.virtualServices) {
      if (!snap.gatewayRefs(vs).includes('mesh')) continue;
      (vs.spec.hosts ?? []).forEach((host, i) => {
        const fqdn = toFqdn(host, vs.namespace);
        if (!isExternalHost(fqdn) || snap.service(fqdn) || snap.serviceEntriesFor(fqdn).length > 0) return;
        ctx.report('ICA1004', { host }, vs, ['spec', 'hosts', i]);
      });
    }
  },
};
