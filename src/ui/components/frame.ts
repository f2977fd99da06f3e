// The layout of every screen: a title row, an optional message, the body (its
// size is known to the screen, so it can wrap and scroll to fit), and the footer
// of the keys that work now. Fills the terminal and follows resizes.
import { Box, Text, useWindowSize } from 'ink';
import { createElement as h, type ReactElement, type ReactNode } from 'react';
import { useActiveKeys } from '../hooks/use-keys.ts';
import { useNotices } from '../hooks/use-notices.ts';
import type { ActionName, FooterRename } from '../keys.ts';
import { fitFooter, footerItems } from '../keys.ts';
import { type Line, truncate, wrapText } from '../text/lines.ts';
import { type Tone, useTheme } from '../theme.ts';
import { LinesView, Toned } from './styled.ts';

export interface BodySize {
  width: number;
  height: number;
}

/** The smallest terminal the layout is made for. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;

export interface Layout extends BodySize {
  rows: number;
  /** the app's notices, wrapped (at most 3 rows) */
  noticeLines: Line[];
}

/** The terminal's size and how much of it the body gets: the same numbers for the frame and the screen. */
export function useLayout(): Layout {
  const { columns, rows } = useWindowSize();
  const notices = useNotices();
  const width = Math.max(MIN_COLUMNS, columns);
  const total = Math.max(MIN_ROWS, rows);
  const noticeLines = notices.list.length ? wrapText(notices.list.join(' '), width, 'warn').slice(0, 3) : [];
  // title, a blank row, the body, the footer
  return { width, rows: total, noticeLines, height: Math.max(1, total - 3 - noticeLines.length) };
}

/** The body's size, for screens that wrap and scroll their content to fit. */
export function useBodySize(): BodySize {
  const { width, height } = useLayout();
  return { width, height };
}

export function Footer({ width }: { width: number }): ReactElement {
  const entries = useActiveKeys();
  const scope: ActionName[] = [];
  const rename: Partial<Record<ActionName, FooterRename>> = {};
  for (const e of entries) {
    for (const name of e.scope) {
      if (scope.includes(name)) continue;
      scope.push(name);
      const r = e.rename?.[name];
      if (r) rename[name] = r;
    }
  }
  const items = fitFooter(footerItems(scope, rename), width);
  const parts: ReactNode[] = [];
  let used = 0;
  for (const [i, item] of items.entries()) {
    const text = `${item.keys} ${item.does}`;
    const need = text.length + (i ? 2 : 0);
    if (used + need > width) break;
    if (i) parts.push(h(Text, { key: `s${i}` }, '  '));
    parts.push(
      h(Text, { key: `k${i}`, bold: true }, item.keys),
      h(Text, { key: `d${i}`, dimColor: true }, ` ${item.does}`),
    );
    used += need;
  }
  return h(Text, { wrap: 'truncate-end' }, ...parts);
}

export function Frame({
  title,
  status,
  statusTone,
  children,
}: {
  title: string;
  /** right side of the title row (a countdown, progress through a session) */
  status?: string;
  /** colour of the status (default dim) */
  statusTone?: Tone;
  children?: ReactNode;
}): ReactElement {
  const { width, rows, height, noticeLines } = useLayout();
  const theme = useTheme();
  const right = status ? truncate(status, Math.max(0, width - 20)) : '';
  const left = truncate(title, Math.max(10, width - right.length - 2));
  const titleStyle = theme.style('title');
  return h(
    Box,
    { flexDirection: 'column', width, height: rows },
    h(
      Box,
      { justifyContent: 'space-between', width },
      h(Text, { bold: true, ...(titleStyle.color ? { color: titleStyle.color } : {}) }, left),
      statusTone ? h(Toned, { tone: statusTone, bold: true }, right) : h(Text, { dimColor: true }, right),
    ),
    noticeLines.length ? h(LinesView, { lines: noticeLines, height: noticeLines.length }) : null,
    h(Box, { flexDirection: 'column', height, width, marginTop: 1, overflow: 'hidden' }, children),
    h(Box, { width, height: 1 }, h(Footer, { width })),
  );
}
