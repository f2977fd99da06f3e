// Which mesh ConfigMap governs the mesh when control planes run side by side.
// istiod of revision X reads the ConfigMap `istio-X` in istio-system; the revision
// without a name (`default`) reads `istio` (pilot/pkg/bootstrap getMeshConfigMapName,
// and the istiod chart's configmap.yaml names it so, label istio.io/rev). The
// snapshot holds one mesh config (each sidecar's outbound policy and access logging are
// its own revision's: proxy-mesh.ts), so when several revisions' ConfigMaps exist one is
// taken for the rest and the choice is said (see `why`):
//   1. the revision every sidecar in the inputs runs (tags resolved), when they agree;
//   2. else the revision `istio-injection=enabled` and the `default` tag inject with
//      (the default tag's revision, else the default revision);
//   3. else the revision most sidecars run, else by name.
// An `istio-X` ConfigMap counts only when revision X has a control plane among the
// inputs (its injector webhook, or an istiod Deployment or Pod labelled istio.io/rev=X):
// under any other name nothing reads a mesh config (`istio-mesh` is a lab's wrong answer).
import { controlPlanes, MESH_NAMESPACE } from './injectors.ts';
import { resolveRevision, revisionTags } from './install/tags.ts';
import type { Kind, Resource } from './resource.ts';
import { workloadsByNamespace } from './workload-index.ts';

export { MESH_NAMESPACE } from './injectors.ts';

const MESH_NAME = 'istio';

/** The ConfigMap name istiod of `revision` reads its mesh config from. */
export function meshConfigMapName(revision: string): string {
  return revision === '' || revision === 'default' ? MESH_NAME : `${MESH_NAME}-${revision}`;
}

export interface MeshConfigChoice {
  /** the ConfigMap whose data.mesh is taken */
  configMap: Resource;
  /** the revision that reads it (`default` for `istio`) */
  revision: string;
  /** the other revisions' mesh ConfigMaps, not taken */
  others: { configMap: Resource; revision: string }[];
  /** why this one, when there were several (for notes); undefined when it was the only one */
  why?: string;
}

function hasMesh(r: Resource): boolean {
  return typeof (r.raw.data as Record<string, unknown> | undefined)?.mesh === 'string';
}

/** The mesh ConfigMap each revision reads, among the inputs. */
export function meshConfigMaps(
  held: (kind: Kind) => readonly Resource[],
): { configMap: Resource; revision: string }[] {
  const candidates = held('ConfigMap').filter(
    (r) =>
      r.namespace === MESH_NAMESPACE &&
      (r.name === MESH_NAME || r.name.startsWith(`${MESH_NAME}-`)) &&
      hasMesh(r),
  );
  if (!candidates.some((r) => r.name !== MESH_NAME))
    return candidates.map((configMap) => ({ configMap, revision: 'default' }));
  const planes = controlPlanes(held);
  const out: { configMap: Resource; revision: string }[] = [];
  for (const configMap of candidates) {
    if (configMap.name === MESH_NAME) out.push({ configMap, revision: 'default' });
    else {
      const revision = configMap.name.slice(MESH_NAME.length + 1);
      if (planes.has(revision)) out.push({ configMap, revision });
    }
  }
  return out;
}

/** The mesh ConfigMap taken for the snapshot, or undefined when there is none. */
export function chooseMeshConfigMap(held: (kind: Kind) => readonly Resource[]): MeshConfigChoice | undefined {
  const all = meshConfigMaps(held).sort((a, b) => a.configMap.name.localeCompare(b.configMap.name));
  const [first] = all;
  if (!first) return undefined;
  if (all.length === 1) return { ...first, others: [] };
  const tags = revisionTags(held('MutatingWebhookConfiguration'));
  const byRevision = new Map(all.map((c) => [c.revision, c]));
  const counts = new Map<string, number>();
  for (const list of workloadsByNamespace(held).values())
    for (const w of list) {
      if (!w.sidecar || w.revision === undefined) continue;
      const rev = resolveRevision(w.revision, tags);
      if (byRevision.has(rev)) counts.set(rev, (counts.get(rev) ?? 0) + 1);
    }
  const listed = all.map((c) => `${c.configMap.name} (revision ${c.revision})`).join(', ');
  const pick = (revision: string, because: string): MeshConfigChoice => {
    const chosen = byRevision.get(revision) as { configMap: Resource; revision: string };
    return {
      ...chosen,
      others: all.filter((c) => c !== chosen),
      why: `several revisions' mesh configs in ${MESH_NAMESPACE}: ${listed}; each sidecar takes its outbound traffic policy and access logging from its own revision's, the rest (gateways, extension providers, trust domain, the analyzer) from ${chosen.configMap.name}: ${because}`,
    };
  };
  const running = [...counts.keys()];
  if (running.length === 1) {
    const rev = running[0] as string;
    return pick(rev, `every sidecar here runs revision ${rev}`);
  }
  // revisions by how many sidecars run them, most first
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const spread = ranked.map(([rev, n]) => `${n} on ${rev}`).join(', ');
  const sidecars = running.length ? `sidecars run several revisions (${spread}); ` : '';
  const injected = resolveRevision('default', tags);
  if (byRevision.has(injected))
    return pick(
      injected,
      `${sidecars}${injected === 'default' ? 'the default revision' : `revision ${injected}, the default tag's,`} injects istio-injection=enabled namespaces`,
    );
  const most = ranked[0]?.[0];
  if (most) return pick(most, `${sidecars}the most run revision ${most}`);
  return pick(first.revision, 'no sidecar and no default revision or tag tells which; the first by name');
}

/** The same choice over a plain list of resources (a cluster read, before any snapshot). */
export function chooseMeshConfigMapIn(resources: readonly Resource[]): MeshConfigChoice | undefined {
  const byKind = new Map<Kind, Resource[]>();
  for (const r of resources) {
    const list = byKind.get(r.kind);
    if (list) list.push(r);
    else byKind.set(r.kind, [r]);
  }
  return chooseMeshConfigMap((kind) => byKind.get(kind) ?? []);
}
