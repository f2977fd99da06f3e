// YAML to plain JS values, keeping the source offset of every mapping key and
// sequence item so that a finding can point at file:line:col of a field.
// Built on js-yaml's event parser (see shared/measurements.md: js-yaml is ~7x
// faster than `yaml` on large dumps) with our own small constructor.
import { EVENT_ID, type Event, getScalarValue, parseEvents, type ScalarEvent, YAMLException } from 'js-yaml';

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
  offsets: WeakMap<object, NodeOffsets>;
}

/** Documents larger than this (after expanding aliases) are refused: alias bombs. */
export const MAX_EXPANDED_NODES = 2_000_000;
const MAX_DEPTH = 200;

/** Offsets -> 1-based line and column. */
export class LineIndex {
  private starts: number[] | undefined;
  private readonly source: string;
  constructor(source: string) {
    this.source = source;
  }

  position(offset: number): { line: number; column: number } {
    if (!this.starts) {
      const starts = [0];
      let i = this.source.indexOf('\n');
      while (i !== -1) {
        starts.push(i + 1);
        i = this.source.indexOf('\n', i + 1);
      }
      this.starts = starts;
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  }
}

const NULL_RE = /^(?:~|null|Null|NULL)?$/;
const INT_RE = /^[-+]?[0-9]+$/;
const OCT_RE = /^0o[0-7]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** YAML 1.2 core schema resolution of a plain scalar. */
export function resolvePlain(text: string): unknown {
  if (text.length === 0 || (text.length <= 4 && NULL_RE.test(text))) return null;
  const c = text.charCodeAt(0);
  // fast path: most scalars in Istio YAML are words
  if ((c >= 97 && c <= 122 && c !== 116 && c !== 102 && c !== 110) || c === 47) return text;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  if (INT_RE.test(text)) return Number.parseInt(text, 10);
  if (OCT_RE.test(text)) return Number.parseInt(text.slice(2), 8);
  if (HEX_RE.test(text)) return Number.parseInt(text.slice(2), 16);
  if (FLOAT_RE.test(text)) return Number.parseFloat(text);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return Number.NaN;
  return text;
}

function scalarValue(source: string, ev: ScalarEvent): unknown {
  const text = getScalarValue(source, ev);
  const tag = ev.tagStart >= 0 ? source.slice(ev.tagStart, ev.tagEnd) : '';
  if (tag) {
    if (tag === '!!str' || tag === '!') return text;
    if (tag === '!!int' || tag === '!!float') return Number(text);
    if (tag === '!!bool') return text === 'true';
    if (tag === '!!null') return null;
    return text;
  }
  return ev.style === 1 ? resolvePlain(text) : text;
}

class Builder {
  private pos = 0;
  private readonly source: string;
  private readonly events: Event[];
  /** offset of `source` inside the whole file */
  private readonly base: number;
  constructor(source: string, events: Event[], base = 0) {
    this.source = source;
    this.events = events;
    this.base = base;
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
        start: 0,
        value: undefined,
        warnings: [],
        size: 0,
        offsets: new WeakMap(),
      };
      const anchors = new Map<string, { value: unknown; size: number }>();
      const next = evs[this.pos];
      if (next && next.type !== EVENT_ID.POP) {
        doc.start = this.at(next);
        try {
          const [value, size] = this.node(doc, anchors, 0);
          doc.value = value;
          doc.size = size;
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

  private node(
    doc: YamlDocument,
    anchors: Map<string, { value: unknown; size: number }>,
    depth: number,
  ): [unknown, number] {
    const ev = this.events[this.pos++];
    if (!ev) return [null, 0];
    if (depth > MAX_DEPTH) throw new LoadLimitError(`nesting deeper than ${MAX_DEPTH} levels`, this.at(ev));
    let value: unknown;
    let size = 1;
    switch (ev.type) {
      case EVENT_ID.SCALAR:
        value = scalarValue(this.source, ev);
        break;
      case EVENT_ID.ALIAS: {
        const name = this.source.slice(ev.anchorStart, ev.anchorEnd);
        const target = anchors.get(name);
        if (!target) throw new LoadLimitError(`unknown alias *${name}`, ev.anchorStart + this.base);
        return this.count(target.value, target.size, ev.anchorStart + this.base);
      }
      case EVENT_ID.SEQUENCE: {
        const arr: unknown[] = [];
        const offsets: number[] = [];
        while (this.events[this.pos]?.type !== EVENT_ID.POP) {
          offsets.push(this.at(this.events[this.pos]));
          const [item, n] = this.node(doc, anchors, depth + 1);
          arr.push(item);
          size += n;
        }
        this.pos++;
        doc.offsets.set(arr, { start: ev.start + this.base, offsets });
        value = arr;
        break;
      }
      case EVENT_ID.MAPPING: {
        const obj: Record<string, unknown> = {};
        const keys: string[] = [];
        const offsets: number[] = [];
        const valueOffsets: number[] = [];
        while (this.events[this.pos]?.type !== EVENT_ID.POP) {
          const keyOffset = this.at(this.events[this.pos]);
          const [k] = this.node(doc, anchors, depth + 1);
          const valueOffset = this.at(this.events[this.pos]);
          const [v, n] = this.node(doc, anchors, depth + 1);
          size += n + 1;
          const key = k === null ? 'null' : typeof k === 'object' ? JSON.stringify(k) : String(k);
          if (key === '<<' && v !== null && typeof v === 'object') {
            // merge key: copy what is not already set
            for (const src of Array.isArray(v) ? v : [v]) {
              if (src === null || typeof src !== 'object' || Array.isArray(src)) continue;
              for (const [mk, mv] of Object.entries(src)) {
                if (!Object.hasOwn(obj, mk)) {
                  defineKey(obj, mk, mv);
                  keys.push(mk);
                  offsets.push(keyOffset);
                  valueOffsets.push(valueOffset);
                }
              }
            }
            continue;
          }
          if (Object.hasOwn(obj, key)) {
            doc.warnings.push({ message: `duplicate key "${key}"`, offset: keyOffset });
            const i = keys.indexOf(key);
            if (i >= 0) {
              offsets[i] = keyOffset;
              valueOffsets[i] = valueOffset;
            }
          } else {
            keys.push(key);
            offsets.push(keyOffset);
            valueOffsets.push(valueOffset);
          }
          defineKey(obj, key, v);
        }
        this.pos++;
        doc.offsets.set(obj, { start: ev.start + this.base, keys, offsets, valueOffsets });
        value = obj;
        break;
      }
      default:
        return [null, 0];
    }
    if (ev.anchorStart >= 0) anchors.set(this.source.slice(ev.anchorStart, ev.anchorEnd), { value, size });
    return this.count(value, size, this.at(ev));
  }

  private count(value: unknown, size: number, offset: number): [unknown, number] {
    if (size > MAX_EXPANDED_NODES) {
      throw new LoadLimitError(
        `document expands to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes through aliases (an "alias bomb"); refusing to load it`,
        offset,
      );
    }
    return [value, size];
  }
}

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
    case EVENT_ID.SCALAR: {
      const starts = [ev.valueStart, ev.anchorStart, ev.tagStart].filter((n) => n >= 0);
      return starts.length ? Math.min(...starts) : 0;
    }
    case EVENT_ID.ALIAS:
      return Math.max(0, ev.anchorStart - 1);
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE: {
      const starts = [ev.start, ev.anchorStart, ev.tagStart].filter((n) => n >= 0);
      return starts.length ? Math.min(...starts) : 0;
    }
    default:
      return 0;
  }
}

const SEPARATOR = /^(?:---|\.\.\.)(?:[ \t].*)?$/;

/**
 * Parses a multi-document YAML stream. A syntax error spoils only the document
 * it is in: the stream is then re-read one document at a time.
 */
export function parseYamlStream(source: string): YamlDocument[] {
  try {
    return new Builder(source, parseEvents(source, { maxDepth: MAX_DEPTH })).documents(0);
  } catch (e) {
    if (!(e instanceof YAMLException)) throw e;
  }
  return parseChunked(source);
}

function parseChunked(source: string): YamlDocument[] {
  const docs: YamlDocument[] = [];
  const lines = source.split('\n');
  let chunkStart = 0;
  let offset = 0;
  const flush = (end: number) => {
    const text = source.slice(chunkStart, end);
    if (text.trim().length > 0 && !/^\s*(?:#.*)?$/s.test(text.replace(/^\s*#.*$/gm, ''))) {
      try {
        const parsed = new Builder(text, parseEvents(text, { maxDepth: MAX_DEPTH }), chunkStart).documents(
          docs.length,
        );
        for (const d of parsed) docs.push({ ...d, index: docs.length });
      } catch (e) {
        const offsetOfError = chunkStart + (e instanceof YAMLException && e.mark ? e.mark.position : 0);
        const reason = e instanceof YAMLException ? e.reason : String(e);
        docs.push({
          index: docs.length,
          start: chunkStart,
          value: undefined,
          warnings: [],
          error: { message: reason, offset: offsetOfError },
          size: 0,
          offsets: new WeakMap(),
        });
      }
    }
  };
  for (const line of lines) {
    if (SEPARATOR.test(line.replace(/\r$/, ''))) {
      flush(offset);
      chunkStart = offset + line.length + 1;
    }
    offset += line.length + 1;
  }
  flush(source.length);
  return docs;
}

/** Offsets recorded for a value, if it came from YAML. */
export function offsetsOf(doc: YamlDocument, value: object): NodeOffsets | undefined {
  return doc.offsets.get(value);
}

/**
 * The source offset of a field path inside a document's value: the key's offset
 * for a mapping entry, the item's offset for a sequence index. Falls back to the
 * closest enclosing node that exists.
 */
export function offsetOfPath(doc: YamlDocument, path: readonly (string | number)[]): number {
  let current: unknown = doc.value;
  let best = doc.start;
  for (const seg of path) {
    if (current === null || typeof current !== 'object') break;
    const info = doc.offsets.get(current);
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
