import { toFqdn } from '../../../config/hosts.ts';
import type { Rule } from '../../rule.ts';
import { routeDestinations } from './destinations.ts';

/** Subset routing in a mesh VirtualService does not affect a gateway VirtualService that routes to the bare host. */
export const ingressRouteRulesNotAffected: Rule = {
  name: 'virtualservice.ingress-subsets',
  description:
    'A gateway VirtualService routing to a host without a subset, while another VirtualService routes that host by subset (IST0140).',
  reads: ['VirtualService'],
  codes: ['IST0140'],
  run(ctx) {
    const snap = ctx.snapshot;
    const vss = snap.virtualServices;
    const subsetRouters = new Map<string, string>();
    for (const vs of vss) {
      if (!snap.gatewayRefs(vs).includes('mesh')) continue;
      // its hosts as a set only once a destination names a subset (most name none)
      let hosts: Set<string> | undefined;
      for (const d of routeDestinations(vs)) {
        if (!d.destination.subset || !d.destination.host) continue;
        hosts ??= new Set((vs.spec.hosts ?? []).map((h) => toFqdn(h, vs.namespace)));
        const fq = toFqdn(d.destination.host, vs.namespace);
        if (hosts.has(fq) && !subsetRouters.has(fq)) subsetRouters.set(fq, `${vs.namespace}/${vs.name}`);
      }
    }
    if (subsetRouters.size === 0) return;
    for (const vs of vss) {
      const refs = snap.gatewayRefs(vs);
      if (refs.every((r) => r === 'mesh')) continue;
      for (const d of routeDestinations(vs)) {
        if (d.destination.subset || !d.destination.host) continue;
        const fq = toFqdn(d.destination.host, vs.namespace);
        const other = subsetRouters.get(fq);
        if (other && other !== `${vs.namespace}/${vs.name}`) {
          ctx.report('IST0140', { host: d.destination.host, other }, vs, d.path);
        }
      }
    }
  },
};
