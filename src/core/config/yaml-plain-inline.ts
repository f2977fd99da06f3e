// What the plain YAML reader (yaml-plain.ts) reads within one line: blank and comment
// lines, mapping keys, plain and simply quoted scalars, one-line flow collections, and
// the reader's state. PlainReader extends this class with the block structure across
// lines; only that one class is ever built, so these methods stay monomorphic.
import { defineKey } from './yaml-events.ts';
import { resolvePlain } from './yaml-scalars.ts';
import { closeEntry, NODE_MAPPING, NODE_SCALAR, NODE_SEQUENCE, openEntry, type Trace } from './yaml-trace.ts';

/** Thrown to unwind when the text is not plain YAML; caught in readPlainDocument. */
class NotPlain {}
export const NOT_PLAIN = new NotPlain();

/** Deeper documents go to the event reader, which enforces the nesting limits. */
export const MAX_PLAIN_DEPTH = 100;

/** Tabs, carriage returns, control and non-ASCII characters: left to js-yaml. */
const NOT_PRINTABLE_ASCII = /[^\n\x20-\x7e]/;

/** Is all of `text` printable ASCII (and newlines)? Asked once of a whole stream, its documents need not be asked. */
export function isPlainAscii(text: string): boolean {
  return !NOT_PRINTABLE_ASCII.test(text);
}

// Character codes, module-local (yaml-plain.ts has its own copies): an imported binding
// costs a load and a check on each use in the inner loops.
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

/** May this follow a leading `-` of a plain scalar in a flow collection (YAML's ns-plain-safe-in)? */
function isFlowSafe(c: number): boolean {
  return c !== SPACE && c !== NL && c !== 9 && !isFlowEnd(c) && c !== LBRACKET && c !== LBRACE;
}

function isFlowEnd(c: number): boolean {
  return c === COMMA || c === RBRACKET || c === RBRACE;
}

export class PlainInlineReader {
  protected readonly s: string;
  protected readonly n: number;
  protected readonly base: number;
  protected readonly trace: Trace;
  /** where the text after the node last read goes on (inline values) */
  protected pos = 0;
  /** the node last read: its start, its kind (NODE_*), its size in nodes */
  protected start = 0;
  protected kind = NODE_SCALAR;
  protected size = 0;
  /** after a block node: the next content line's first character (n at the end) and its column */
  protected next = 0;
  protected nextIndent = 0;

  constructor(s: string, base: number, trace: Trace) {
    this.s = s;
    this.n = s.length;
    this.base = base;
    this.trace = trace;
  }

  protected c(i: number): number {
    return i < this.n ? this.s.charCodeAt(i) : NL;
  }

  /** From a line start, past blank and comment lines: sets next/nextIndent. */
  protected findContent(lineStart: number): void {
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
  protected endLine(i: number): void {
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
  protected isDash(i: number): boolean {
    if (this.c(i) !== DASH) return false;
    const d = this.c(i + 1);
    return d === SPACE || d === NL;
  }

  /**
   * Where the `:` of a mapping key starting at `p` is, or -1 when the line does not
   * start with a key this reader knows (plain without spaces, or simply quoted).
   */
  protected keyEnd(p: number): number {
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
  protected quoteEnd(p: number): number {
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
  protected keyName(p: number, colon: number): string {
    const c = this.s.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) return this.s.slice(p + 1, colon - 1);
    const k = resolvePlain(this.s.slice(p, colon));
    return k === null ? 'null' : String(k);
  }

  /** A one-line scalar in block context: quoted, or plain up to a comment or the line's end. */
  protected inlineScalar(i: number): unknown {
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

  protected quoted(i: number): string {
    const close = this.quoteEnd(i);
    if (close < 0) throw NOT_PLAIN;
    this.start = i + 1;
    this.kind = NODE_SCALAR;
    this.size = 1;
    this.pos = close + 1;
    return this.s.slice(i + 1, close);
  }

  protected skipSpaces(i: number): number {
    let j = i;
    while (j < this.n && this.s.charCodeAt(j) === SPACE) j++;
    return j;
  }

  /** A flow collection on one line, `[a, "b", {c: d}]` or `{a: 1, b: [x]}`; `pos` is left after it. */
  protected flowNode(open: number, depth: number): unknown {
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
  protected flowItem(i: number, depth: number): unknown {
    const s = this.s;
    const c = this.c(i);
    if (c === LBRACKET || c === LBRACE) return this.flowNode(i, depth);
    if (c === DQUOTE || c === SQUOTE) return this.quoted(i);
    // a dash starts a plain scalar only before a character safe in flow (`{h: -}` is an error)
    if (isIndicator(c) || c === NL || c === SPACE || (c === DASH && !isFlowSafe(this.c(i + 1))))
      throw NOT_PLAIN;
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
