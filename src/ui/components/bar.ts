// A horizontal bar for a fraction: ███████░░░ (no colour needed to read it).
import { Text } from 'ink';
import { createElement as h, type ReactElement } from 'react';
import { type Tone, useTheme } from '../theme.ts';

export function barText(fraction: number, width: number): string {
  const w = Math.max(1, width);
  const f = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
  const full = Math.round(f * w);
  return '█'.repeat(full) + '░'.repeat(w - full);
}

export function Bar({
  fraction,
  width,
  tone = 'good',
}: {
  fraction: number;
  width: number;
  tone?: Tone;
}): ReactElement {
  const style = useTheme().style(tone);
  return h(Text, style.color ? { color: style.color } : {}, barText(fraction, width));
}
