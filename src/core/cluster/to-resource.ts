// Objects read from the API server, as the Resources the rules see. A resource
// from a cluster has no file position: its origin names the context instead.
import type { Kind, Resource } from '../config/resource.ts';

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * Metadata worth keeping (managedFields and the like are dropped). creationTimestamp
 * stays: of several PeerAuthentications at one level, the oldest wins.
 */
function trimMetadata(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keep = [
    'name',
    'namespace',
    'labels',
    'annotations',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
  ];
  for (const k of keep) {
    if (meta[k] !== undefined) out[k] = meta[k];
  }
  return out;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function withoutLastApplied(metadata: Record<string, unknown>): void {
  const annotations = asRecord(metadata.annotations);
  if (!annotations || !(LAST_APPLIED in annotations)) return;
  const { [LAST_APPLIED]: _dropped, ...rest } = annotations;
  metadata.annotations = rest;
}

/**
 * One list item as a Resource. `apiVersion` and `kind` come from the list (items of
 * built-in lists do not carry them). Secrets keep metadata only, whatever was sent,
 * unless `keepData` (a credential Secret read by name, already redacted: credential-secrets.ts).
 */
export function toResource(
  item: unknown,
  apiVersion: string,
  kind: Kind,
  context: string,
  options: { keepData?: boolean } = {},
): Resource | undefined {
  const obj = asRecord(item);
  const meta = asRecord(obj?.metadata);
  if (!obj || !meta || typeof meta.name !== 'string' || !meta.name) return undefined;
  const metadata = trimMetadata(meta);
  // kubectl apply keeps the whole object it applied there: for a Secret, its data (keys)
  if (kind === 'Secret') withoutLastApplied(metadata);
  const raw: Record<string, unknown> = { apiVersion, kind, metadata };
  if (kind !== 'Secret') {
    // webhooks: a MutatingWebhookConfiguration's selectors (it has no spec)
    for (const k of ['spec', 'status', 'data', 'webhooks']) if (obj[k] !== undefined) raw[k] = obj[k];
  } else if (options.keepData) {
    for (const k of ['type', 'data']) if (obj[k] !== undefined) raw[k] = obj[k];
  }
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(meta.labels) ?? {})) {
    if (v !== null && v !== undefined) labels[k] = String(v);
  }
  return {
    apiVersion,
    kind,
    name: meta.name,
    namespace: kind === 'Namespace' ? '' : typeof meta.namespace === 'string' ? meta.namespace : '',
    labels,
    spec: asRecord(raw.spec) ?? {},
    raw,
    origin: { cluster: context },
    locate: () => ({}),
  };
}
