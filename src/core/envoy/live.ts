// `proxy-config --live`: the trainer's prediction beside what istioctl reads
// from the cluster. Both are istioctl-shaped tables, so the comparison parses
// them by the header's column starts (tabwriter aligns every cell there) and
// compares the columns that mean the same thing on both sides (not addresses,
// which the offline model invents). Only rows about what the model knows are
// compared: a cluster runs many services (kube-dns, istiod ...) it does not.

export type LiveType = 'routes' | 'clusters' | 'listeners' | 'endpoints' | 'secret';

const HEADERS: Record<LiveType, string[]> = {
  routes: ['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE'],
  clusters: ['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE'],
  listeners: ['ADDRESSES', 'PORT', 'MATCH', 'DESTINATION'],
  endpoints: ['NAME', 'STATUS', 'LOCALITY', 'CLUSTER'],
  secret: ['RESOURCE NAME', 'TYPE', 'STATUS', 'VALID CERT', 'SERIAL NUMBER', 'NOT AFTER', 'NOT BEFORE'],
};

/** Rows of an istioctl table as header -> cell, or undefined when the header is not the expected one. */
export function parseTable(text: string, type: LiveType): Record<string, string>[] | undefined {
  // istioctl before the dual-stack tables headed the endpoint address column ENDPOINT
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('NOTE:'))
    .map((l) => (type === 'endpoints' && l.startsWith('ENDPOINT ') ? l.replace('ENDPOINT', 'NAME    ') : l));
  const header = lines.findIndex((l) => l.startsWith(HEADERS[type][0]!));
  if (header < 0) return undefined;
  const head = lines[header]!;
  const starts: number[] = [];
  let from = 0;
  for (const h of HEADERS[type]) {
    const i = head.indexOf(h, from);
    if (i < 0) return undefined;
    starts.push(i);
    from = i + h.length;
  }
  return lines.slice(header + 1).map((l) => {
    const row: Record<string, string> = {};
    HEADERS[type].forEach((h, i) => {
      row[h] = l.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim();
    });
    return row;
  });
}

/** What identifies a row across the model and the cluster, and what it is about (the scope). */
function keyOf(type: LiveType, r: Record<string, string>): { key: string; scope: string } {
  switch (type) {
    case 'routes':
      return {
        key: [r.NAME, r['VHOST NAME'], r.MATCH, r['VIRTUAL SERVICE']].join('  '),
        scope: r['VHOST NAME']!,
      };
    case 'clusters':
      return {
        key: [r['SERVICE FQDN'], r.PORT, r.SUBSET, r.DIRECTION, r['DESTINATION RULE']].join('  '),
        scope: r['SERVICE FQDN'] || r.PORT!,
      };
    case 'listeners': {
      const addr = r.ADDRESSES === '0.0.0.0' ? '0.0.0.0' : '<service IP>';
      return { key: [addr, r.PORT, r.MATCH, r.DESTINATION].join('  '), scope: r.PORT! };
    }
    case 'endpoints':
      return { key: r.CLUSTER!, scope: r.CLUSTER! };
    case 'secret':
      return { key: [r['RESOURCE NAME'], r.TYPE, r.STATUS].join('  '), scope: r['RESOURCE NAME']! };
  }
}

export interface LiveComparison {
  /** rows the trainer predicts that the cluster does not have */
  onlyPredicted: string[];
  /** rows of the cluster (about what the model knows) that the trainer did not predict */
  onlyCluster: string[];
  /** cluster rows about things the model does not have, not compared */
  outOfScope: number;
  agree: boolean;
}

/** Compares two tables of one type (endpoints: by how many each cluster has). */
export function compareTables(
  type: LiveType,
  predicted: string,
  cluster: string,
): LiveComparison | undefined {
  const p = parseTable(predicted, type);
  const c = parseTable(cluster, type);
  if (!p || !c) return undefined;
  const count = (rows: Record<string, string>[]) => {
    const m = new Map<string, number>();
    const scopes = new Set<string>();
    for (const r of rows) {
      if (type === 'routes' && r['VHOST NAME'] === 'backend') continue;
      const { key, scope } = keyOf(type, r);
      m.set(key, (m.get(key) ?? 0) + 1);
      scopes.add(scope);
    }
    return { m, scopes };
  };
  const P = count(p);
  const C = count(c);
  let outOfScope = 0;
  const onlyPredicted: string[] = [];
  const onlyCluster: string[] = [];
  const label = (k: string, n: number) =>
    type === 'endpoints' ? `${k} (${n} endpoint${n === 1 ? '' : 's'})` : k;
  for (const r of c) {
    if (type === 'routes' && r['VHOST NAME'] === 'backend') continue;
    if (!P.scopes.has(keyOf(type, r).scope)) outOfScope++;
  }
  for (const [k, n] of P.m) {
    const have = C.m.get(k) ?? 0;
    if (have === n) continue;
    if (type === 'endpoints') onlyPredicted.push(`${label(k, n)}; the cluster has ${have}`);
    else onlyPredicted.push(have > 0 ? `${k}  (${n} rows predicted, ${have} on the cluster)` : k);
  }
  for (const [k, n] of C.m) {
    const scope = [...c].map((r) => keyOf(type, r)).find((x) => x.key === k)?.scope ?? '';
    if (!P.scopes.has(scope)) continue;
    if (!P.m.has(k)) onlyCluster.push(label(k, n));
  }
  return {
    onlyPredicted,
    onlyCluster,
    outOfScope,
    agree: onlyPredicted.length === 0 && onlyCluster.length === 0,
  };
}

/** istioctl's arguments for the same question. */
export function istioctlArgs(
  type: LiveType,
  workload: string,
  o: { namespace?: string; context?: string; kubeconfig?: string; filters: [string, string][] },
): string[] {
  const args = ['proxy-config', type, workload];
  if (o.namespace) args.push('-n', o.namespace);
  for (const [flag, value] of o.filters) args.push(flag, value);
  if (o.context) args.push('--context', o.context);
  if (o.kubeconfig) args.push('--kubeconfig', o.kubeconfig);
  return args;
}

export interface StatusComparison {
  /** `reviews-v2 (default): CDS predicted SYNCED, the cluster says STALE` */
  differences: string[];
  /** proxies the cluster has that the model does not (not compared) */
  outOfScope: number;
  agree: boolean;
}

const STATUS_COLUMNS = ['NAME', 'CLUSTER', 'CDS', 'LDS', 'EDS', 'RDS', 'ECDS', 'ISTIOD', 'VERSION'];

function parseStatus(text: string): Record<string, string>[] | undefined {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const head = lines[0];
  if (!head?.startsWith('NAME')) return undefined;
  const starts: number[] = [];
  let from = 0;
  for (const h of STATUS_COLUMNS) {
    const i = head.indexOf(h, from);
    if (i < 0) return undefined;
    starts.push(i);
    from = i + h.length;
  }
  return lines.slice(1).map((l) => {
    const row: Record<string, string> = {};
    STATUS_COLUMNS.forEach((h, i) => {
      // newer istioctl adds the age: "SYNCED (2m3s)"
      row[h] = l
        .slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined)
        .trim()
        .replace(/\s*\(.*\)$/, '');
    });
    return row;
  });
}

/**
 * Compares proxy-status tables by workload (`name-<hash>-<id>.ns` on a cluster, the
 * model's `name-0.ns`): each xDS type's state, and proxies missing on either side.
 */
export function compareStatus(
  predicted: string,
  cluster: string,
  workloads: { name: string; namespace: string }[],
): StatusComparison | undefined {
  const p = parseStatus(predicted);
  const c = parseStatus(cluster);
  if (!p || !c) return undefined;
  const workloadOf = (row: Record<string, string>): string | undefined => {
    const full = row.NAME ?? '';
    const dot = full.lastIndexOf('.');
    const pod = full.slice(0, dot);
    const ns = full.slice(dot + 1);
    const w = workloads
      .filter((x) => x.namespace === ns && (pod === x.name || pod.startsWith(`${x.name}-`)))
      .sort((a, b) => b.name.length - a.name.length)[0];
    return w ? `${w.name} (${w.namespace})` : undefined;
  };
  const byWorkload = (rows: Record<string, string>[]) => {
    const m = new Map<string, Record<string, string>>();
    for (const r of rows) {
      const w = workloadOf(r);
      if (w && !m.has(w)) m.set(w, r);
    }
    return m;
  };
  const P = byWorkload(p);
  const C = byWorkload(c);
  const differences: string[] = [];
  for (const [w, pr] of P) {
    const cr = C.get(w);
    if (!cr) {
      differences.push(`${w}: predicted, but the cluster lists no proxy for it`);
      continue;
    }
    for (const t of ['CDS', 'LDS', 'EDS', 'RDS']) {
      if (pr[t] !== cr[t]) differences.push(`${w}: ${t} predicted ${pr[t]}, the cluster says ${cr[t]}`);
    }
  }
  const outOfScope = c.filter((r) => workloadOf(r) === undefined).length;
  return { differences, outOfScope, agree: differences.length === 0 };
}
