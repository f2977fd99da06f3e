// Revisions and revision tags as the injector webhooks declare them: istiod's
// own webhook (istio-sidecar-injector[-<rev>], label istio.io/rev) and one
// MutatingWebhookConfiguration per tag (istio-revision-tag-<tag>, labels
// istio.io/tag and istio.io/rev), which `istioctl tag set` writes.
import type { Resource } from '../resource.ts';

export interface RevisionTag {
  tag: string;
  revision: string;
  webhook: Resource;
}

const TAG_PREFIX = 'istio-revision-tag-';

export function revisionTags(webhooks: readonly Resource[]): RevisionTag[] {
  const out: RevisionTag[] = [];
  for (const w of webhooks) {
    if (!w.name.startsWith(TAG_PREFIX)) continue;
    const tag = w.labels['istio.io/tag'] ?? w.name.slice(TAG_PREFIX.length);
    out.push({ tag, revision: w.labels['istio.io/rev'] ?? 'default', webhook: w });
  }
  return out.sort((a, b) => a.tag.localeCompare(b.tag));
}

/** The revisions whose own injector webhook is present (istiod installed). */
export function installedRevisions(webhooks: readonly Resource[]): Set<string> {
  const out = new Set<string>();
  for (const w of webhooks) {
    if (w.name === 'istio-sidecar-injector') out.add(w.labels['istio.io/rev'] ?? 'default');
    else if (w.name.startsWith('istio-sidecar-injector-'))
      out.add(w.labels['istio.io/rev'] ?? w.name.slice(23));
  }
  return out;
}

/** What a revision label value points to: a tag resolves to its revision. */
export function resolveRevision(value: string, tags: readonly RevisionTag[]): string {
  return tags.find((t) => t.tag === value)?.revision ?? value;
}
