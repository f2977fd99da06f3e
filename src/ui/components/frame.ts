// The layout of every screen: a title row, an optional message, the body (its
// size is known to the screen, so it can wrap and scroll to fit), and the footer
// of the keys that work now. Fills the terminal and follows resizes.
import { Box, Text, useWindowSize } from 'ink';
import { createContext, createElement as h, type ReactElement, type ReactNode, useContext } from 'react';
import { useActiveKeys } from '../hooks/use-keys.ts';
import type { ActionName } from '../keys.ts';
import { footerItems } from '../keys.ts';
import { truncate } from '../text/lines.ts';
import { type Tone, useTheme } from '../theme.ts';
import { Toned } from './styled.ts';

export interface BodySize {
  width: number;
  height: number;
}

export const BodySizeContext = createContext<BodySize>({ width: 80, height: 20 });

export function useBodySize(): BodySize {
  return useContext(BodySizeContext);
}

/** The smallest terminal the layout is made for. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;

export interface Banner {
  tone: Tone;
  text: string;
}

export function Footer({ width }: { width: number }): ReactElement {
  const entries = useActiveKeys();
  const scope: ActionName[] = [];
  const rename: Partial<Record<ActionName, string>> = {};
  for (const e of entries) {
    for (const name of e.scope) {
      if (scope.includes(name)) continue;
      scope.push(name);
      const r = e.rename?.[name];
      if (r) rename[name] = r;
    }
  }
  const items = footerItems(scope, rename);
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
  banner,
  children,
}: {
  title: string;
  /** right side of the title row (a countdown, progress through a session) */
  status?: string;
  /** colour of the status (default dim) */
  statusTone?: Tone;
  banner?: Banner | undefined;
  children?: ReactNode;
}): ReactElement {
  const { columns, rows } = useWindowSize();
  const theme = useTheme();
  const width = Math.max(MIN_COLUMNS, columns);
  const height = Math.max(MIN_ROWS, rows);
  const bannerText = banner ? truncate(banner.text, width * 2) : '';
  const bannerRows = banner ? Math.min(2, Math.ceil(bannerText.length / width)) : 0;
  const body: BodySize = { width, height: Math.max(1, height - 2 - bannerRows - 1) };
  const right = status ? truncate(status, Math.max(0, width - 20)) : '';
  const left = truncate(title, Math.max(10, width - right.length - 2));
  const titleStyle = theme.style('title');
  return h(
    Box,
    { flexDirection: 'column', width, height },
    h(
      Box,
      { justifyContent: 'space-between', width },
      h(Text, { bold: true, ...(titleStyle.color ? { color: titleStyle.color } : {}) }, left),
      statusTone ? h(Toned, { tone: statusTone, bold: true }, right) : h(Text, { dimColor: true }, right),
    ),
    banner
      ? h(Box, { height: bannerRows, width }, h(Toned, { tone: banner.tone, wrap: true }, bannerText))
      : null,
    h(
      Box,
      { flexDirection: 'column', height: body.height, width, marginTop: 1, overflow: 'hidden' },
      h(BodySizeContext.Provider, { value: body }, children),
    ),
    h(Box, { width, height: 1 }, h(Footer, { width })),
  );
}
