// Building values from js-yaml's parser events (see shared/measurements.md: js-yaml
// is ~7x faster than `yaml` on large dumps) with our own small constructor: the
// first reading records positions in a Trace, a re-reading records them per node.
import { EVENT_ID, type Event } from 'js-yaml';
import type { YamlDocument } from './yaml.ts';
import { scalarValue } from './yaml-scalars.ts';
import { closeEntry, NODE_MAPPING, NODE_SCALAR, NODE_SEQUENCE, openEntry, type Trace } from './yaml-trace.ts';

/** Where a mapping's keys and a sequence's items start in the source. */
export interface NodeOffsets {
  start: number;
  /** mapping: key names in order; sequence: undefined */
  keys?: string[];
  /** mapping: offset of each key; sequence: offset of each item */
  offsets: number[];
  /** mapping: offset of each value */
  valueOffsets?: number[];
}

function kindOf(ev: Event | undefined): number {
  return ev?.type === EVENT_ID.MAPPING
    ? NODE_MAPPING
    : ev?.type === EVENT_ID.SEQUENCE
      ? NODE_SEQUENCE
      : NODE_SCALAR;
}

/** Documents larger than this (after expanding aliases) are refused: alias bombs. */
export const MAX_EXPANDED_NODES = 2_000_000;
export const MAX_DEPTH = 200;

export class Builder {
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
        const root = trace ? openEntry(trace, doc.start, undefined) : 0;
        if (trace) doc.traceRoot = root;
        try {
          doc.value = this.node(doc, anchors, 0);
          doc.size = this.lastSize;
          if (trace) closeEntry(trace, root, kindOf(next));
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
          const entry = trace ? openEntry(trace, this.at(item), undefined) : 0;
          arr.push(this.node(doc, anchors, depth + 1));
          if (trace) closeEntry(trace, entry, kindOf(item));
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
          const entry = trace ? openEntry(trace, keyOffset, key) : 0;
          const v = this.node(doc, anchors, depth + 1);
          if (trace) closeEntry(trace, entry, kindOf(valueEvent));
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

export class LoadLimitError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

// `__proto__` as a YAML key must become a plain own property, not a prototype.
export function defineKey(obj: Record<string, unknown>, key: string, value: unknown): void {
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
