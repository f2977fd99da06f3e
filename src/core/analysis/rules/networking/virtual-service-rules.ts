import { toFqdn } from '../../../config/hosts.ts';
import type { HttpMatch } from '../../../config/schemas/index.ts';
import type { VirtualService } from '../../../config/snapshot.ts';
import type { Rule } from '../../rule.ts';

/** Two mesh-bound VirtualServices for the same host (istioctl's conflictingmeshgatewayhosts). */
export const conflictingMeshHosts: Rule = {
  name: 'virtualservice.conflicting-mesh-hosts',
  description: 'No two VirtualServices bound to the mesh define the same host.',
  reads: ['VirtualService'],
  codes: ['IST0109'],
  run(ctx) {
    const byHost = new Map<string, { vs: VirtualService; index: number }[]>();
    for (const vs of ctx.snapshot.virtualServices) {
      if (!ctx.snapshot.gatewayRefs(vs).includes('mesh')) continue;
      (vs.spec.hosts ?? []).forEach((h, index) => {
        const fq = toFqdn(h, vs.namespace);
        let list = byHost.get(fq);
        if (!list) byHost.set(fq, (list = []));
        if (!list.some((x) => x.vs === vs)) list.push({ vs, index });
      });
    }
    for (const [host, list] of byHost) {
      if (list.length < 2) continue;
      const names = list.map((x) => `${x.vs.namespace}/${x.vs.name}`).join(',');
      for (const { vs, index } of list)
        ctx.report('IST0109', { host, others: names }, vs, ['spec', 'hosts', index]);
    }
  },
};

/** Canonical text of a match without its name (names do not change what matches). */
function matchKey(m: HttpMatch): string {
  const { name: _name, ...rest } = m;
  return stableStringify(rest);
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const keys = Object.keys(v as Record<string, unknown>)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** Rules that never match because an earlier rule takes their traffic (istioctl's conflictingmatch analysis). */
export const unreachableRules: Rule = {
  name: 'virtualservice.unreachable-rules',
  description:
    'HTTP rules after a catch-all rule, or whose matches all repeat earlier matches, are unreachable (IST0130); single repeated matches are ineffective (IST0131).',
  reads: ['VirtualService'],
  codes: ['IST0130', 'IST0131'],
  run(ctx) {
    for (const vs of ctx.snapshot.virtualServices) {
      const rules = vs.spec.http ?? [];
      const seen = new Set<string>();
      let catchAll: number | undefined;
      rules.forEach((rule, i) => {
        const label = rule?.name ? `"${rule.name}"` : `http[${i}]`;
        if (catchAll !== undefined) {
          ctx.report(
            'IST0130',
            { rule: label, reason: `http[${catchAll}] has no match and takes every request` },
            vs,
            ['spec', 'http', i],
          );
          return;
        }
        const matches = rule?.match ?? [];
        if (matches.length === 0) {
          catchAll = i;
          return;
        }
        const keys = matches.map(matchKey);
        // an empty match entry ({}) matches everything
        if (keys.includes('{}')) catchAll = i;
        const repeated = keys.map((k) => seen.has(k));
        if (repeated.every(Boolean)) {
          ctx.report('IST0130', { rule: label, reason: 'all its matches repeat earlier rules' }, vs, [
            'spec',
            'http',
            i,
          ]);
        } else {
          repeated.forEach((r, j) => {
            if (r)
              ctx.report('IST0131', { rule: label, match: `match[${j}]` }, vs, [
                'spec',
                'http',
                i,
                'match',
                j,
              ]);
          });
        }
        for (const k of keys) seen.add(k);
      });
    }
  },
};
