// Rows of styled spans (see text/lines.ts) as ink Text, coloured by tone.
import { Box, Text } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import { type Line, lineText } from '../text/lines.ts';
import { type Theme, type Tone, useTheme } from '../theme.ts';

function spanProps(
  theme: Theme,
  tone: Tone | undefined,
  extra: { bold?: boolean; italic?: boolean; inverse?: boolean },
) {
  const style = tone ? theme.style(tone) : {};
  return {
    ...(style.color ? { color: style.color } : {}),
    ...(style.dimColor ? { dimColor: true } : {}),
    ...(style.bold || extra.bold ? { bold: true } : {}),
    ...(extra.italic ? { italic: true } : {}),
    ...(extra.inverse ? { inverse: true } : {}),
  };
}

/** One row; never wraps (rows are wrapped before they get here). */
export function StyledLine({ line }: { line: Line }): ReactElement {
  const theme = useTheme();
  if (line.length === 0) return h(Text, null, ' ');
  return h(
    Text,
    { wrap: 'truncate-end' },
    ...line.map((s, i) => h(Text, { key: i, ...spanProps(theme, s.tone, s) }, s.text)),
  );
}

/** A toned text (a convenience for one-span rows). */
export function Toned({
  tone,
  bold,
  wrap = false,
  children,
}: {
  tone?: Tone;
  bold?: boolean;
  /** wrap onto further rows instead of cutting */
  wrap?: boolean;
  children?: string | number | (string | number)[];
}): ReactElement {
  const theme = useTheme();
  const text = Array.isArray(children) ? children.join('') : String(children ?? '');
  return h(
    Text,
    { wrap: wrap ? 'wrap' : 'truncate-end', ...spanProps(theme, tone, bold ? { bold } : {}) },
    text,
  );
}

/** `height` rows of `lines` from `offset` (the rest is scrolled away). */
export function LinesView({
  lines,
  offset = 0,
  height,
}: {
  lines: readonly Line[];
  offset?: number;
  height: number;
}): ReactElement {
  const shown = lines.slice(offset, offset + Math.max(0, height));
  return h(
    Box,
    { flexDirection: 'column', height: Math.max(0, height), overflow: 'hidden' },
    ...shown.map((l, i) => h(StyledLine, { key: `${offset + i}:${lineText(l)}`, line: l })),
  );
}

/** "lines 1-18 of 40" when not everything fits, else ''. */
export function scrollNote(offset: number, height: number, total: number): string {
  if (total <= height) return '';
  const last = Math.min(total, offset + height);
  return `${offset + 1}-${last} of ${total} ↑↓`;
}

/** " · more ↓" while rows remain below, " · more ↑" at the end of a scrolled list, else "". */
export function moreNote(offset: number, height: number, total: number): string {
  const below = offset + height < total;
  const above = offset > 0;
  if (below && above) return ' · more ↑↓';
  if (below) return ' · more ↓';
  return above ? ' · more ↑' : '';
}
