import { hostCovers, hostsOverlap, isWildcard, toFqdn } from '../../../config/hosts.ts';
import type { VirtualService } from '../../../config/snapshot.ts';
import { type ExportScope, scopesOverlap } from '../../../config/visibility.ts';
import type { Rule } from '../../rule.ts';

/**
 * Two mesh-bound VirtualServices for overlapping hosts that some namespace sees
 * both of (istioctl's conflictingmeshgatewayhosts, with exportTo).
 */
export const conflictingMeshHosts: Rule = {
  name: 'virtualservice.conflicting-mesh-hosts',
  description:
    'No two VirtualServices bound to the mesh define overlapping hosts for a namespace that sees both (exportTo).',
  reads: ['VirtualService'],
  codes: ['IST0109'],
  run(ctx) {
    const snap = ctx.snapshot;
    type Entry = { vs: VirtualService; index: number; host: string; scope: ExportScope };
    const exact = new Map<string, Entry[]>();
    const wild: Entry[] = [];
    for (const vs of snap.virtualServices) {
      if (!snap.gatewayRefs(vs).includes('mesh')) continue;
      const scope = snap.scopeOf(vs);
      const seen = new Set<string>();
      (vs.spec.hosts ?? []).forEach((h, index) => {
        const host = toFqdn(h, vs.namespace);
        if (seen.has(host)) return;
        seen.add(host);
        const e = { vs, index, host, scope };
        if (isWildcard(host)) wild.push(e);
        else {
          let list = exact.get(host);
          if (!list) exact.set(host, (list = []));
          list.push(e);
        }
      });
    }
    // per VirtualService host entry: the host it conflicts on and the VirtualServices involved
    const conflicts = new Map<Entry, { host: string; with: Set<VirtualService> }>();
    const note = (a: Entry, b: Entry) => {
      if (a.vs === b.vs || !scopesOverlap(a.scope, b.scope)) return;
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        let c = conflicts.get(x);
        if (!c) conflicts.set(x, (c = { host: x.host, with: new Set([x.vs]) }));
        c.with.add(y.vs);
      }
    };
    for (const list of exact.values())
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) note(list[i]!, list[j]!);
    // wildcard hosts are few: compare each with every host
    for (let i = 0; i < wild.length; i++) {
      const w = wild[i]!;
      for (let j = i + 1; j < wild.length; j++) if (hostsOverlap(w.host, wild[j]!.host)) note(w, wild[j]!);
      for (const list of exact.values()) for (const e of list) if (hostCovers(w.host, e.host)) note(w, e);
    }
    for (const [{ vs, index }, c] of conflicts) {
      const others = [...c.with].map((x) => `${x.namespace}/${x.name}`).join(',');
      ctx.report('IST0109', { host: c.host, others }, vs, ['spec', 'hosts', index]);
    }
  },
};
