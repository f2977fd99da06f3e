import { hostsOverlap, isWildcard, splitGatewayHost } from '../../../config/hosts.ts';
import type { Gateway, VirtualService } from '../../../config/snapshot.ts';
import type { Rule } from '../../rule.ts';
import { gatewayHosts, gatewayKey, serverHostAdmits } from './gateway-binding.ts';

function selectorKey(selector: Record<string, string> = {}): string {
  return Object.keys(selector)
    .sort()
    .map((k) => `${k}=${selector[k]}`)
    .join(',');
}

/** Is every label of `a` also in `b`? */
function selectorWithin(a: Record<string, string>, b: Record<string, string>): boolean {
  for (const k in a) if (b[k] !== a[k]) return false;
  return true;
}

/** Gateways that configure the same listener (istioctl's conflictinggateway analyzer). */
export const conflictingGateways: Rule = {
  name: 'gateway.conflicting',
  description:
    'No two Gateways for the same gateway pods (the same selector, or one selector within the other selecting the same pods) share a port with overlapping hosts.',
  reads: ['Gateway', 'Pod', 'Deployment'],
  codes: ['IST0145'],
  run(ctx) {
    const snap = ctx.snapshot;
    // Do two Gateways program the same proxies? Equal selectors always; a selector
    // within the other's when some pod matches both (then it matches the larger one).
    const pods = new Map<Gateway, Set<unknown>>();
    const podsOf = (gw: Gateway) => {
      let set = pods.get(gw);
      if (!set)
        pods.set(gw, (set = new Set(snap.workloadsMatching(gw.spec.selector ?? {}).map((w) => w.resource))));
      return set;
    };
    const sameProxies = (a: Gateway, b: Gateway): boolean => {
      const sa = a.spec.selector ?? {};
      const sb = b.spec.selector ?? {};
      if (selectorKey(sa) === selectorKey(sb)) return true;
      if (!selectorWithin(sa, sb) && !selectorWithin(sb, sa)) return false;
      const pb = podsOf(b);
      for (const p of podsOf(a)) if (pb.has(p)) return true;
      return false;
    };
    // Bucket server hosts by port: only hosts in one bucket can conflict.
    const buckets = new Map<string, { gw: Gateway; host: string; entry: string }[]>();
    for (const gw of snap.gateways) {
      for (const s of gw.spec.servers ?? []) {
        const port = s?.port?.number;
        if (port === undefined) continue;
        const key = String(port);
        let list = buckets.get(key);
        if (!list) buckets.set(key, (list = []));
        for (const h of s?.hosts ?? []) list.push({ gw, host: splitGatewayHost(h).host, entry: h });
      }
    }
    const conflicts = new Map<Gateway, Map<number, { hosts: Set<string>; others: Set<string> }>>();
    const note = (gw: Gateway, port: number, entry: string, other: Gateway) => {
      let byPort = conflicts.get(gw);
      if (!byPort) conflicts.set(gw, (byPort = new Map()));
      let c = byPort.get(port);
      if (!c) byPort.set(port, (c = { hosts: new Set(), others: new Set() }));
      c.hosts.add(entry);
      c.others.add(gatewayKey(other));
    };
    for (const [key, entries] of buckets) {
      const port = Number(key);
      const exact = new Map<string, typeof entries>();
      const wild: typeof entries = [];
      for (const e of entries) {
        if (isWildcard(e.host)) wild.push(e);
        else {
          let l = exact.get(e.host);
          if (!l) exact.set(e.host, (l = []));
          l.push(e);
        }
      }
      const pairs = (a: (typeof entries)[number], b: (typeof entries)[number]) => {
        if (a.gw === b.gw || !sameProxies(a.gw, b.gw)) return;
        note(a.gw, port, a.entry, b.gw);
        note(b.gw, port, b.entry, a.gw);
      };
      for (const list of exact.values()) {
        for (let i = 0; i < list.length; i++)
          for (let j = i + 1; j < list.length; j++) pairs(list[i]!, list[j]!);
      }
      // wildcard hosts are few: compare them with every entry of the bucket
      for (const w of wild) {
        for (const e of entries)
          if (
            e !== w &&
            (!isWildcard(e.host) || wild.indexOf(e) > wild.indexOf(w)) &&
            hostsOverlap(w.host, e.host)
          )
            pairs(w, e);
      }
    }
    for (const [gw, byPort] of conflicts) {
      const selector = Object.entries(gw.spec.selector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      for (const [port, c] of byPort) {
        ctx.report(
          'IST0145',
          { selector, port, hosts: [...c.hosts].join(','), others: [...c.others].join(',') },
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
    const boundTo = new Map<string, VirtualService[]>();
    for (const vs of snap.virtualServices) {
      for (const ref of new Set(snap.gatewayRefs(vs))) {
        let l = boundTo.get(ref);
        if (!l) boundTo.set(ref, (l = []));
        l.push(vs);
      }
    }
    for (const gw of snap.gateways as Gateway[]) {
      const key = gatewayKey(gw);
      const bound = boundTo.get(key) ?? [];
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
