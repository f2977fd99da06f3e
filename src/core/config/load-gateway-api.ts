// The Kubernetes Gateway API kinds as the loader records them: they are not Istio
// resources (no schema of ours, no Resource), but the ambient model, the Gateway
// API ingress (k8s-gateway.ts) and the mesh routes (http-route.ts) read them.

import type { LoadOptions, LoadProblemCode, LoadResult } from './load.ts';
import type { FieldPath, Position } from './resource.ts';
import type { WrittenObject } from './written-object.ts';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** A gateway.networking.k8s.io Gateway: its listeners' hostnames (undefined: any host). */
export interface KubernetesGateway {
  namespace: string;
  name: string;
  hostnames: (string | undefined)[];
  /** spec.gatewayClassName (`istio-waypoint` for a waypoint) */
  className?: string;
  labels: Record<string, string>;
  /** spec.listeners as written (class `istio`: the ingress the simulator routes, config/k8s-gateway.ts) */
  listeners?: Record<string, unknown>[];
  /** where it was written */
  file?: string;
  line?: number;
  /** the context it was read from (live) */
  cluster?: string;
}

/** The route kinds beside HTTPRoute, and ReferenceGrant, as the trainer models them. */
export type GatewayApiKind = 'GRPCRoute' | 'TCPRoute' | 'TLSRoute' | 'ReferenceGrant';

/**
 * The versions Istio 1.26 reads (Gateway API 1.3): GRPCRoute v1 (GA; v1alpha2 still
 * served), TCPRoute and TLSRoute v1alpha2 (experimental channel), ReferenceGrant
 * v1beta1 (v1alpha2 still served).
 */
export const GATEWAY_API_VERSIONS: Record<GatewayApiKind, readonly string[]> = {
  GRPCRoute: ['v1', 'v1alpha2'],
  TCPRoute: ['v1alpha2'],
  TLSRoute: ['v1alpha2'],
  ReferenceGrant: ['v1beta1', 'v1alpha2'],
};

/** A GRPCRoute, TCPRoute, TLSRoute or ReferenceGrant as written. */
export interface GatewayApiObject extends WrittenObject {
  kind: GatewayApiKind;
}

/** Where a document was read, and how to report on it (load-resource.ts). */
export interface GatewayApiSite {
  file: string;
  line: number;
  result: LoadResult;
  options: LoadOptions;
  problem: (code: LoadProblemCode, params: Record<string, string>, path?: FieldPath) => void;
  locate: (path: FieldPath) => Position;
}

/**
 * Records a Gateway API object of the document, if it is one. True when the document
 * is fully handled (not a resource of ours); false for anything else.
 */
export function takeGatewayApi(
  obj: Record<string, unknown>,
  kind: string,
  apiVersion: string,
  site: GatewayApiSite,
): boolean {
  if (!apiVersion.startsWith(`${GATEWAY_API_GROUP}/`)) return false;
  const { file, line, result, options, problem } = site;
  if (kind === 'HTTPRoute') {
    (result.httpRoutes ??= []).push(written(obj, site));
    // routed in the mesh only when a parent is a Service; one for a Gateway (ingress) is not analysed
    const parents = (obj.spec as { parentRefs?: { kind?: unknown }[] } | undefined)?.parentRefs;
    if (!Array.isArray(parents) || !parents.some((p) => p && p.kind === 'Service'))
      problem('ICA0003', { kind, apiVersion });
    return true;
  }
  if (kind in GATEWAY_API_VERSIONS) {
    const known = GATEWAY_API_VERSIONS[kind as GatewayApiKind];
    const version = apiVersion.slice(GATEWAY_API_GROUP.length + 1);
    if (!known.includes(version)) {
      const versions = known.map((v) => `${GATEWAY_API_GROUP}/${v}`).join(', ');
      site.problem('ICA0005', { kind, apiVersion, known: versions }, ['apiVersion']);
      return true;
    }
    (result.gatewayApiObjects ??= []).push({ kind: kind as GatewayApiKind, ...written(obj, site) });
    return true;
  }
  if (kind === 'Gateway') {
    const gw = { ...kubernetesGateway(obj, options), file, line };
    (result.kubernetesGateways ??= []).push(gw);
    // a waypoint is part of the ambient model (config/ambient.ts): not skipped
    if (gw.className !== 'istio-waypoint') problem('ICA0003', { kind, apiVersion });
    return true;
  }
  return false;
}

/** A gateway.networking.k8s.io Gateway as the ambient model and the VirtualService binding checks read it. */
export function kubernetesGateway(obj: Record<string, unknown>, options: LoadOptions): KubernetesGateway {
  const meta = (obj.metadata ?? {}) as Record<string, unknown>;
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const listeners = Array.isArray(spec.listeners) ? spec.listeners : [];
  const labels: Record<string, string> = {};
  const rawLabels = meta.labels;
  if (rawLabels && typeof rawLabels === 'object' && !Array.isArray(rawLabels))
    for (const [k, v] of Object.entries(rawLabels)) if (typeof v === 'string') labels[k] = v;
  return {
    labels,
    ...(typeof spec.gatewayClassName === 'string' ? { className: spec.gatewayClassName } : {}),
    namespace:
      typeof meta.namespace === 'string' && meta.namespace
        ? meta.namespace
        : (options.defaultNamespace ?? 'default'),
    name: String(meta.name ?? ''),
    listeners: listeners.map((l) =>
      l && typeof l === 'object' && !Array.isArray(l) ? (l as Record<string, unknown>) : {},
    ),
    hostnames: listeners.map((l) => {
      const h = (l as Record<string, unknown> | null)?.hostname;
      return typeof h === 'string' && h !== '' ? h : undefined;
    }),
  };
}

/** The object as written at a file's site (namespace: the default when it names none). */
function written(obj: Record<string, unknown>, site: GatewayApiSite): WrittenObject {
  const meta = asMetadata(obj.metadata);
  return {
    namespace: meta.namespace ?? site.options.defaultNamespace ?? 'default',
    name: meta.name ?? '',
    raw: obj,
    file: site.file,
    line: site.line,
    locate: site.locate,
  };
}

function asMetadata(v: unknown): { name?: string; namespace?: string } {
  const m = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  return {
    ...(typeof m.name === 'string' ? { name: m.name } : {}),
    ...(typeof m.namespace === 'string' && m.namespace ? { namespace: m.namespace } : {}),
  };
}
