import { splitGatewayHost } from '../../../config/hosts.ts';
import type { Rule } from '../../rule.ts';
import { gatewayHosts, gatewayKey, serverHostAdmits } from './gateway-binding.ts';

/** Gateways named by a VirtualService must exist and accept its hosts. */
export const virtualServiceGateways: Rule = {
  name: 'virtualservice.gateways',
  description:
    'Every gateway a VirtualService binds to exists (IST0101) and accepts at least one of its hosts (IST0132).',
  reads: ['VirtualService', 'Gateway'],
  codes: ['IST0101', 'IST0132'],
  run(ctx) {
    const snap = ctx.snapshot;
    for (const vs of snap.virtualServices) {
      const entries = vs.spec.gateways ?? [];
      const refs = snap.gatewayRefs(vs);
      entries.forEach((entry, i) => {
        const ref = refs[i];
        if (!ref || ref === 'mesh' || !entry) return;
        const gw = snap.gateway(ref);
        if (!gw) {
          ctx.report('IST0101', { ref: 'gateway', name: ref }, vs, ['spec', 'gateways', i]);
          return;
        }
        const hosts = vs.spec.hosts ?? [];
        if (hosts.length === 0) return;
        const admitted = hosts.some((h) =>
          gatewayHosts(gw).some((gh) => serverHostAdmits(gh.entry, gw, vs, h)),
        );
        if (!admitted) {
          ctx.report('IST0132', { host: hosts.join(', '), gateway: gatewayKey(gw) }, vs, ['spec', 'hosts']);
        }
      });
    }
  },
};

/** The course's "missing gateways: field": a mesh-only VirtualService for a host a Gateway exposes. */
export const virtualServiceMissingGateways: Rule = {
  name: 'virtualservice.missing-gateways',
  description:
    'A VirtualService without gateways: whose host a Gateway exposes by name, while no VirtualService bound to that Gateway serves the host.',
  reads: ['VirtualService', 'Gateway'],
  codes: ['ICA1006'],
  run(ctx) {
    const snap = ctx.snapshot;
    const gateways = snap.gateways;
    if (gateways.length === 0) return;
    const vss = snap.virtualServices;
    for (const vs of vss) {
      // no gateways: field, or `gateways: [mesh]`: either way only sidecars see the rules
      if ((vs.spec.gateways ?? []).some((g) => g !== 'mesh')) continue;
      (vs.spec.hosts ?? []).forEach((host, i) => {
        for (const gw of gateways) {
          // A Gateway host "*" exposes everything; only hosts named on purpose count here.
          const named = gatewayHosts(gw).filter((gh) => splitGatewayHost(gh.entry).host !== '*');
          if (!named.some((gh) => serverHostAdmits(gh.entry, gw, vs, host))) continue;
          const key = gatewayKey(gw);
          const served = vss.some(
            (other) =>
              other !== vs &&
              snap.gatewayRefs(other).includes(key) &&
              (other.spec.hosts ?? []).some((h) =>
                named.some((gh) => serverHostAdmits(gh.entry, gw, other, h)),
              ),
          );
          if (!served) {
            ctx.report('ICA1006', { host, gateway: key }, vs, ['spec', 'hosts', i]);
            return;
          }
        }
      });
    }
  },
};
