// Which pods each Sidecar configures, as istioctl's sidecar.SelectorAnalyzer judges
// it: a workloadSelector matching no pod of its namespace (IST0101), pods selected by
// several Sidecars (IST0110), several selector-less Sidecars in a namespace (IST0111),
// and Sidecars for ambient pods or namespaces, which nothing reads (IST0167).
import type { Resource } from '../../../config/resource.ts';
import { hasWorkloadSelector } from '../../../config/sidecar-scope.ts';
import { labelsMatch, type Sidecar, type Workload } from '../../../config/snapshot.ts';
import { namespaceAmbient, workloadAmbient } from '../../../config/workload-facts.ts';
import type { Rule } from '../../rule.ts';

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** A Pod's annotations, or a Deployment's pod template's. */
function podAnnotations(w: Workload): Record<string, unknown> {
  const raw = w.resource.raw;
  const meta = w.resource.kind === 'Pod' ? raw.metadata : asRecord(asRecord(raw.spec).template).metadata;
  return asRecord(asRecord(meta).annotations);
}

const selectorText = (labels: Record<string, string>) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');

const names = (list: Sidecar[]) => list.map((s) => s.name).join(', ');

export const sidecarSelectors: Rule = {
  name: 'sidecar.selectors',
  description:
    "A Sidecar's workloadSelector matches pods of its namespace (IST0101), no pod is selected by two Sidecars (IST0110), a namespace has one Sidecar without selector (IST0111), and no Sidecar applies to ambient pods or namespaces (IST0167).",
  reads: ['Sidecar', 'Pod', 'Deployment', 'Namespace'],
  codes: ['IST0101', 'IST0110', 'IST0111', 'IST0167'],
  run(ctx) {
    const snap = ctx.snapshot;
    const sidecars = snap.sidecars;
    if (sidecars.length === 0) return;
    const namespaces = new Map<string, Resource>(snap.list('Namespace').map((n) => [n.name, n]));
    // Without any known workloads (--no-bookinfo and no pods in the input) selectors cannot be judged.
    const anyWorkloads = snap.list('Pod').length > 0 || snap.list('Deployment').length > 0;
    const byWorkload = new Map<Workload, Sidecar[]>();
    const byNamespace = new Map<string, Sidecar[]>();
    for (const sc of sidecars) {
      if (!hasWorkloadSelector(sc)) {
        const list = byNamespace.get(sc.namespace) ?? [];
        byNamespace.set(sc.namespace, [...list, sc]);
        continue;
      }
      const labels = sc.spec.workloadSelector?.labels ?? {};
      const pods = snap.workloads(sc.namespace).filter((w) => labelsMatch(labels, w.labels));
      if (pods.length === 0 && anyWorkloads) {
        ctx.report('IST0101', { ref: 'sidecar selector', name: selectorText(labels) }, sc, [
          'spec',
          'workloadSelector',
        ]);
      }
      for (const w of pods) byWorkload.set(w, [...(byWorkload.get(w) ?? []), sc]);
    }
    const reported = new Set<Sidecar>();
    for (const [w, list] of byWorkload) {
      const ambient = workloadAmbient(w.labels, podAnnotations(w), namespaces.get(w.namespace), w.sidecar);
      if (ambient) {
        for (const sc of list) {
          if (reported.has(sc)) continue;
          reported.add(sc);
          ctx.report(
            'IST0167',
            { reason: 'selected workload is in ambient mode, the policy has no impact' },
            sc,
            ['spec', 'workloadSelector'],
          );
        }
      } else if (list.length > 1) {
        for (const sc of list)
          ctx.report('IST0110', { sidecars: names(list), namespace: w.namespace, pod: w.name }, sc, [
            'metadata',
            'name',
          ]);
      }
    }
    for (const [ns, list] of byNamespace) {
      if (namespaceAmbient(namespaces.get(ns))) {
        for (const sc of list) {
          if (reported.has(sc)) continue;
          reported.add(sc);
          ctx.report('IST0167', { reason: 'namespace is in ambient mode, the policy has no impact' }, sc, [
            'metadata',
            'namespace',
          ]);
        }
      } else if (list.length > 1) {
        for (const sc of list)
          ctx.report('IST0111', { sidecars: names(list), namespace: ns }, sc, ['metadata']);
      }
    }
  },
};
