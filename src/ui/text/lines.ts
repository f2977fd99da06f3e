// Styled text as terminal rows. Long content (a README, feedback, findings) is
// wrapped here to the current width, so that screens can show exactly the rows
// that fit and scroll through the rest, at 80×24 or after a resize.
import type { Tone } from '../theme.ts';

export interface Span {
  text: string;
  tone?: Tone;
  bold?: boolean;
  italic?: boolean;
  inverse?: boolean;
}

/** One row's worth of spans (before wrapping it may be longer than the width). */
export type Line = Span[];

export const span = (text: string, tone?: Tone, extra: Omit<Span, 'text' | 'tone'> = {}): Span =>
  tone ? { text, tone, ...extra } : { text, ...extra };

/** Terminal cells of a string (the trainer's own text is single-width). */
export function cells(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    // combining marks and zero-width joiners take no cell
    if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    n += cp >= 0x1100 && isWide(cp) ? 2 : 1;
  }
  return n;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff)
  );
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** Cuts a string to at most `width` cells, with an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (cells(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = cells(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

/** Cuts a line to `width` cells (no wrapping: code and tables). */
export function clipLine(line: Line, width: number): Line {
  const out: Line = [];
  let left = width;
  for (const s of line) {
    if (left <= 0) break;
    const w = cells(s.text);
    if (w <= left) {
      out.push(s);
      left -= w;
    } else {
      out.push({ ...s, text: truncate(s.text, left) });
      left = 0;
    }
  }
  return out;
}

export interface WrapOptions {
  /** spaces before every continuation row (hanging indent of list items) */
  hang?: number;
}

/**
 * Word-wraps a line to `width` cells. Words longer than a row are broken;
 * spaces at a break are dropped; styles carry over to the next row.
 */
export function wrapLine(line: Line, width: number, options: WrapOptions = {}): Line[] {
  const w = Math.max(1, width);
  const hang = Math.min(options.hang ?? 0, Math.floor(w / 2));
  const rows: Line[] = [];
  let row: Line = [];
  let used = 0;
  const push = (s: Span, text: string): void => {
    const last = row[row.length - 1];
    if (
      last &&
      last.tone === s.tone &&
      last.bold === s.bold &&
      last.italic === s.italic &&
      last.inverse === s.inverse
    )
      last.text += text;
    else row.push({ ...s, text });
    used += cells(text);
  };
  const newRow = (): void => {
    // drop trailing spaces of the finished row
    const last = row[row.length - 1];
    if (last) last.text = last.text.replace(/ +$/, '');
    rows.push(row.filter((s) => s.text !== ''));
    row = hang ? [{ text: ' '.repeat(hang) }] : [];
    used = hang;
  };
  for (const s of line) {
    for (const token of s.text.match(/\s+|\S+/g) ?? []) {
      const isSpace = /^\s+$/.test(token);
      const tw = cells(token);
      if (isSpace) {
        if (used === (rows.length ? hang : 0) && rows.length) continue; // no leading spaces after a break
        if (used + tw > w) {
          newRow();
          continue;
        }
        push(s, token);
        continue;
      }
      if (used + tw <= w) {
        push(s, token);
        continue;
      }
      if (tw <= w - hang && used > (rows.length ? hang : 0)) {
        newRow();
        push(s, token);
        continue;
      }
      // a word longer than a row: break it
      let rest = token;
      while (rest) {
        const room = w - used;
        if (room <= 0) {
          newRow();
          continue;
        }
        let piece = '';
        let pw = 0;
        for (const ch of rest) {
          const cw = cells(ch);
          if (pw + cw > room) break;
          piece += ch;
          pw += cw;
        }
        if (!piece) {
          newRow();
          continue;
        }
        push(s, piece);
        rest = rest.slice(piece.length);
        if (rest) newRow();
      }
    }
  }
  const last = row[row.length - 1];
  if (last) last.text = last.text.replace(/ +$/, '');
  rows.push(row.filter((s) => s.text !== ''));
  return rows;
}

/** Wraps plain text (several paragraphs separated by newlines) in one tone. */
export function wrapText(text: string, width: number, tone?: Tone, options: WrapOptions = {}): Line[] {
  return text
    .replace(/\s+$/, '')
    .split('\n')
    .flatMap((l) => (l.trim() === '' ? [[]] : wrapLine([span(l, tone)], width, options)));
}

/** Wraps every line of a block. */
export function wrapAll(lines: readonly Line[], width: number): Line[] {
  return lines.flatMap((l) => (l.length === 0 ? [[]] : wrapLine(l, width)));
}
