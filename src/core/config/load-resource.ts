// One YAML document as resources: a mapping with apiVersion, kind and metadata
// (or each item of a `kind: List`), located by field path for findings. The Gateway
// API kinds are recorded apart (load-gateway-api.ts); a bare mesh config document
// is kept as such.

import type { LoadOptions, LoadProblemCode, LoadResult } from './load.ts';
import { takeGatewayApi } from './load-gateway-api.ts';
import {
  API_VERSIONS,
  type FieldPath,
  isIstioKind,
  isKubeKind,
  type Kind,
  type Position,
  type Resource,
} from './resource.ts';
import { type LineIndex, offsetOfPath, type YamlDocument } from './yaml.ts';

/**
 * The resources of a document: itself, or the items of a `kind: List` (what
 * `kubectl get -o yaml` prints and `kubectl apply -f` accepts), each located
 * under `items[i]`.
 */
export function toResources(
  doc: YamlDocument,
  file: string,
  lines: LineIndex,
  result: LoadResult,
  options: LoadOptions,
): Resource[] {
  const v = doc.value as Record<string, unknown> | null;
  if (v && typeof v === 'object' && v.kind === 'List' && Array.isArray(v.items)) {
    const out: Resource[] = [];
    v.items.forEach((item, i) => {
      const r = toResource(doc, file, lines, result, options, item, ['items', i]);
      if (r) out.push(r);
    });
    return out;
  }
  const r = toResource(doc, file, lines, result, options, doc.value, []);
  return r ? [r] : [];
}

function toResource(
  doc: YamlDocument,
  file: string,
  lines: LineIndex,
  result: LoadResult,
  options: LoadOptions,
  value: unknown,
  prefix: FieldPath,
): Resource | undefined {
  const pos = (path: FieldPath) => ({ file, ...lines.position(offsetOfPath(doc, [...prefix, ...path])) });
  const problem = (code: LoadProblemCode, params: Record<string, string>, path: FieldPath = []) =>
    result.problems.push({ code, params, ...pos(path) });

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = Array.isArray(value)
      ? 'a list'
      : `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
    problem('ICA0002', { detail: `document ${doc.index + 1} is ${what}, not a mapping` });
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  // A bare mesh config (as in `meshConfig: {outboundTrafficPolicy: ...}`) sets the outbound mode.
  if (
    obj.apiVersion === undefined &&
    obj.kind === undefined &&
    ('meshConfig' in obj || 'outboundTrafficPolicy' in obj)
  ) {
    const mesh = (obj.meshConfig ?? obj) as Record<string, unknown>;
    result.meshConfigs.push({ value: mesh, file, line: pos([]).line });
    return undefined;
  }
  const { apiVersion, kind } = obj;
  const metadata = obj.metadata;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    const missing = [
      typeof apiVersion !== 'string' && 'apiVersion',
      typeof kind !== 'string' && 'kind',
    ].filter(Boolean);
    problem('ICA0002', { detail: `missing or invalid ${missing.join(' and ')}` });
    return undefined;
  }
  // Gateway API kinds (HTTPRoute, ...) are recorded apart from the Istio and core resources
  if (
    takeGatewayApi(obj, kind, apiVersion, {
      file,
      line: pos([]).line ?? 1,
      result,
      options,
      problem,
      locate: pos,
    })
  )
    return undefined;
  if (!isIstioKind(kind) && !isKubeKind(kind)) {
    problem('ICA0003', { kind, apiVersion });
    return undefined;
  }
  const known = API_VERSIONS[kind];
  if (!known.includes(apiVersion)) {
    // Same kind name, another API group (the Kubernetes Gateway API's Gateway, say): not ours.
    const group = (v: string) => (v.includes('/') ? v.slice(0, v.indexOf('/')) : '');
    if (!known.some((k) => group(k) === group(apiVersion))) {
      problem('ICA0003', { kind, apiVersion });
      return undefined;
    }
    problem('ICA0005', { kind, apiVersion, known: known.join(', ') }, ['apiVersion']);
    return undefined;
  }
  // istioctl reads an IstioOperator from a file: istio.io's examples (and Istio's profiles) give it no name
  const operator = kind === 'IstioOperator';
  if (!operator && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) {
    problem('ICA0002', { detail: `${kind} has no metadata mapping` });
    return undefined;
  }
  const meta = (operator && (typeof metadata !== 'object' || metadata === null) ? {} : metadata) as Record<
    string,
    unknown
  >;
  if (operator && (typeof meta.name !== 'string' || meta.name === '')) {
    // istioctl overlays several -f files: unnamed ones must not replace each other
    const n = result.resources.filter(
      (r) => r.kind === 'IstioOperator' && r.name.startsWith('unnamed'),
    ).length;
    meta.name = n === 0 ? 'unnamed' : `unnamed-${n + 1}`;
  }
  if (typeof meta.name !== 'string' || meta.name.length === 0) {
    problem('ICA0002', { detail: `${kind} has no metadata.name` }, ['metadata']);
    return undefined;
  }
  const namespace =
    kind === 'Namespace' || kind === 'MutatingWebhookConfiguration'
      ? ''
      : typeof meta.namespace === 'string' && meta.namespace
        ? meta.namespace
        : operator
          ? 'istio-system'
          : (options.defaultNamespace ?? 'default');
  const labels: Record<string, string> = {};
  if (meta.labels && typeof meta.labels === 'object') {
    for (const [k, v] of Object.entries(meta.labels))
      if (v !== null && v !== undefined) labels[k] = String(v);
  }
  const start = prefix.length ? pos([]) : lines.position(doc.start);
  const spec =
    obj.spec && typeof obj.spec === 'object' && !Array.isArray(obj.spec)
      ? (obj.spec as Record<string, unknown>)
      : {};
  return {
    apiVersion,
    kind: kind as Kind,
    name: meta.name,
    namespace,
    labels,
    spec,
    raw: obj,
    origin: { file, line: start.line ?? 1, column: start.column ?? 1, document: doc.index },
    locate: (path: FieldPath): Position => pos(path),
  };
}
