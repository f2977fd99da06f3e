// What one install configuration changes against another, field by field (the
// information `istioctl profile diff` shows as a text diff of two dumps).

export interface SpecChange {
  /** dotted path, gateways by name: components.egressGateways[istio-egressgateway].enabled */
  path: string;
  before?: unknown;
  after?: unknown;
  /** what the change means, when its values alone do not say it */
  note?: string;
}

function flatten(v: unknown, prefix: string, out: Map<string, unknown>): void {
  if (Array.isArray(v)) {
    const named =
      v.length > 0 &&
      v.every((x) => x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string');
    if (named && /Gateways$/.test(prefix)) {
      for (const x of v) {
        const { name, ...rest } = x as Record<string, unknown>;
        flatten(rest, `${prefix}[${String(name)}]`, out);
      }
      return;
    }
    out.set(prefix, v);
    return;
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) out.set(prefix, {});
    for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, v);
}

/** Leaf-level changes from `a` to `b`, sorted by path. */
export function diffSpecs(a: unknown, b: unknown): SpecChange[] {
  const fa = new Map<string, unknown>();
  const fb = new Map<string, unknown>();
  flatten(a, '', fa);
  flatten(b, '', fb);
  const out: SpecChange[] = [];
  for (const path of new Set([...fa.keys(), ...fb.keys()])) {
    const x = fa.get(path);
    const y = fb.get(path);
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    out.push({ path, ...(fa.has(path) ? { before: x } : {}), ...(fb.has(path) ? { after: y } : {}) });
  }
  return emptiedGateways(out).sort((p, q) => p.path.localeCompare(q.path));
}

const GATEWAY_WORD: Record<string, string> = { ingressGateways: 'ingress', egressGateways: 'egress' };

/**
 * A gateway list set to `[]` removes every gateway it listed: one change naming them
 * (`components.egressGateways: ["istio-egressgateway"] -> []`, none installed), not a
 * `(unset) -> []` beside one `(unset)` per field of each removed gateway.
 */
function emptiedGateways(changes: SpecChange[]): SpecChange[] {
  const out: SpecChange[] = [];
  for (const c of changes) {
    const key = c.path.split('.').pop() ?? '';
    const emptied = GATEWAY_WORD[key] !== undefined && Array.isArray(c.after) && c.after.length === 0;
    if (!emptied) {
      out.push(c);
      continue;
    }
    const names = new Set<string>();
    for (const x of changes) {
      const m = x.path.startsWith(`${c.path}[`) ? /^\[([^\]]*)\]/.exec(x.path.slice(c.path.length)) : null;
      if (m && x.after === undefined) names.add(m[1] as string);
    }
    out.push({
      path: c.path,
      before: Array.isArray(c.before) ? c.before : [...names],
      after: [],
      note: `no ${GATEWAY_WORD[key]} gateway is installed`,
    });
  }
  // the removed gateways' own fields are said by the list's change
  return out.filter((x) => {
    const list = out.find((c) => c.note && x !== c && x.path.startsWith(`${c.path}[`));
    return !(list && x.after === undefined);
  });
}

export function formatValue(v: unknown): string {
  if (v === undefined) return '(unset)';
  return typeof v === 'string' ? (v === '' ? '""' : v) : JSON.stringify(v);
}
