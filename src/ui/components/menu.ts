// A list with a cursor: "› 1 Quiz   what it is". The mark shows the cursor
// without colour; with colour the row is also highlighted.
import { Box, Text } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import { truncate } from '../text/lines.ts';
import { useTheme } from '../theme.ts';

export interface MenuItem {
  key: string;
  label: string;
  detail?: string;
  /** shown dimmed; still selectable (the screen says why it cannot open) */
  dim?: boolean;
}

export function Menu({
  items,
  cursor,
  width,
  numbered = true,
  labelWidth,
  offset = 0,
  height,
}: {
  items: readonly MenuItem[];
  cursor: number;
  width: number;
  numbered?: boolean;
  labelWidth?: number;
  offset?: number;
  height?: number;
}): ReactElement {
  const theme = useTheme();
  const lw = labelWidth ?? Math.max(...items.map((i) => i.label.length), 4);
  const shown = items.slice(offset, height === undefined ? undefined : offset + height);
  return h(
    Box,
    { flexDirection: 'column' },
    ...shown.map((item, n) => {
      const i = offset + n;
      const selected = i === cursor;
      const num = numbered ? `${i + 1 <= 9 ? i + 1 : ' '} ` : '';
      const head = `${selected ? '›' : ' '} ${num}${item.label.padEnd(lw)}`;
      const detail = item.detail ? truncate(`  ${item.detail}`, Math.max(0, width - head.length)) : '';
      const accent = theme.style('accent');
      return h(
        Text,
        { key: item.key, wrap: 'truncate-end' },
        h(
          Text,
          {
            bold: selected,
            ...(selected && accent.color ? { color: accent.color } : {}),
            ...(item.dim && !selected ? { dimColor: true } : {}),
          },
          head,
        ),
        h(Text, { dimColor: true }, detail),
      );
    }),
  );
}
