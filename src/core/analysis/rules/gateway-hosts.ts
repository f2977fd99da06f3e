import { hostsOverlap, splitGatewayHost } from '../../config/hosts.ts';
import type { Gateway } from '../../config/snapshot.ts';
import type { Rule } from '../rule.ts';
import { gatewayHosts, gatewayKey, serverHostAdmits } from './gateway-binding.ts';

function sameSelector(a: Record<string, string> = {}, b: Record<string, string> = {}): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** Gateways that configure the same listener (istioctl's conflictinggateway analyzer). */
export const conflictingGateways: Rule = {
  name: 'gateway.conflicting',
  description: 'No two Gateways share a selector and port with overlapping hosts.',
  reads: ['Gateway'],
  codes: ['IST0145'],
  run(ctx) {
    const gws = ctx.snapshot.gateways;
    for (const gw of gws) {
      const conflicts = new Map<string, { port: number; hosts: Set<string>; others: Set<string> }>();
      for (const other of gws) {
        if (other === gw || !sameSelector(gw.spec.selector, other.spec.selector)) continue;
        for (const s of gw.spec.servers ?? []) {
          for (const o of other.spec.servers ?? []) {
            const port = s?.port?.number;
            if (port === undefined || port !== o?.port?.number) continue;
            for (const h of s?.hosts ?? []) {
              for (const oh of o?.hosts ?? []) {
                if (!hostsOverlap(splitGatewayHost(h).host, splitGatewayHost(oh).host)) continue;
                const key = String(port);
                let c = conflicts.get(key);
                if (!c) conflicts.set(key, (c = { port, hosts: new Set(), others: new Set() }));
                c.hosts.add(h);
                c.others.add(gatewayKey(other));
              }
            }
          }
        }
      }
      const selector = Object.entries(gw.spec.selector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      for (const c of conflicts.values()) {
        ctx.report(
          'IST0145',
          { selector, port: c.port, hosts: [...c.hosts].join(','), others: [...c.others].join(',') },
          gw,
          ['spec', 'servers'],
        );
      }
    }
  },
};

/** Gateway hosts with no VirtualService bound to the Gateway (the course's host mismatch, seen from the Gateway). */
export const gatewayHostsServed: Rule = {
  name: 'gateway.hosts-served',
  description: 'Every Gateway host is served by some VirtualService bound to that Gateway.',
  reads: ['Gateway', 'VirtualService'],
  codes: ['ICA1005'],
  run(ctx) {
    const snap = ctx.snapshot;
    const vss = snap.virtualServices;
    for (const gw of snap.gateways as Gateway[]) {
      const key = gatewayKey(gw);
      const bound = vss.filter((vs) => snap.gatewayRefs(vs).includes(key));
      for (const gh of gatewayHosts(gw)) {
        const served = bound.some((vs) =>
          (vs.spec.hosts ?? []).some((h) => serverHostAdmits(gh.entry, gw, vs, h)),
        );
        if (!served) {
          ctx.report('ICA1005', { host: gh.entry, gateway: key }, gw, [
            'spec',
            'servers',
            gh.server,
            'hosts',
            gh.index,
          ]);
        }
      }
    }
  },
};
