// exportTo: which namespaces see a VirtualService, DestinationRule, ServiceEntry or
// Service (Istio's `exportTo` field and the `networking.istio.io/exportTo` Service
// annotation). One place, used by the analyzer's rules and by the simulator.
//
// Values: absent or empty = every namespace; "*" = every namespace; "." = the
// resource's own namespace; "~" = no namespace; anything else a namespace name.
// The mesh-wide defaults (meshConfig defaultServiceExportTo & co.) are not read:
// the trainer assumes Istio's default, "*".

/** Every namespace, or the set of namespaces that see the resource. */
export type ExportScope = '*' | ReadonlySet<string>;

export const EXPORT_ANNOTATION = 'networking.istio.io/exportTo';

export function exportScope(exportTo: readonly unknown[] | undefined, ownNamespace: string): ExportScope {
  if (!exportTo || exportTo.length === 0) return '*';
  const out = new Set<string>();
  for (const e of exportTo) {
    if (typeof e !== 'string') continue;
    const v = e.trim();
    if (v === '*') return '*';
    if (v === '~' || v === '') continue;
    out.add(v === '.' ? ownNamespace : v);
  }
  return out;
}

/** A Service's scope from its annotation (a comma-separated list). */
export function annotationScope(annotation: unknown, ownNamespace: string): ExportScope {
  if (typeof annotation !== 'string' || annotation.trim() === '') return '*';
  return exportScope(annotation.split(','), ownNamespace);
}

/** Is a resource with this scope visible to proxies in `namespace`? */
export function visibleIn(scope: ExportScope, namespace: string): boolean {
  return scope === '*' || scope.has(namespace);
}

/** Is there a namespace that sees both? */
export function scopesOverlap(a: ExportScope, b: ExportScope): boolean {
  if (a === '*' || b === '*') return true;
  for (const ns of a) if (b.has(ns)) return true;
  return false;
}

/**
 * Does a VirtualService exported to `consumers` see a destination exported to
 * `target`? As istioctl decides it (analyzers/util GetDestinationHost): a target
 * exported everywhere always; otherwise some namespace the VirtualService is
 * exported to must see it (a VirtualService exported everywhere needs a target
 * exported everywhere).
 */
export function destinationVisible(target: ExportScope, consumers: ExportScope): boolean {
  if (target === '*') return true;
  if (consumers === '*') return false;
  for (const ns of consumers) if (target.has(ns)) return true;
  return false;
}

export function formatScope(scope: ExportScope): string {
  return scope === '*' ? '*' : [...scope].sort().join(',') || '(none)';
}
