// The positions recorded while loading YAML: a compact array of entries (document
// roots, mapping entries, sequence items) in source order, and the walk that finds
// a field path's offset in it.

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
  /**
   * For large collections asked into (more than SCAN_LIMIT entries walked): their
   * items' entries, or their keys' last entries, found once rather than by a walk
   * per question (50,000 findings on one list of hosts made 1.25 billion steps).
   */
  children?: Map<number, Int32Array | Map<string, number>>;
}

/** Collections asked into past this many entries get an index of their children. */
const SCAN_LIMIT = 64;

export const NODE_SCALAR = 0;
export const NODE_MAPPING = 1;
export const NODE_SEQUENCE = 2;

export function newTrace(): Trace {
  return { offsets: new Int32Array(1024), spans: new Int32Array(1024), names: [], length: 0 };
}

/** Opens an entry; `closeEntry` records its extent once its value is built. */
export function openEntry(t: Trace, offset: number, name: string | undefined): number {
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

export function closeEntry(t: Trace, i: number, kind: number): void {
  t.spans[i] = (t.length - i) * 4 + kind;
}

/** Gives back the room left for growth once a stream is read. */
export function shrinkTrace(trace: Trace): void {
  if (trace.length < trace.offsets.length) {
    trace.offsets = trace.offsets.slice(0, trace.length);
    trace.spans = trace.spans.slice(0, trace.length);
  }
}

/** The entries of a sequence's items, or of a mapping's keys (the last of a repeated key), found once. */
function childrenOf(
  trace: Trace,
  entry: number,
  end: number,
  mapping: boolean,
): Int32Array | Map<string, number> {
  trace.children ??= new Map();
  let found = trace.children.get(entry);
  if (!found) {
    const { spans, names } = trace;
    if (mapping) {
      const keys = new Map<string, number>();
      for (let k = entry + 1; k < end; k += (spans[k] ?? 4) >> 2) keys.set(names[k] as string, k);
      found = keys;
    } else {
      let n = 0;
      for (let k = entry + 1; k < end; k += (spans[k] ?? 4) >> 2) n++;
      const items = new Int32Array(n);
      n = 0;
      for (let k = entry + 1; k < end; k += (spans[k] ?? 4) >> 2) items[n++] = k;
      found = items;
    }
    trace.children.set(entry, found);
  }
  return found;
}

/** offsetOfPath from a document's trace: the same walk over its compact entries. */
export function tracedOffset(
  trace: Trace,
  root: number,
  start: number,
  path: readonly (string | number)[],
): number {
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
      if (end - entry > SCAN_LIMIT)
        found = (childrenOf(trace, entry, end, true) as Map<string, number>).get(name) ?? -1;
      else for (let k = entry + 1; k < end; k += (spans[k] ?? 4) >> 2) if (names[k] === name) found = k;
      if (found < 0) break;
      best = offsets[found] ?? best;
      entry = found;
    } else if (kind === NODE_SEQUENCE) {
      const i = typeof seg === 'number' ? seg : Number(seg);
      if (!Number.isInteger(i) || i < 0) break;
      let item = entry + 1;
      if (end - entry > SCAN_LIMIT) item = (childrenOf(trace, entry, end, false) as Int32Array)[i] ?? end;
      else for (let n = 0; n < i && item < end; n++) item += (spans[item] ?? 4) >> 2;
      if (item >= end) break;
      best = offsets[item] ?? best;
      entry = item;
    } else break;
  }
  return best;
}
