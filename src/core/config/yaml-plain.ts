// A reader for the plain YAML that large dumps are made of (kubectl, Helm, config
// generators): block mappings and sequences, one-line flow collections, one-line
// plain and simply quoted scalars, comments. It builds a document's value and records
// its positions in one pass over the text, without js-yaml's event object per node
// (half the loading time of a large dump). On anything else (anchors, aliases, tags,
// block or multi-line scalars, escapes, tabs, non-ASCII text, duplicate or merge keys,
// errors) it gives up and the document is read from js-yaml's events, which know all
// of YAML and say what is wrong. Same values, sizes and positions as that reader:
// test/config/yaml-plain.test.ts compares the two.
import type { YamlDocument } from './yaml.ts';
import { defineKey, MAX_EXPANDED_NODES } from './yaml-events.ts';
import { resolvePlain } from './yaml-scalars.ts';
import { closeEntry, NODE_MAPPING, NODE_SCALAR, NODE_SEQUENCE, openEntry, type Trace } from './yaml-trace.ts';

/** Thrown to unwind when the text is not plain YAML; caught in readPlainDocument. */
class NotPlain {}
const NOT_PLAIN = new NotPlain();

/** Deeper documents go to the event reader, which enforces the nesting limits. */
const MAX_PLAIN_DEPTH = 100;

/** Tabs, carriage returns, control and non-ASCII characters: left to js-yaml. */
const NOT_PRINTABLE_ASCII = /[^\n\x20-\x7e]/;

/** Is all of `text` printable ASCII (and newlines)? Asked once of a whole stream, its documents need not be asked. */
export function isPlainAscii(text: string): boolean {
  return !NOT_PRINTABLE_ASCII.test(text);
}

const NL = 10;
const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const COMMA = 44;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

/** Characters that cannot start a plain scalar here (or start something this reader leaves alone). */
function isIndicator(c: number): boolean {
  return (
    c === 38 || // & anchor
    c === 42 || // * alias
    c === 33 || // ! tag
    c === 124 || // | literal
    c === 62 || // > folded
    c === 37 || // % directive
    c === 64 || // @ reserved
    c === 96 || // ` reserved
    c === 63 || // ? complex key
    c === COLON ||
    c === COMMA ||
    c === LBRACKET ||
    c === RBRACKET ||
    c === LBRACE ||
    c === RBRACE ||
    c === HASH ||
    c === DQUOTE ||
    c === SQUOTE
  );
}

function isFlowEnd(c: number): boolean {
  return c === COMMA || c === RBRACKET || c === RBRACE;
}

class PlainReader {
  private readonly s: string;
  private readonly n: number;
  private readonly base: number;
  private readonly trace: Trace;
  /** where the text after the node last read goes on (inline values) */
  private pos = 0;
  /** the node last read: its start, its kind (NODE_*), its size in nodes */
  private start = 0;
  private kind = NODE_SCALAR;
  private size = 0;
  /** after a block node: the next content line's first character (n at the end) and its column */
  private next = 0;
  private nextIndent = 0;

  constructor(s: string, base: number, trace: Trace) {
    this.s = s;
    this.n = s.length;
    this.base = base;
    this.trace = trace;
  }

  private c(i: number): number {
    return i < this.n ? this.s.charCodeAt(i) : NL;
  }

  /** From a line start, past blank and comment lines: sets next/nextIndent. */
  private findContent(lineStart: number): void {
    const s = this.s;
    let p = lineStart;
    while (p < this.n) {
      let i = p;
      while (i < this.n && s.charCodeAt(i) === SPACE) i++;
      if (i >= this.n) break;
      const c = s.charCodeAt(i);
      if (c === NL || c === HASH) {
        const end = c === NL ? i : s.indexOf('\n', i);
        if (end < 0) break;
        p = end + 1;
        continue;
      }
      this.next = i;
      this.nextIndent = i - p;
      return;
    }
    this.next = this.n;
    this.nextIndent = -1;
  }

  /** The rest of the line after an inline value is blank or a comment; then find the next content. */
  private endLine(i: number): void {
    const s = this.s;
    let j = i;
    while (j < this.n && s.charCodeAt(j) === SPACE) j++;
    if (j >= this.n) {
      this.findContent(this.n);
      return;
    }
    const c = s.charCodeAt(j);
    if (c === HASH && j > i) {
      const end = s.indexOf('\n', j);
      this.findContent(end < 0 ? this.n : end + 1);
    } else if (c === NL) this.findContent(j + 1);
    else throw NOT_PLAIN;
  }

  /** Is a block sequence item's dash at `i` ("- " or "-" at the line's end)? */
  private isDash(i: number): boolean {
    if (this.c(i) !== DASH) return false;
    const d = this.c(i + 1);
    return d === SPACE || d === NL;
  }

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

  /**
   * Where the `:` of a mapping key starting at `p` is, or -1 when the line does not
   * start with a key this reader knows (plain without spaces, or simply quoted).
   */
  private keyEnd(p: number): number {
    const s = this.s;
    const c = s.charCodeAt(p);
    let i: number;
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.quoteEnd(p);
      if (close < 0) return -1;
      i = close + 1;
    } else {
      if (isIndicator(c) || (c === DASH && this.isDash(p))) return -1;
      i = p;
      for (;;) {
        if (i >= this.n) return -1;
        const d = s.charCodeAt(i);
        if (d === NL || d === SPACE || isFlowEnd(d) || d === LBRACKET || d === LBRACE) return -1;
        if (d === COLON) {
          const e = this.c(i + 1);
          if (e === SPACE || e === NL) break;
        }
        i++;
      }
    }
    if (this.c(i) !== COLON) return -1;
    const e = this.c(i + 1);
    return e === SPACE || e === NL ? i : -1;
  }

  /** The closing quote of a one-line quoted scalar at `p` without escapes, or -1. */
  private quoteEnd(p: number): number {
    const s = this.s;
    const q = s.charCodeAt(p);
    for (let i = p + 1; i < this.n; i++) {
      const d = s.charCodeAt(i);
      if (d === NL) return -1;
      if (d === BACKSLASH && q === DQUOTE) return -1;
      if (d === q) return q === SQUOTE && this.c(i + 1) === SQUOTE ? -1 : i;
    }
    return -1;
  }

  /** A mapping key's name as the event reader writes it (a plain key resolved, then made a string). */
  private keyName(p: number, colon: number): string {
    const c = this.s.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) return this.s.slice(p + 1, colon - 1);
    const k = resolvePlain(this.s.slice(p, colon));
    return k === null ? 'null' : String(k);
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

  /** A one-line scalar in block context: quoted, or plain up to a comment or the line's end. */
  private inlineScalar(i: number): unknown {
    const s = this.s;
    const c = s.charCodeAt(i);
    this.kind = NODE_SCALAR;
    this.size = 1;
    if (c === DQUOTE || c === SQUOTE) return this.quoted(i);
    if (isIndicator(c)) throw NOT_PLAIN;
    let j = i;
    let end = i;
    for (; j < this.n; j++) {
      const d = s.charCodeAt(j);
      if (d === NL) break;
      if (d === COLON) {
        const e = this.c(j + 1);
        if (e === SPACE || e === NL) throw NOT_PLAIN; // a key where a value was expected
      } else if (d === HASH && s.charCodeAt(j - 1) === SPACE) break;
      if (d !== SPACE) end = j + 1;
    }
    this.start = i;
    this.pos = end;
    return resolvePlain(s.slice(i, end));
  }

  private quoted(i: number): string {
    const close = this.quoteEnd(i);
    if (close < 0) throw NOT_PLAIN;
    this.start = i + 1;
    this.kind = NODE_SCALAR;
    this.size = 1;
    this.pos = close + 1;
    return this.s.slice(i + 1, close);
  }

  private skipSpaces(i: number): number {
    let j = i;
    while (j < this.n && this.s.charCodeAt(j) === SPACE) j++;
    return j;
  }

  /** A flow collection on one line, `[a, "b", {c: d}]` or `{a: 1, b: [x]}`; `pos` is left after it. */
  private flowNode(open: number, depth: number): unknown {
    if (depth > MAX_PLAIN_DEPTH) throw NOT_PLAIN;
    const s = this.s;
    const trace = this.trace;
    const mapping = s.charCodeAt(open) === LBRACE;
    const close = mapping ? RBRACE : RBRACKET;
    const arr: unknown[] | undefined = mapping ? undefined : [];
    const obj: Record<string, unknown> | undefined = mapping ? {} : undefined;
    let size = 1;
    let i = this.skipSpaces(open + 1);
    if (this.c(i) === close) i++;
    else
      for (;;) {
        if (obj) {
          const c = this.c(i);
          let colon: number;
          if (c === DQUOTE || c === SQUOTE) {
            colon = this.quoteEnd(i) + 1;
            if (colon === 0 || this.c(colon) !== COLON) throw NOT_PLAIN;
          } else {
            if (isIndicator(c) || c === DASH || c === SPACE || c === NL) throw NOT_PLAIN;
            colon = i;
            for (;;) {
              const d = this.c(colon);
              if (d === NL || d === SPACE || isFlowEnd(d) || d === LBRACKET || d === LBRACE) throw NOT_PLAIN;
              if (d === COLON && this.c(colon + 1) === SPACE) break;
              colon++;
            }
          }
          if (this.c(colon + 1) !== SPACE) throw NOT_PLAIN;
          const key = this.keyName(i, colon);
          if (key === '<<' || Object.hasOwn(obj, key)) throw NOT_PLAIN;
          const entry = openEntry(trace, (c === DQUOTE || c === SQUOTE ? i + 1 : i) + this.base, key);
          const v = this.flowItem(this.skipSpaces(colon + 1), depth + 1);
          closeEntry(trace, entry, this.kind);
          size += this.size + 1;
          defineKey(obj, key, v);
        } else if (arr) {
          const entry = openEntry(trace, 0, undefined);
          const v = this.flowItem(i, depth + 1);
          trace.offsets[entry] = this.start + this.base;
          closeEntry(trace, entry, this.kind);
          size += this.size;
          arr.push(v);
        }
        i = this.skipSpaces(this.pos);
        const d = this.c(i);
        if (d === close) {
          i++;
          break;
        }
        if (d !== COMMA) throw NOT_PLAIN;
        i = this.skipSpaces(i + 1);
        if (this.c(i) === close) throw NOT_PLAIN; // a trailing comma
      }
    this.pos = i;
    this.start = open;
    this.kind = mapping ? NODE_MAPPING : NODE_SEQUENCE;
    this.size = size;
    return obj ?? arr;
  }

  /** An item of a flow collection: a nested one, a quoted scalar or a plain one up to `,`, `]` or `}`. */
  private flowItem(i: number, depth: number): unknown {
    const s = this.s;
    const c = this.c(i);
    if (c === LBRACKET || c === LBRACE) return this.flowNode(i, depth);
    if (c === DQUOTE || c === SQUOTE) return this.quoted(i);
    if (isIndicator(c) || c === NL || c === SPACE || (c === DASH && this.c(i + 1) === SPACE)) throw NOT_PLAIN;
    let j = i;
    let end = i;
    for (; j < this.n; j++) {
      const d = s.charCodeAt(j);
      if (d === NL || isFlowEnd(d) || d === LBRACKET || d === LBRACE) break;
      if (d === COLON) {
        const e = this.c(j + 1);
        if (e === SPACE || e === NL || isFlowEnd(e)) throw NOT_PLAIN; // an implicit key
      } else if (d === HASH && s.charCodeAt(j - 1) === SPACE) throw NOT_PLAIN;
      if (d !== SPACE) end = j + 1;
    }
    this.start = i;
    this.kind = NODE_SCALAR;
    this.size = 1;
    this.pos = end;
    return resolvePlain(s.slice(i, end));
  }

  /** The first content after an optional bare `---` line; false when there is none. */
  begin(): boolean {
    const s = this.s;
    let p = 0;
    if (s.startsWith('...')) return false;
    if (s.startsWith('---')) {
      const end = s.indexOf('\n');
      const line = end < 0 ? s.slice(3) : s.slice(3, end);
      if (line.trim() !== '') return false;
      p = end < 0 ? this.n : end + 1;
    }
    this.findContent(p);
    return this.next < this.n;
  }

  get rootStart(): number {
    return this.start;
  }

  get rootKind(): number {
    return this.kind;
  }

  get rootSize(): number {
    return this.size;
  }

  get rest(): number {
    return this.next;
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
