// The workloads of a snapshot by namespace: Pods as listed, and a Deployment's template
// where none of its Pods is (files hold Deployments; a cluster lists both), with the
// namespace's injection, revision and ambient labels applied, and no sidecar where no
// injector among the inputs serves the revision asked for (injectors.ts). Apart from snapshot.ts,
// which builds this once, on the first workload lookup.
import { injectorsIn, withInjectors } from './injectors.ts';
import type { Kind, Resource } from './resource.ts';
import { asRecord, deploymentWorkload, podWorkload, templateRestartedAt } from './snapshot-objects.ts';
import type { Workload } from './snapshot-types.ts';
import { type Injection, namespaceAmbient, namespaceInjection, namespaceRevision } from './workload-facts.ts';

/** Every label of `selector` is on `labels` (no selector: matches everything). */
export function labelsMatch(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return true;
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

/** Workloads by namespace, from the resources of each kind (`held`). */
export function workloadsByNamespace(held: (kind: Kind) => readonly Resource[]): Map<string, Workload[]> {
  const map = new Map<string, Workload[]>();
  const injectors = injectorsIn(held);
  const add = (found: Workload) => {
    const w = withInjectors(found, injectors, injection.has(found.namespace), ambient.get(found.namespace));
    let l = map.get(w.namespace);
    if (!l) map.set(w.namespace, (l = []));
    l.push(w);
  };
  const injection = new Map<string, Injection | undefined>();
  const revisions = new Map<string, string | undefined>();
  const ambient = new Map<string, boolean>();
  for (const ns of held('Namespace')) {
    injection.set(ns.name, namespaceInjection(ns));
    revisions.set(ns.name, namespaceRevision(ns));
    ambient.set(ns.name, namespaceAmbient(ns));
  }
  for (const r of held('Pod'))
    add(podWorkload(r, injection.get(r.namespace), revisions.get(r.namespace), ambient.get(r.namespace)));
  for (const r of held('Deployment')) {
    const w = deploymentWorkload(
      r,
      injection.get(r.namespace),
      revisions.get(r.namespace),
      ambient.get(r.namespace),
    );
    // On a cluster the Deployment's pods are listed themselves: count them once. Pods
    // created before the template's restartedAt (kubectl rollout restart) were replaced.
    const restartedAt = templateRestartedAt(r);
    let pods = map.get(w.namespace) ?? [];
    if (!Number.isNaN(restartedAt)) {
      const replaced = (p: Workload) =>
        p.resource.kind === 'Pod' &&
        labelsMatch(w.labels, p.labels) &&
        Date.parse(String(asRecord(p.resource.raw.metadata).creationTimestamp ?? '')) < restartedAt;
      pods = pods.filter((p) => !replaced(p));
      map.set(w.namespace, pods);
    }
    if (!pods.some((p) => p.resource.kind === 'Pod' && labelsMatch(w.labels, p.labels))) add(w);
  }
  return map;
}
