// Which revisions an injector serves, as far as the inputs show the control plane:
// istiod's own webhooks (istio-sidecar-injector[-<rev>]), revision tags and istiod
// Deployments or Pods in istio-system. A pod whose labels ask for a revision none of
// them serves gets no sidecar: no webhook selects it (istio-injection=enabled with only
// a revisioned istiod and no `default` tag), or a tag's webhook calls an istiod that is
// gone (refused or started bare, by the webhook's failurePolicy). Inputs without any
// of these (the traffic labs) hold no control plane: every revision is taken as served,
// as the default istiod the labs run on would.
import { installedRevisions, type RevisionTag, resolveRevision, revisionTags } from './install/tags.ts';
import type { Kind, Resource } from './resource.ts';
import type { Workload } from './snapshot-types.ts';
import { ambientByLabels } from './workload-facts.ts';

export const MESH_NAMESPACE = 'istio-system';

export interface Injectors {
  /** revisions with a control plane among the inputs */
  served: Set<string>;
  tags: RevisionTag[];
}

/** Revisions with a control plane among the inputs: injector webhooks, istiod Deployments and Pods. */
export function controlPlanes(held: (kind: Kind) => readonly Resource[]): Set<string> {
  const out = installedRevisions(held('MutatingWebhookConfiguration'));
  for (const kind of ['Deployment', 'Pod'] as const)
    for (const r of held(kind))
      if (r.labels.app === 'istiod' && r.namespace === MESH_NAMESPACE)
        out.add(r.labels['istio.io/rev'] ?? 'default');
  return out;
}

/** The injectors among the inputs, or undefined when they hold no control plane (every revision served). */
export function injectorsIn(held: (kind: Kind) => readonly Resource[]): Injectors | undefined {
  const tags = revisionTags(held('MutatingWebhookConfiguration'));
  const served = controlPlanes(held);
  return served.size > 0 || tags.length > 0 ? { served, tags } : undefined;
}

/**
 * Why a pod asking for revision `asked` (a label value: a revision, a tag or `default`)
 * gets no sidecar from these injectors, or undefined when one serves it.
 */
export function unservedRevision(asked: string, injectors: Injectors | undefined): string | undefined {
  if (!injectors) return undefined;
  const revision = resolveRevision(asked, injectors.tags);
  if (injectors.served.has(revision)) return undefined;
  if (revision !== asked)
    return `tag ${asked} points at revision ${revision}, which is not installed: its new pods are refused or start without a sidecar (the webhook's failurePolicy decides)`;
  return asked === 'default'
    ? 'it asks for the default revision, which no injector serves here (no istio-sidecar-injector webhook or default tag)'
    : `it asks for the revision ${asked}, which no injector serves here (no istio-sidecar-injector-${asked} webhook or ${asked} tag)`;
}

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** A Pod's metadata and spec, or a Deployment's pod template's. */
function podOf(r: Resource): { metadata: Record<string, unknown>; spec: Record<string, unknown> } {
  const pod = r.kind === 'Pod' ? r.raw : asRecord(asRecord(r.raw.spec).template);
  return { metadata: asRecord(pod.metadata), spec: asRecord(pod.spec) };
}

/**
 * The workload as these injectors leave it: one whose sidecar would come from injection
 * of a revision none of them serves has none (`noInjector` says why). A pod that
 * already has its istio-proxy container keeps it, and so does a pod of a namespace the
 * inputs do not hold (`nsHeld` false: assumed injected, as the lab namespaces are) unless
 * it names its revision itself. `nsAmbient`: the namespace is in ambient mode (namespaceAmbient).
 */
export function withInjectors(
  w: Workload,
  injectors: Injectors | undefined,
  nsHeld: boolean,
  nsAmbient = false,
): Workload {
  if (!injectors || !w.sidecar || w.revision === undefined) return w;
  if (!nsHeld && w.labels['istio.io/rev'] === undefined) return w;
  const { metadata, spec } = podOf(w.resource);
  const containers = [
    ...(Array.isArray(spec.containers) ? spec.containers : []),
    ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
  ];
  if (containers.some((c) => asRecord(c).name === 'istio-proxy')) return w;
  const why = unservedRevision(w.revision, injectors);
  if (!why) return w;
  const ambient = ambientByLabels(w.labels, asRecord(metadata.annotations), nsAmbient);
  const { revision: _gone, ...rest } = w;
  return { ...rest, sidecar: false, dataplane: ambient ? 'ambient' : 'none', noInjector: why };
}
