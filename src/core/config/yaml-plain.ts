// A reader for the plain YAML that large dumps are made of (kubectl, Helm, config
// generators): block mappings and sequences, one-line flow collections, one-line
// plain and simply quoted scalars, comments. It builds a document's value and records
// its positions in one pass over the text, without js-yaml's event object per node
// (half the loading time of a large dump). On anything else (anchors, aliases, tags,
// block or multi-line scalars, escapes, tabs, non-ASCII text, duplicate or merge keys,
// errors) it gives up and the document is read from js-yaml's events, which know all
// of YAML and say what is wrong. Same values, sizes and positions as that reader:
// test/config/yaml-plain.test.ts compares the two. This module reads the block
// structure across lines; yaml-plain-inline.ts what is within a line.
import type { YamlDocument } from './yaml.ts';
import { defineKey, MAX_EXPANDED_NODES } from './yaml-events.ts';
import { isPlainAscii, MAX_PLAIN_DEPTH, NOT_PLAIN, PlainInlineReader } from './yaml-plain-inline.ts';
import { closeEntry, NODE_MAPPING, NODE_SCALAR, NODE_SEQUENCE, openEntry, type Trace } from './yaml-trace.ts';

export { isPlainAscii };

// Character codes, module-local like yaml-plain-inline.ts's: an imported binding costs
// a load and a check on each use in the inner loops.
const NL = 10;
const SPACE = 32;
const HASH = 35;
const DASH = 45;
const DQUOTE = 34;
const SQUOTE = 39;
const LBRACKET = 91;
const LBRACE = 123;

class PlainReader extends PlainInlineReader {
  /** The document's root node, from the first content line. */
  root(depth: number): unknown {
    return this.blockNode(this.next, this.nextIndent, depth);
  }

  /** A node starting at content position `p` of column `indent`: a block collection or an inline value. */
  private blockNode(p: number, indent: number, depth: number): unknown {
    if (depth > MAX_PLAIN_DEPTH) throw NOT_PLAIN;
    const c = this.s.charCodeAt(p);
    if (this.isDash(p)) return this.blockSequence(p, indent, depth);
    if (c === LBRACKET || c === LBRACE) {
      const v = this.flowNode(p, depth);
      this.endLine(this.pos);
      return v;
    }
    if (this.keyEnd(p) >= 0) return this.blockMapping(p, indent, depth);
    const v = this.inlineScalar(p);
    this.endLine(this.pos);
    return v;
  }

  private blockMapping(first: number, indent: number, depth: number): Record<string, unknown> {
    const s = this.s;
    const trace = this.trace;
    const obj: Record<string, unknown> = {};
    let size = 1;
    let p = first;
    for (;;) {
      const colon = this.keyEnd(p);
      if (colon < 0) throw NOT_PLAIN;
      const key = this.keyName(p, colon);
      if (key === '<<' || Object.hasOwn(obj, key)) throw NOT_PLAIN;
      const quoted = s.charCodeAt(p) === DQUOTE || s.charCodeAt(p) === SQUOTE;
      const entry = openEntry(trace, (quoted ? p + 1 : p) + this.base, key);
      let i = colon + 1;
      while (i < this.n && s.charCodeAt(i) === SPACE) i++;
      const c = this.c(i);
      let v: unknown;
      if (c === NL || (c === HASH && i > colon + 1)) {
        // the value is on the lines below (more indented, or a sequence at this indent), or null
        const end = c === NL ? i : s.indexOf('\n', i);
        this.findContent(end < 0 ? this.n : end + 1);
        const q = this.next;
        if (q < this.n && this.nextIndent > indent) v = this.blockNode(q, this.nextIndent, depth + 1);
        else if (q < this.n && this.nextIndent === indent && this.isDash(q))
          v = this.blockSequence(q, indent, depth + 1);
        else {
          v = null;
          this.kind = NODE_SCALAR;
          this.size = 1;
        }
      } else {
        v = this.inlineValue(i, depth + 1);
        this.endLine(this.pos);
      }
      closeEntry(trace, entry, this.kind);
      size += this.size + 1;
      defineKey(obj, key, v);
      if (this.next >= this.n || this.nextIndent < indent) break;
      if (this.nextIndent > indent) throw NOT_PLAIN;
      p = this.next;
    }
    this.start = first;
    this.kind = NODE_MAPPING;
    this.size = size;
    return obj;
  }

  private blockSequence(first: number, indent: number, depth: number): unknown[] {
    const s = this.s;
    const trace = this.trace;
    const arr: unknown[] = [];
    let size = 1;
    let p = first;
    for (;;) {
      let i = p + 1;
      while (i < this.n && s.charCodeAt(i) === SPACE) i++;
      const c = this.c(i);
      const entry = openEntry(trace, 0, undefined);
      let v: unknown;
      if (c === NL || (c === HASH && i > p + 1)) {
        const end = c === NL ? i : s.indexOf('\n', i);
        this.findContent(end < 0 ? this.n : end + 1);
        if (this.next >= this.n || this.nextIndent <= indent) throw NOT_PLAIN; // an empty item
        v = this.blockNode(this.next, this.nextIndent, depth + 1);
      } else if (this.isDash(i)) throw NOT_PLAIN;
      else if (c !== LBRACKET && c !== LBRACE && this.keyEnd(i) >= 0)
        v = this.blockMapping(i, indent + (i - p), depth + 1);
      else {
        v = this.inlineValue(i, depth + 1);
        this.endLine(this.pos);
      }
      trace.offsets[entry] = this.start + this.base;
      closeEntry(trace, entry, this.kind);
      size += this.size;
      arr.push(v);
      if (this.next >= this.n || this.nextIndent < indent) break;
      if (this.nextIndent > indent) throw NOT_PLAIN;
      if (!this.isDash(this.next)) break; // the mapping holding this sequence goes on
      p = this.next;
    }
    this.start = first;
    this.kind = NODE_SEQUENCE;
    this.size = size;
    return arr;
  }

  /** A value that ends on its own line: a flow collection or a scalar. */
  private inlineValue(i: number, depth: number): unknown {
    const c = this.s.charCodeAt(i);
    if (c === LBRACKET || c === LBRACE) return this.flowNode(i, depth);
    if (c === DASH && this.isDash(i)) throw NOT_PLAIN;
    return this.inlineScalar(i);
  }
}

/**
 * One document's chunk of a stream read without parser events, its positions added
 * to `trace`; undefined (and the trace as it was) when the text is not plain YAML.
 */
export function readPlainDocument(
  text: string,
  base: number,
  trace: Trace,
  ascii = isPlainAscii(text),
): YamlDocument | undefined {
  if (!ascii) return undefined;
  const reader = new PlainReader(text, base, trace);
  if (!reader.begin()) return undefined;
  const mark = trace.length;
  try {
    const root = openEntry(trace, 0, undefined);
    const value = reader.root(0);
    if (reader.rest < text.length || reader.rootSize > MAX_EXPANDED_NODES) throw NOT_PLAIN;
    const start = reader.rootStart + base;
    trace.offsets[root] = start;
    closeEntry(trace, root, reader.rootKind);
    return {
      index: 0,
      start,
      value,
      warnings: [],
      size: reader.rootSize,
      text,
      base,
      trace,
      traceRoot: root,
    };
  } catch (e) {
    if (e !== NOT_PLAIN) throw e;
    trace.length = mark;
    trace.names.length = mark;
    return undefined;
  }
}
