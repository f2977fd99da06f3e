// Scalars and positions for the YAML loader: YAML 1.2 core-schema resolution of
// plain scalars, tags, and offset -> line:column.
import { getScalarValue, type ScalarEvent } from 'js-yaml';

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

export function scalarValue(source: string, ev: ScalarEvent): unknown {
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
