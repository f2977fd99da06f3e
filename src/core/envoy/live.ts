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
  endpoints: ['ENDPOINT', 'STATUS', 'LOCALITY', 'CLUSTER'],
  secret: ['RESOURCE NAME', 'TYPE', 'STATUS', 'VALID CERT', 'SERIAL NUMBER', 'NOT AFTER', 'NOT BEFORE'],
};

/** Rows of an istioctl table as header -> cell, or undefined when the header is not the expected one. */
export function parseTable(text: string, type: LiveType): Record<string, string>[] | undefined {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('NOTE:'));
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
