// A small Markdown renderer for lab READMEs in the terminal: headings, paragraphs,
// bullet and numbered lists, fenced code blocks, block quotes, inline `code`,
// **bold**, *italic* and [links](url). Output is rows wrapped to the width.
import { clipLine, type Line, type Span, span, wrapLine } from './lines.ts';

/** Inline markup of one paragraph's text. */
export function inline(text: string, base: Omit<Span, 'text'> = {}): Line {
  const out: Line = [];
  const re =
    /`([^`]+)`|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\[([^\]]+)\]\(([^)]+)\)/g;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > at) out.push({ ...base, text: text.slice(at, m.index) });
    if (m[1] !== undefined) out.push({ ...base, text: m[1], tone: 'code' });
    else if (m[2] !== undefined || m[3] !== undefined)
      out.push({ ...base, text: m[2] ?? m[3] ?? '', bold: true });
    else if (m[4] !== undefined || m[5] !== undefined)
      out.push({ ...base, text: m[4] ?? m[5] ?? '', italic: true });
    else if (m[6] !== undefined) {
      out.push({ ...base, text: m[6] });
      if (m[7] && m[7] !== m[6]) out.push({ ...base, text: ` (${m[7]})`, tone: 'muted' });
    }
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ ...base, text: text.slice(at) });
  return out;
}

const BULLET = /^(\s*)([-*+])\s+(.*)$/;
const NUMBERED = /^(\s*)(\d+)[.)]\s+(.*)$/;
const FENCE = /^\s*(```|~~~)/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;

/** Renders Markdown to rows of at most `width` cells. */
export function renderMarkdown(markdown: string, width: number): Line[] {
  const w = Math.max(10, width);
  const out: Line[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  let paraPrefix: { first: string; hang: number; quote: boolean } | undefined;
  const blank = (): void => {
    if (out.length > 0 && out[out.length - 1]?.length !== 0) out.push([]);
  };
  const flush = (): void => {
    if (para.length === 0) return;
    const text = para.join(' ').replace(/\s+/g, ' ').trim();
    const prefix = paraPrefix;
    para = [];
    paraPrefix = undefined;
    if (!prefix) {
      out.push(...wrapLine(inline(text), w));
      return;
    }
    const body = inline(text, prefix.quote ? { tone: 'muted' } : {});
    const first: Line = [span(prefix.first, prefix.quote ? 'muted' : 'accent'), ...body];
    const rows = wrapLine(first, w, { hang: prefix.hang });
    if (prefix.quote) {
      for (const [i, r] of rows.entries()) {
        if (i > 0 && r[0]) r[0] = { ...r[0], text: r[0].text.replace(/^ {2}/, '│ '), tone: 'muted' };
      }
    }
    out.push(...rows);
  };
  let fence: string | undefined;
  for (const raw of lines) {
    if (fence) {
      if (raw.trim().startsWith(fence)) {
        fence = undefined;
        blank();
        continue;
      }
      out.push(clipLine([span(`  ${raw.replace(/\t/g, '  ')}`, 'code')], w));
      continue;
    }
    const f = FENCE.exec(raw);
    if (f) {
      flush();
      blank();
      fence = f[1];
      continue;
    }
    if (raw.trim() === '') {
      flush();
      blank();
      continue;
    }
    const h = HEADING.exec(raw);
    if (h) {
      flush();
      blank();
      const level = h[1]?.length ?? 1;
      out.push(...wrapLine(inline(h[2] ?? '', { tone: level === 1 ? 'title' : 'accent', bold: true }), w));
      if (level === 1) out.push([span('─'.repeat(Math.min(w, Math.max(10, (h[2] ?? '').length))), 'muted')]);
      out.push([]);
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(raw)) {
      flush();
      if (/^\s*\|[\s:|-]+\|\s*$/.test(raw)) continue; // table rule
      const cellsText = raw
        .trim()
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim());
      out.push(clipLine(inline(cellsText.join('  │  ')), w));
      continue;
    }
    const b = BULLET.exec(raw) ?? NUMBERED.exec(raw);
    if (b) {
      flush();
      const depth = Math.floor((b[1]?.length ?? 0) / 2);
      const marker = /\d/.test(b[2] ?? '') ? `${b[2]}. ` : '• ';
      const indent = '  '.repeat(depth);
      para = [b[3] ?? ''];
      paraPrefix = { first: `${indent}${marker}`, hang: indent.length + marker.length, quote: false };
      continue;
    }
    const q = /^\s*>\s?(.*)$/.exec(raw);
    if (q) {
      if (!paraPrefix?.quote) flush();
      para.push(q[1] ?? '');
      paraPrefix = { first: '│ ', hang: 2, quote: true };
      continue;
    }
    if (paraPrefix && /^\s+\S/.test(raw)) {
      para.push(raw.trim()); // continuation of a list item
      continue;
    }
    if (paraPrefix) flush();
    para.push(raw.trim());
  }
  flush();
  while (out.length > 0 && out[out.length - 1]?.length === 0) out.pop();
  return out;
}
