// Reading YAML inputs (files, directories, stdin) into resources with positions.
// Every problem becomes a LoadProblem (turned into a finding by the analyzer);
// nothing here throws for bad input. A document becomes a resource in
// load-resource.ts; the Gateway API kinds are recorded in load-gateway-api.ts.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type BoundedRead, errnoText, readRegularFile, readStreamBounded } from './bounded-read.ts';
import type { HttpRouteObject } from './http-route.ts';
import type { GatewayApiObject, KubernetesGateway } from './load-gateway-api.ts';
import { toResources } from './load-resource.ts';
import type { Resource } from './resource.ts';
import { keepYoungGenerationSmall, LARGE_INPUT, skipTopCompilerTier } from './v8-flags-for-large-inputs.ts';
import { LineIndex, parseYamlStream, type YamlDocument } from './yaml.ts';

export { type KubernetesGateway, kubernetesGateway } from './load-gateway-api.ts';

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
  /** GRPCRoutes, TCPRoutes, TLSRoutes and ReferenceGrants (config/load-gateway-api.ts) */
  gatewayApiObjects?: GatewayApiObject[];
  /**
   * A cluster forbade listing the Gateway API kinds: the Gateways and HTTPRoutes above are
   * not all there are (undefined: read, or not served, so none exist beyond these)
   */
  gatewayApiUnknown?: true;
  /** `namespace/name` of Secrets a cluster answered 404 for (a Gateway's credentialName read by name) */
  secretsNotFound?: string[];
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

function unreadable(path: string, detail: string): LoadProblem {
  return { code: 'ICA0004', params: { path, detail }, file: path };
}

function readStdin(): Promise<BoundedRead> {
  return readStreamBounded(process.stdin, MAX_FILE_BYTES);
}
