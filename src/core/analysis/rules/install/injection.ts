// Sidecar injection and revisions, as the injector webhooks decide them:
// namespaces without an injection label (IST0102), the inject annotation (IST0135), pods created before their
// namespace's label (IST0103), istio-injection beside istio.io/rev (IST0123),
// a tag pointing at a revision that is not installed (ICA1101) and pods whose
// proxy came from another revision than their namespace now selects (ICA1102).
import { installedRevisions, resolveRevision, revisionTags } from '../../../config/install/tags.ts';
import type { Resource } from '../../../config/resource.ts';
import { namespaceInjection, namespaceRevision, workloadFacts } from '../../../config/workload-facts.ts';
import type { Rule } from '../../rule.ts';

/** Namespaces istioctl's injection analyzer leaves alone. */
const SYSTEM_NAMESPACES = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'local-path-storage',
  'istio-system',
]);

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** A pod that already ran: read from a cluster, or dumped from one (it has a creationTimestamp). */
const observed = (r: Resource) =>
  r.origin.cluster !== undefined || asRecord(r.raw.metadata).creationTimestamp !== undefined;

export const injection: Rule = {
  name: 'install.injection',
  description:
    'Namespaces without injection labels or with two kinds, pods missing the proxy their namespace would inject, revision tags and proxies of another revision.',
  reads: ['Namespace', 'Pod', 'Deployment', 'MutatingWebhookConfiguration'],
  codes: ['IST0102', 'IST0103', 'IST0123', 'IST0135', 'ICA1101', 'ICA1102'],
  run(ctx) {
    const s = ctx.snapshot;
    const webhooks = s.list('MutatingWebhookConfiguration');
    const tags = revisionTags(webhooks);
    const installed = installedRevisions(webhooks);
    if (installed.size > 0) {
      for (const t of tags) {
        if (!installed.has(t.revision))
          ctx.report(
            'ICA1101',
            { tag: t.tag, revision: t.revision, installed: [...installed].sort().join(', ') },
            t.webhook,
            ['metadata', 'labels', 'istio.io/rev'],
          );
      }
    }
    for (const ns of s.list('Namespace')) {
      if (ns.origin.builtin) continue;
      const l = ns.labels;
      if (l['istio-injection'] !== undefined && l['istio.io/rev'] !== undefined) {
        const wins =
          l['istio-injection'] === 'enabled'
            ? `istio-injection=enabled wins: pods get the default revision, not "${l['istio.io/rev']}"`
            : `istio-injection=${l['istio-injection']} wins: pods get no sidecar, whatever istio.io/rev says`;
        ctx.report('IST0123', { labels: `istio-injection istio.io/rev`, wins }, ns, ['metadata', 'labels']);
      } else if (
        l['istio-injection'] === undefined &&
        l['istio.io/rev'] === undefined &&
        l['istio.io/dataplane-mode'] !== 'ambient' &&
        !SYSTEM_NAMESPACES.has(ns.name)
      ) {
        ctx.report('IST0102', { namespace: ns.name }, ns, ['metadata']);
      }
    }
    for (const r of [...s.list('Pod'), ...s.list('Deployment')]) {
      if (r.origin.builtin) continue;
      const meta = r.kind === 'Pod' ? r.raw.metadata : asRecord(asRecord(r.raw.spec).template).metadata;
      const annotations = asRecord(asRecord(meta).annotations);
      if (annotations['sidecar.istio.io/inject'] !== undefined) {
        const path =
          r.kind === 'Pod' ? ['metadata', 'annotations'] : ['spec', 'template', 'metadata', 'annotations'];
        ctx.report('IST0135', { annotation: 'sidecar.istio.io/inject', extra: '' }, r, [
          ...path,
          'sidecar.istio.io/inject',
        ]);
      }
    }
    const namespaces = new Map(s.list('Namespace').map((n) => [n.name, n]));
    for (const pod of s.list('Pod')) {
      if (!observed(pod)) continue;
      const ns = namespaces.get(pod.namespace);
      if (!ns) continue;
      const w = s.workloads(pod.namespace).find((x) => x.resource === pod);
      if (!w) continue;
      const annotations = asRecord(asRecord(pod.raw.metadata).annotations);
      const selected = namespaceRevision(ns);
      const would = workloadFacts(
        { containers: [] },
        pod.labels,
        annotations,
        namespaceInjection(ns),
        false,
        selected,
      );
      if (!w.sidecar && would.sidecar) {
        ctx.report('IST0103', { pod: `${pod.namespace}/${pod.name}` }, pod, ['spec', 'containers']);
      } else if (w.sidecar && w.revision && selected) {
        const running = resolveRevision(w.revision, tags);
        const now = resolveRevision(selected, tags);
        if (running !== now)
          ctx.report(
            'ICA1102',
            {
              pod: `${pod.namespace}/${pod.name}`,
              running,
              selected: now === selected ? now : `${selected} -> ${now}`,
            },
            pod,
            ['metadata', 'annotations'],
          );
      }
    }
  },
};
