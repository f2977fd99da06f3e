// Reading YAML inputs (files, directories, stdin) into resources with positions.
// Every problem becomes a LoadProblem (turned into a finding by the analyzer);
// nothing here throws for bad input.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type BoundedRead, errnoText, readRegularFile, readStreamBounded } from './bounded-read.ts';
import type { HttpRouteObject } from './http-route.ts';
import {
  API_VERSIONS,
  type FieldPath,
  isIstioKind,
  isKubeKind,
  type Kind,
  type Position,
  type Resource,
} from './resource.ts';
import { keepYoungGenerationSmall, LARGE_INPUT, skipTopCompilerTier } from './v8-flags-for-large-inputs.ts';
import { LineIndex, offsetOfPath, parseYamlStream, type YamlDocument } from './yaml.ts';

export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export type LoadProblemCode =
  | 'ICA0001'
  | 'ICA0002'
  | 'ICA0003'
  | 'ICA0004'
  | 'ICA0005'
  | 'ICA0006'
  | 'ICA0007';

export interface LoadProblem {
  code: LoadProblemCode;
  /** parameters of the catalog entry */
  params: Record<string, string>;
  file: string;
  line?: number;
  column?: number;
}

export interface LoadResult {
  resources: Resource[];
  problems: LoadProblem[];
  /** mesh config documents found among the inputs (bare `meshConfig:` documents) */
  meshConfigs: { value: Record<string, unknown>; file: string; line: number }[];
  /** files that were read as text (even if they held errors) */
  filesRead: number;
  /** Kubernetes Gateway API Gateways: not analysed, but VirtualServices may bind to them */
  kubernetesGateways?: KubernetesGateway[];
  /** Gateway API HTTPRoutes (routed in the mesh when their parent is a Service: config/http-route.ts) */
  httpRoutes?: HttpRouteObject[];
  /**
   * A cluster forbade listing the Gateway API kinds: the Gateways and HTTPRoutes above are
   * not all there are (undefined: read, or not served, so none exist beyond these)
   */
  gatewayApiUnknown?: true;
  /** `namespace/name` of Secrets a cluster answered 404 for (a Gateway's credentialName read by name) */
  secretsNotFound?: string[];
}

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

export interface LoadOptions {
  /** namespace for resources that do not set one (kubectl's default) */
  defaultNamespace?: string;
  /** read stdin for "-" (a string, or the outcome of a bounded read) */
  stdin?: () => Promise<string | BoundedRead>;
}

function emptyResult(): LoadResult {
  return { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
}

/** Loads every path: files, directories (recursively, *.yaml / *.yml) and "-" for stdin. */
export async function loadPaths(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const result = emptyResult();
  for (const p of paths) {
    if (p === '-') {
      const read = await (options.stdin ?? readStdin)();
      if (typeof read === 'string') loadText(read, '-', result, options);
      else if (read.ok) loadText(read.text, '-', result, options);
      else result.problems.push(unreadable('-', read.detail));
      continue;
    }
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(p);
    } catch (e) {
      result.problems.push(unreadable(p, errnoText(e)));
      continue;
    }
    if (info.isDirectory()) {
      const files = await yamlFilesUnder(p, result);
      if (files.length === 0) result.problems.push(unreadable(p, 'directory holds no *.yaml or *.yml files'));
      for (const f of files) await loadFile(f, result, options);
    } else {
      await loadFile(p, result, options);
    }
  }
  return result;
}

async function yamlFilesUnder(dir: string, result: LoadResult): Promise<string[]> {
  const out: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    result.problems.push(unreadable(dir, errnoText(e)));
    return out;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      out.push(...(await yamlFilesUnder(full, result)));
    } else if (/\.ya?ml$/i.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

async function loadFile(path: string, result: LoadResult, options: LoadOptions): Promise<void> {
  const read = await readRegularFile(path, MAX_FILE_BYTES);
  if (!read.ok) {
    result.problems.push(unreadable(path, read.detail));
    return;
  }
  loadText(read.text, path, result, options);
}

/** Loads one YAML text into `result` (exported for tests and the live source). */
export function loadText(text: string, file: string, result: LoadResult, options: LoadOptions = {}): void {
  result.filesRead++;
  if (text.length > MAX_FILE_BYTES) {
    result.problems.push(unreadable(file, `input is larger than ${MAX_FILE_BYTES / 1048576} MiB`));
    return;
  }
  if (text.length >= LARGE_INPUT) {
    keepYoungGenerationSmall();
    skipTopCompilerTier();
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(source);
  let docs: YamlDocument[];
  try {
    docs = parseYamlStream(source);
  } catch (e) {
    result.problems.push({
      code: 'ICA0001',
      params: { detail: (e as Error).message ?? String(e) },
      file,
      line: 1,
      column: 1,
    });
    return;
  }
  let resources = 0;
  for (const doc of docs) {
    const at = (offset: number) => ({ file, ...lines.position(offset) });
    if (doc.error) {
      result.problems.push({
        code: doc.error.message.includes('alias') ? 'ICA0004' : 'ICA0001',
        params: doc.error.message.includes('alias')
          ? { path: `${file} (document ${doc.index + 1})`, detail: doc.error.message }
          : { detail: doc.error.message },
        ...at(doc.error.offset),
      });
      continue;
    }
    for (const w of doc.warnings) {
      result.problems.push({ code: 'ICA0006', params: { detail: w.message }, ...at(w.offset) });
    }
    if (doc.value === null || doc.value === undefined) continue; // empty document
    for (const made of toResources(doc, file, lines, result, options)) {
      result.resources.push(made);
      resources++;
    }
  }
  if (
    resources === 0 &&
    docs.every((d) => d.value == null && !d.error) &&
    result.meshConfigs.every((m) => m.file !== file)
  ) {
    result.problems.push({ code: 'ICA0007', params: { path: file }, file, line: 1, column: 1 });
  }
}

/**
 * The resources of a document: itself, or the items of a `kind: List` (what
 * `kubectl get -o yaml` prints and `kubectl apply -f` accepts), each located
 * under `items[i]`.
 */
function toResources(
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
  if (kind === 'HTTPRoute' && apiVersion.startsWith('gateway.networking.k8s.io/')) {
    const meta = asMetadata(obj.metadata);
    (result.httpRoutes ??= []).push({
      namespace: meta.namespace ?? options.defaultNamespace ?? 'default',
      name: meta.name ?? '',
      raw: obj,
      file,
      line: pos([]).line ?? 1,
    });
    // routed in the mesh only when a parent is a Service; one for a Gateway (ingress) is not analysed
    const parents = (obj.spec as { parentRefs?: { kind?: unknown }[] } | undefined)?.parentRefs;
    if (!Array.isArray(parents) || !parents.some((p) => p && p.kind === 'Service'))
      problem('ICA0003', { kind, apiVersion });
    return undefined;
  }
  if (!isIstioKind(kind) && !isKubeKind(kind)) {
    problem('ICA0003', { kind, apiVersion });
    return undefined;
  }
  const known = API_VERSIONS[kind];
  if (!known.includes(apiVersion)) {
    // Same kind name, another API group (the Kubernetes Gateway API's Gateway, say): not ours.
    const group = (v: string) => (v.includes('/') ? v.slice(0, v.indexOf('/')) : '');
    if (!known.some((k) => group(k) === group(apiVersion))) {
      if (kind === 'Gateway' && group(apiVersion) === 'gateway.networking.k8s.io') {
        const gw = { ...kubernetesGateway(obj, options), file, line: pos([]).line ?? 1 };
        (result.kubernetesGateways ??= []).push(gw);
        // a waypoint is part of the ambient model (config/ambient.ts): not skipped
        if (gw.className === 'istio-waypoint') return undefined;
      }
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

function asMetadata(v: unknown): { name?: string; namespace?: string } {
  const m = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  return {
    ...(typeof m.name === 'string' ? { name: m.name } : {}),
    ...(typeof m.namespace === 'string' && m.namespace ? { namespace: m.namespace } : {}),
  };
}

function unreadable(path: string, detail: string): LoadProblem {
  return { code: 'ICA0004', params: { path, detail }, file: path };
}

function readStdin(): Promise<BoundedRead> {
  return readStreamBounded(process.stdin, MAX_FILE_BYTES);
}
