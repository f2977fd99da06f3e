// YAML to plain JS values, keeping the source offset of every mapping key and
// sequence item so that a finding can point at file:line:col of a field. A stream
// is read a document at a time: plain documents (most of a large dump) directly by
// yaml-plain.ts, the others from js-yaml's parser events by yaml-events.ts;
// positions are kept in a compact trace (yaml-trace.ts).
import { parseEvents, YAMLException } from 'js-yaml';
import { Builder, MAX_DEPTH, type NodeOffsets } from './yaml-events.ts';
import { isPlainAscii, readPlainDocument } from './yaml-plain.ts';
import { newTrace, shrinkTrace, type Trace, tracedOffset } from './yaml-trace.ts';
import { unclosedFlowLine } from './yaml-unclosed.ts';

export { MAX_EXPANDED_NODES } from './yaml-events.ts';
export { LineIndex, resolvePlain } from './yaml-scalars.ts';
export type { Trace } from './yaml-trace.ts';

export interface YamlError {
  message: string;
  offset: number;
}

export interface YamlDocument {
  /** 0-based index of the document in its stream */
  index: number;
  /** offset of the document's content in the source */
  start: number;
  value: unknown;
  /** problems that did not stop the document from loading (duplicate keys) */
  warnings: YamlError[];
  /** set when the document could not be parsed; value is then undefined */
  error?: YamlError;
  /** number of nodes after alias expansion */
  size: number;
  /** the document's own source text, and its offset in the whole stream */
  text: string;
  base: number;
  /**
   * Where each node of the document starts, recorded while loading (see Trace);
   * absent when the document uses aliases or merge keys, whose nodes do not
   * mirror the source one to one.
   */
  trace?: Trace;
  /** index of the document's root node in `trace` */
  traceRoot?: number;
  /**
   * Positions of keys and items for documents without a trace, computed on first
   * use by re-reading the document.
   */
  located?: { value: unknown; offsets: WeakMap<object, NodeOffsets> };
}

const SEPARATOR = /^(?:---|\.\.\.)(?:[ \t].*)?$/;

/**
 * Parses a multi-document YAML stream one document at a time: the stream is cut
 * at document markers (`---`, `...` at the start of a line, which YAML forbids
 * inside any scalar), so a syntax error spoils only its own document and a large
 * dump never holds all of its parser events at once.
 */
export function parseYamlStream(source: string, options: { plainReader?: boolean } = {}): YamlDocument[] {
  const plainReader = options.plainReader ?? true;
  // printable ASCII throughout: then so is each document (one scan, not one per document)
  const ascii = plainReader && isPlainAscii(source);
  const docs: YamlDocument[] = [];
  const trace = newTrace();
  let chunkStart = 0;
  let lineStart = 0;
  while (lineStart <= source.length) {
    let lineEnd = source.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = source.length;
    const c = source.charCodeAt(lineStart);
    if ((c === 45 || c === 46) && SEPARATOR.test(source.slice(lineStart, lineEnd).replace(/\r$/, ''))) {
      parseChunk(source.slice(chunkStart, lineStart), chunkStart, docs, trace, plainReader, ascii);
      chunkStart = lineStart;
    }
    lineStart = lineEnd + 1;
  }
  parseChunk(source.slice(chunkStart), chunkStart, docs, trace, plainReader, ascii);
  shrinkTrace(trace);
  return docs;
}

function parseChunk(
  text: string,
  base: number,
  docs: YamlDocument[],
  trace: Trace,
  plainReader: boolean,
  ascii: boolean,
): void {
  if (!/[^\s]/.test(text)) return;
  const plain = plainReader ? readPlainDocument(text, base, trace, ascii || undefined) : undefined;
  if (plain) {
    plain.index = docs.length;
    docs.push(plain);
    return;
  }
  try {
    const builder = new Builder(text, parseEvents(text, { maxDepth: MAX_DEPTH }), base, undefined, trace);
    const parsed = builder.documents(docs.length);
    // a document is found again by re-reading its chunk's first document: only a lone one has a usable trace
    const only = parsed.length === 1 ? parsed[0] : undefined;
    if (only && only.traceRoot !== undefined && !only.error) only.trace = trace;
    else for (const d of parsed) d.traceRoot = undefined;
    for (const d of parsed) {
      // a bare "---" line before content is a document of its own only if it has content
      if (d.value === undefined && !d.error && parsed.length > 1) continue;
      d.index = docs.length; // built just now, ours to renumber
      docs.push(d);
    }
  } catch (e) {
    const offset = base + (e instanceof YAMLException && e.mark ? e.mark.position : 0);
    let reason = e instanceof YAMLException ? e.reason : String(e);
    const unclosed = e instanceof YAMLException ? unclosedFlowLine(text, offset - base) : undefined;
    if (unclosed !== undefined)
      reason += ` (is a bracket left open? "${unclosed}" opens one that is not closed before here)`;
    docs.push({
      index: docs.length,
      start: base,
      value: undefined,
      warnings: [],
      error: { message: reason, offset },
      size: 0,
      text,
      base,
    });
  }
}

function locate(doc: YamlDocument): NonNullable<YamlDocument['located']> {
  if (!doc.located) {
    const offsets = new WeakMap<object, NodeOffsets>();
    let value: unknown;
    try {
      value = new Builder(
        doc.text,
        parseEvents(doc.text, { maxDepth: MAX_DEPTH }),
        doc.base,
        offsets,
      ).documents(0)[0]?.value;
    } catch {
      value = undefined;
    }
    doc.located = { value, offsets };
  }
  return doc.located;
}

/**
 * The source offset of a field path inside a document's value: the key's offset
 * for a mapping entry, the item's offset for a sequence index. Falls back to the
 * closest enclosing node that exists.
 */
export function offsetOfPath(doc: YamlDocument, path: readonly (string | number)[]): number {
  if (doc.trace && doc.traceRoot !== undefined)
    return tracedOffset(doc.trace, doc.traceRoot, doc.start, path);
  const { value, offsets } = locate(doc);
  let current: unknown = value;
  let best = doc.start;
  for (const seg of path) {
    if (current === null || typeof current !== 'object') break;
    const info = offsets.get(current);
    if (!info) break;
    if (info.keys) {
      const i = info.keys.indexOf(String(seg));
      if (i < 0) break;
      best = info.offsets[i] ?? best;
      current = (current as Record<string, unknown>)[String(seg)];
    } else {
      const i = typeof seg === 'number' ? seg : Number(seg);
      const off = info.offsets[i];
      if (off === undefined) break;
      best = off;
      current = (current as unknown[])[i];
    }
  }
  return best;
}
