// YAML to plain JS values, keeping the source offset of every mapping key and
// sequence item so that a finding can point at file:line:col of a field.
// Built on js-yaml's event parser (see shared/measurements.md: js-yaml is ~7x
// faster than `yaml` on large dumps) with our own small constructor.
import { EVENT_ID, type Event, parseEvents, YAMLException } from 'js-yaml';
import { scalarValue } from './yaml-scalars.ts';

export { LineIndex, resolvePlain } from './yaml-scalars.ts';

/** Where a mapping's keys and a sequence's items start in the source. */
interface NodeOffsets {
  start: number;
  /** mapping: key names in order; sequence: undefined */
  keys?: string[];
  /** mapping: offset of each key; sequence: offset of each item */
  offsets: number[];
  /** mapping: offset of each value */
  valueOffsets?: number[];
}

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

/**
 * Where the fields of a stream's documents start, in source order: one entry per
 * document root, mapping entry (key and value) and sequence item, each followed by
 * the entries inside its value. Kept compact rather than as an object per node, and
 * one per stream (a small typed array costs a kilobyte): a finding's position is
 * found by walking this, not by parsing its document again.
 */
export interface Trace {
  /** where each entry starts in the whole stream: its key, its item, or the root */
  offsets: Int32Array;
  /** entries from each entry to the end of its value's (itself included) x 4 + the value's kind (NODE_*) */
  spans: Int32Array;
  /** the key of each mapping entry */
  names: (string | undefined)[];
  /** entries recorded */
  length: number;
}

const NODE_SCALAR = 0;
const NODE_MAPPING = 1;
const NODE_SEQUENCE = 2;

function kindOf(ev: Event | undefined): number {
  return ev?.type === EVENT_ID.MAPPING
    ? NODE_MAPPING
    : ev?.type === EVENT_ID.SEQUENCE
      ? NODE_SEQUENCE
      : NODE_SCALAR;
}

function newTrace(): Trace {
  return { offsets: new Int32Array(1024), spans: new Int32Array(1024), names: [], length: 0 };
}

/** Documents larger than this (after expanding aliases) are refused: alias bombs. */
export const MAX_EXPANDED_NODES = 2_000_000;
const MAX_DEPTH = 200;

class Builder {
  private pos = 0;
  private readonly source: string;
  private readonly events: Event[];
  /** offset of `source` inside the whole file */
  private readonly base: number;
  private readonly offsets: WeakMap<object, NodeOffsets> | undefined;
  /** size of the node `node` built last (a field, not a returned pair: one allocation less per node) */
  private lastSize = 0;
  /** where nodes are recorded (first reading only: a re-reading records `offsets` instead) */
  private readonly trace: Trace | undefined;
  /** set when a document's nodes stop mirroring its source (aliases, merge keys) */
  private irregular = false;
  constructor(
    source: string,
    events: Event[],
    base = 0,
    offsets?: WeakMap<object, NodeOffsets>,
    trace?: Trace,
  ) {
    this.source = source;
    this.events = events;
    this.base = base;
    this.offsets = offsets;
    this.trace = trace;
  }

  /** Opens an entry; `closeEntry` records its extent once its value is built. */
  private openEntry(t: Trace, offset: number, name: string | undefined): number {
    const i = t.length++;
    if (i >= t.offsets.length) {
      const offsets = new Int32Array(t.offsets.length * 2);
      offsets.set(t.offsets);
      t.offsets = offsets;
      const spans = new Int32Array(t.spans.length * 2);
      spans.set(t.spans);
      t.spans = spans;
    }
    t.offsets[i] = offset;
    t.names.push(name);
    return i;
  }

  private closeEntry(t: Trace, i: number, kind: number): void {
    t.spans[i] = (t.length - i) * 4 + kind;
  }

  private at(ev: Event | undefined): number {
    return startOf(ev) + this.base;
  }

  /** Builds every document in the event stream. */
  documents(baseIndex: number): YamlDocument[] {
    const docs: YamlDocument[] = [];
    const evs = this.events;
    while (this.pos < evs.length) {
      const ev = evs[this.pos++];
      if (ev?.type !== EVENT_ID.DOCUMENT) continue;
      const doc: YamlDocument = {
        index: baseIndex + docs.length,
        start: this.base,
        value: undefined,
        warnings: [],
        size: 0,
        text: this.source,
        base: this.base,
      };
      const anchors = new Map<string, { value: unknown; size: number }>();
      const next = evs[this.pos];
      this.irregular = false;
      if (next && next.type !== EVENT_ID.POP) {
        doc.start = this.at(next);
        const trace = this.trace;
        const root = trace ? this.openEntry(trace, doc.start, undefined) : 0;
        if (trace) doc.traceRoot = root;
        try {
          doc.value = this.node(doc, anchors, 0);
          doc.size = this.lastSize;
          if (trace) this.closeEntry(trace, root, kindOf(next));
        } catch (e) {
          if (!(e instanceof LoadLimitError)) throw e;
          doc.error = { message: e.message, offset: e.offset };
          doc.value = undefined;
          this.skipDocument();
          docs.push(doc);
          continue;
        }
      }
      // document POP
      this.pos++;
      if (this.irregular) doc.traceRoot = undefined;
      docs.push(doc);
    }
    return docs;
  }

  private skipDocument(): void {
    let depth = 0;
    while (this.pos < this.events.length) {
      const ev = this.events[this.pos++];
      if (ev?.type === EVENT_ID.MAPPING || ev?.type === EVENT_ID.SEQUENCE) depth++;
      else if (ev?.type === EVENT_ID.POP) {
        if (depth === 0) return;
        depth--;
      }
    }
  }

  /** Builds the next node; its size (nodes after alias expansion) is left in `lastSize`. */
  private node(
    doc: YamlDocument,
    anchors: Map<string, { value: unknown; size: number }>,
    depth: number,
  ): unknown {
    const ev = this.events[this.pos++];
    this.lastSize = 0;
    if (!ev) return null;
    if (depth > MAX_DEPTH) throw new LoadLimitError(`nesting deeper than ${MAX_DEPTH} levels`, this.at(ev));
    const trace = this.trace;
    let value: unknown;
    let size = 1;
    switch (ev.type) {
      case EVENT_ID.SCALAR:
        value = scalarValue(this.source, ev);
        break;
      case EVENT_ID.ALIAS: {
        // the alias stands for the anchored node: its positions are elsewhere
        this.irregular = true;
        const name = this.source.slice(ev.anchorStart, ev.anchorEnd);
        const target = anchors.get(name);
        if (!target) throw new LoadLimitError(`unknown alias *${name}`, ev.anchorStart + this.base);
        return this.count(target.value, target.size, ev.anchorStart + this.base);
      }
      case EVENT_ID.SEQUENCE: {
        const arr: unknown[] = [];
        // positions only when re-reading for a finding's location
        const offsets: number[] | undefined = this.offsets ? [] : undefined;
        while (this.events[this.pos]?.type !== EVENT_ID.POP) {
          const item = this.events[this.pos];
          offsets?.push(this.at(item));
          const entry = trace ? this.openEntry(trace, this.at(item), undefined) : 0;
          arr.push(this.node(doc, anchors, depth + 1));
          if (trace) this.closeEntry(trace, entry, kindOf(item));
          size += this.lastSize;
        }
        this.pos++;
        if (offsets) this.offsets?.set(arr, { start: ev.start + this.base, offsets });
        value = arr;
        break;
      }
      case EVENT_ID.MAPPING: {
        const obj: Record<string, unknown> = {};
        // positions only when re-reading for a finding's location
        const record = this.offsets !== undefined;
        const keys: string[] = record ? [] : NO_STRINGS;
        const offsets: number[] = record ? [] : NO_NUMBERS;
        const valueOffsets: number[] = record ? [] : NO_NUMBERS;
        while (this.events[this.pos]?.type !== EVENT_ID.POP) {
          const keyEvent = this.events[this.pos];
          const k = this.node(doc, anchors, depth + 1);
          const valueEvent = this.events[this.pos];
          const valueOffset = record ? this.at(valueEvent) : 0;
          const keyOffset = this.at(keyEvent);
          const key = k === null ? 'null' : typeof k === 'object' ? JSON.stringify(k) : String(k);
          // a key that is a collection left entries of its own: this document is re-read instead
          if (k !== null && typeof k === 'object') this.irregular = true;
          const entry = trace ? this.openEntry(trace, keyOffset, key) : 0;
          const v = this.node(doc, anchors, depth + 1);
          if (trace) this.closeEntry(trace, entry, kindOf(valueEvent));
          size += this.lastSize + 1;
          if (key === '<<' && v !== null && typeof v === 'object') {
            // merge key: copy what is not already set (keys that are not in the source here)
            this.irregular = true;
            for (const src of Array.isArray(v) ? v : [v]) {
              if (src === null || typeof src !== 'object' || Array.isArray(src)) continue;
              for (const [mk, mv] of Object.entries(src)) {
                if (!Object.hasOwn(obj, mk)) {
                  defineKey(obj, mk, mv);
                  if (record) {
                    keys.push(mk);
                    offsets.push(keyOffset);
                    valueOffsets.push(valueOffset);
                  }
                }
              }
            }
            continue;
          }
          if (Object.hasOwn(obj, key)) {
            doc.warnings.push({ message: `duplicate key "${key}"`, offset: keyOffset });
            const i = record ? keys.indexOf(key) : -1;
            if (i >= 0) {
              offsets[i] = keyOffset;
              valueOffsets[i] = valueOffset;
            }
          } else if (record) {
            keys.push(key);
            offsets.push(keyOffset);
            valueOffsets.push(valueOffset);
          }
          defineKey(obj, key, v);
        }
        this.pos++;
        if (record) this.offsets?.set(obj, { start: ev.start + this.base, keys, offsets, valueOffsets });
        value = obj;
        break;
      }
      default:
        return null;
    }
    if (ev.anchorStart >= 0) anchors.set(this.source.slice(ev.anchorStart, ev.anchorEnd), { value, size });
    return this.count(value, size, this.at(ev));
  }

  private count(value: unknown, size: number, offset: number): unknown {
    if (size > MAX_EXPANDED_NODES) {
      throw new LoadLimitError(
        `document expands to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes through aliases (an "alias bomb"); refusing to load it`,
        offset,
      );
    }
    this.lastSize = size;
    return value;
  }
}

const NO_STRINGS: string[] = [];
const NO_NUMBERS: number[] = [];

class LoadLimitError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

// `__proto__` as a YAML key must become a plain own property, not a prototype.
function defineKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function startOf(ev: Event | undefined): number {
  if (!ev) return 0;
  switch (ev.type) {
    case EVENT_ID.SCALAR:
      return minStart(ev.valueStart, ev.anchorStart, ev.tagStart);
    case EVENT_ID.ALIAS:
      return Math.max(0, ev.anchorStart - 1);
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return minStart(ev.start, ev.anchorStart, ev.tagStart);
    default:
      return 0;
  }
}

/** The smallest non-negative offset (anchors and tags come before the value). */
function minStart(a: number, b: number, c: number): number {
  let m = a >= 0 ? a : Number.MAX_SAFE_INTEGER;
  if (b >= 0 && b < m) m = b;
  if (c >= 0 && c < m) m = c;
  return m === Number.MAX_SAFE_INTEGER ? 0 : m;
}

const SEPARATOR = /^(?:---|\.\.\.)(?:[ \t].*)?$/;

/**
 * Parses a multi-document YAML stream one document at a time: the stream is cut
 * at document markers (`---`, `...` at the start of a line, which YAML forbids
 * inside any scalar), so a syntax error spoils only its own document and a large
 * dump never holds all of its parser events at once.
 */
export function parseYamlStream(source: string): YamlDocument[] {
  const docs: YamlDocument[] = [];
  const trace = newTrace();
  let chunkStart = 0;
  let lineStart = 0;
  while (lineStart <= source.length) {
    let lineEnd = source.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = source.length;
    const c = source.charCodeAt(lineStart);
    if ((c === 45 || c === 46) && SEPARATOR.test(source.slice(lineStart, lineEnd).replace(/\r$/, ''))) {
      parseChunk(source.slice(chunkStart, lineStart), chunkStart, docs, trace);
      chunkStart = lineStart;
    }
    lineStart = lineEnd + 1;
  }
  parseChunk(source.slice(chunkStart), chunkStart, docs, trace);
  // give back the room left for growth
  if (trace.length < trace.offsets.length) {
    trace.offsets = trace.offsets.slice(0, trace.length);
    trace.spans = trace.spans.slice(0, trace.length);
  }
  return docs;
}

function parseChunk(text: string, base: number, docs: YamlDocument[], trace: Trace): void {
  if (!/[^\s]/.test(text)) return;
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
    const reason = e instanceof YAMLException ? e.reason : String(e);
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

/** offsetOfPath from a document's trace: the same walk over its compact entries. */
function tracedOffset(trace: Trace, root: number, start: number, path: readonly (string | number)[]): number {
  const { offsets, spans, names } = trace;
  let entry = root;
  let best = start;
  for (const seg of path) {
    const kind = (spans[entry] ?? 0) & 3;
    const end = entry + ((spans[entry] ?? 0) >> 2);
    if (kind === NODE_MAPPING) {
      // the last entry with this key wins, as its value did when loading
      const name = String(seg);
      let found = -1;
      for (let k = entry + 1; k < end; k += (spans[k] ?? 4) >> 2) if (names[k] === name) found = k;
      if (found < 0) break;
      best = offsets[found] ?? best;
      entry = found;
    } else if (kind === NODE_SEQUENCE) {
      const i = typeof seg === 'number' ? seg : Number(seg);
      if (!Number.isInteger(i) || i < 0) break;
      let item = entry + 1;
      for (let n = 0; n < i && item < end; n++) item += (spans[item] ?? 4) >> 2;
      if (item >= end) break;
      best = offsets[item] ?? best;
      entry = item;
    } else break;
  }
  return best;
}
