import { HostIndex } from '../../../config/host-index.ts';
import { toFqdn } from '../../../config/hosts.ts';
import type { VirtualService } from '../../../config/snapshot.ts';
import { type ExportScope, scopesOverlap } from '../../../config/visibility.ts';
import type { Rule } from '../../rule.ts';

/** VirtualServices named in one IST0109 message; the rest are counted. */
const MAX_NAMED = 10;

/** Is `host` among the hosts from `from` on? */
function listed(hosts: readonly string[], from: number, host: string): boolean {
  for (let i = from; i < hosts.length; i++) if (hosts[i] === host) return true;
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
    // One entry per (VirtualService, host), kept in side arrays and indexed by number:
    // 100,000 hosts make no object each, and the index's lists hold small integers.
    const entryVs: VirtualService[] = [];
    const entryIndex: number[] = [];
    const entryHost: string[] = [];
    const entryScope: ExportScope[] = [];
    // each entry is added once, in order: its position in the index is its number
    const index = new HostIndex<number>();
    for (const vs of snap.virtualServices) {
      if (!snap.gatewayRefs(vs).includes('mesh')) continue;
      const scope = snap.scopeOf(vs);
      const hosts = vs.spec.hosts ?? [];
      const first = entryHost.length;
      // a host listed twice counts once; few hosts are checked against each other, many through a set
      const seen = hosts.length > 64 ? new Set<string>() : undefined;
      for (let i = 0; i < hosts.length; i++) {
        const host = toFqdn(hosts[i] as string, vs.namespace);
        if (seen ? seen.has(host) : listed(entryHost, first, host)) continue;
        seen?.add(host);
        const e = entryHost.length;
        entryVs.push(vs);
        entryIndex.push(i);
        entryHost.push(host);
        entryScope.push(scope);
        index.add(host, e);
      }
    }
    const named = (e: number) =>
      `${(entryVs[e] as VirtualService).namespace}/${(entryVs[e] as VirtualService).name}`;
    // Per host entry, the other VirtualServices it conflicts with, counted through the
    // host index (near-linear); the message names the first few and counts the rest,
    // so 5,000 VirtualServices for one host do not make 5,000 lists of 5,000 names.
    const lastSeen = new Map<VirtualService, number>();
    const everywhere = new Map<number[], boolean>();
    const allEverywhere = (list: number[]) => {
      let v = everywhere.get(list);
      if (v === undefined) everywhere.set(list, (v = list.every((e) => entryScope[e] === '*')));
      return v;
    };
    for (let x = 0; x < entryHost.length; x++) {
      if (index.aloneAt(x)) continue; // alone with its host: the usual case, no conflict
      const xVs = entryVs[x] as VirtualService;
      const xScope = entryScope[x] as ExportScope;
      const lists = index.overlapping(entryHost[x] as string);
      const only = lists.length === 1 ? lists[0] : undefined;
      const names = [named(x)];
      let count = 0;
      if (only && allEverywhere(only)) {
        // the usual case: one list of the same host, each VirtualService once, all
        // exported everywhere: every other entry conflicts, no need to visit them all
        count = only.length - 1;
        for (const y of only) {
          if (names.length >= MAX_NAMED) break;
          if (y !== x) names.push(named(y));
        }
      } else
        for (const list of lists) {
          for (const y of list) {
            const yVs = entryVs[y] as VirtualService;
            if (
              yVs === xVs ||
              lastSeen.get(yVs) === x ||
              !scopesOverlap(xScope, entryScope[y] as ExportScope)
            )
              continue;
            lastSeen.set(yVs, x);
            count++;
            if (names.length < MAX_NAMED) names.push(named(y));
          }
        }
      if (count === 0) continue;
      const more = count + 1 - names.length;
      const others = more > 0 ? `${names.join(',')} and ${more} more` : names.join(',');
      ctx.report('IST0109', { host: entryHost[x] as string, others }, xVs, [
        'spec',
        'hosts',
        entryIndex[x] as number,
      ]);
    }
  },
};
