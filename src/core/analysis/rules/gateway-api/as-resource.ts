// Gateway API objects are not Resources of ours (no Istio schema, not in the
// snapshot's resources): a finding about one names it through this stand-in, located
// where the loader found it (by field path when it was read from a file).
import type { KubernetesGateway } from '../../../config/load.ts';
import type { FieldPath, Kind, Position, Resource } from '../../../config/resource.ts';
import type { WrittenObject } from '../../../config/written-object.ts';

/** A route, ReferenceGrant (or any object as written) as the resource a finding names. */
export function asResource(o: WrittenObject): Resource {
  const at: Position = o.cluster ? {} : { file: o.file, line: o.line };
  return {
    apiVersion: String(o.raw.apiVersion ?? ''),
    kind: String(o.raw.kind) as Kind,
    name: o.name,
    namespace: o.namespace,
    labels: {},
    spec: (o.raw.spec ?? {}) as Record<string, unknown>,
    raw: o.raw,
    origin: o.cluster ? { cluster: o.cluster } : { file: o.file, line: o.line },
    locate: (path: FieldPath) => (o.locate && !o.cluster ? o.locate(path) : at),
  };
}

/** A Gateway API Gateway (not kept as written) as the resource a finding names. */
export function gatewayAsResource(g: KubernetesGateway): Resource {
  return asResource({
    namespace: g.namespace,
    name: g.name,
    raw: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: g.name, namespace: g.namespace },
    },
    ...(g.file ? { file: g.file } : {}),
    ...(g.line ? { line: g.line } : {}),
    ...(g.cluster ? { cluster: g.cluster } : {}),
  });
}
