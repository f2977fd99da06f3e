import { HostIndex } from '../../../config/host-index.ts';
import { toFqdn } from '../../../config/hosts.ts';
import type { VirtualService } from '../../../config/snapshot.ts';
import { type ExportScope, scopesOverlap } from '../../../config/visibility.ts';
import type { Rule } from '../../rule.ts';

/** VirtualServices named in one IST0109 message; the rest are counted. */
const MAX_NAMED = 10;

/** Is `host` among the entries from `from` on? */
function listed(entries: readonly { host: string }[], from: number, host: string): boolean {
  for (let i = from; i < entries.length; i++) if (entries[i]?.host === host) return true;
  return false;
}

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
    type Entry = { vs: VirtualService; index: number; host: string; scope: ExportScope; at: number };
    const entries: Entry[] = [];
    const index = new HostIndex<Entry>();
    for (const vs of snap.virtualServices) {
      if (!snap.gatewayRefs(vs).includes('mesh')) continue;
      const scope = snap.scopeOf(vs);
      const hosts = vs.spec.hosts ?? [];
      const first = entries.length;
      // a host listed twice counts once; few hosts are checked against each other, many through a set
      const seen = hosts.length > 64 ? new Set<string>() : undefined;
      for (let i = 0; i < hosts.length; i++) {
        const host = toFqdn(hosts[i] as string, vs.namespace);
        if (seen ? seen.has(host) : listed(entries, first, host)) continue;
        seen?.add(host);
        const e = { vs, index: i, host, scope, at: 0 };
        entries.push(e);
        e.at = index.add(host, e);
      }
    }
    // Per host entry, the other VirtualServices it conflicts with, counted through the
    // host index (near-linear); the message names the first few and counts the rest,
    // so 5,000 VirtualServices for one host do not make 5,000 lists of 5,000 names.
    const lastSeen = new Map<VirtualService, Entry>();
    const everywhere = new Map<Entry[], boolean>();
    const allEverywhere = (list: Entry[]) => {
      let v = everywhere.get(list);
      if (v === undefined) everywhere.set(list, (v = list.every((e) => e.scope === '*')));
      return v;
    };
    for (const x of entries) {
      if (index.aloneAt(x.at)) continue; // alone with its host: the usual case, no conflict
      const lists = index.overlapping(x.host);
      const only = lists.length === 1 ? lists[0] : undefined;
      const names = [`${x.vs.namespace}/${x.vs.name}`];
      let count = 0;
      if (only && allEverywhere(only)) {
        // the usual case: one list of the same host, each VirtualService once, all
        // exported everywhere: every other entry conflicts, no need to visit them all
        count = only.length - 1;
        for (const y of only) {
          if (names.length >= MAX_NAMED) break;
          if (y !== x) names.push(`${y.vs.namespace}/${y.vs.name}`);
        }
      } else
        for (const list of lists) {
          for (const y of list) {
            if (y.vs === x.vs || lastSeen.get(y.vs) === x || !scopesOverlap(x.scope, y.scope)) continue;
            lastSeen.set(y.vs, x);
            count++;
            if (names.length < MAX_NAMED) names.push(`${y.vs.namespace}/${y.vs.name}`);
          }
        }
      if (count === 0) continue;
      const more = count + 1 - names.length;
      const others = more > 0 ? `${names.join(',')} and ${more} more` : names.join(',');
      ctx.report('IST0109', { host: x.host, others }, x.vs, ['spec', 'hosts', x.index]);
    }
  },
};
