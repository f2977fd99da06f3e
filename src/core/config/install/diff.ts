// What one install configuration changes against another, field by field (the
// information `istioctl profile diff` shows as a text diff of two dumps).

export interface SpecChange {
  /** dotted path, gateways by name: components.egressGateways[istio-egressgateway].enabled */
  path: string;
  before?: unknown;
  after?: unknown;
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
  return out.sort((p, q) => p.path.localeCompare(q.path));
}

export function formatValue(v: unknown): string {
  if (v === undefined) return '(unset)';
  return typeof v === 'string' ? (v === '' ? '""' : v) : JSON.stringify(v);
}
