// Colours by meaning (tones), not by name, so that NO_COLOR turns every colour
// off in one place while bold, dim and inverse (which are not colours) remain.
import { createContext, useContext } from 'react';

export type Tone = 'accent' | 'good' | 'bad' | 'warn' | 'muted' | 'code' | 'title' | 'plain';

export interface ToneStyle {
  color?: string;
  dimColor?: boolean;
  bold?: boolean;
}

export interface Theme {
  /** false under NO_COLOR */
  color: boolean;
  style(tone: Tone): ToneStyle;
}

const COLORS: Record<Tone, ToneStyle> = {
  accent: { color: 'cyan' },
  good: { color: 'green' },
  bad: { color: 'red' },
  warn: { color: 'yellow' },
  muted: { dimColor: true },
  code: { color: 'magenta' },
  title: { color: 'cyan', bold: true },
  plain: {},
};

/** Without colour, meaning is carried by marks (✓ ✗ !) and by bold/dim only. */
const MONO: Record<Tone, ToneStyle> = {
  accent: {},
  good: {},
  bad: { bold: true },
  warn: { bold: true },
  muted: { dimColor: true },
  code: {},
  title: { bold: true },
  plain: {},
};

export function createTheme(color: boolean): Theme {
  const table = color ? COLORS : MONO;
  return { color, style: (tone) => table[tone] };
}

/** NO_COLOR (any non-empty value) turns colour off, as https://no-color.org asks. */
export function colorFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

export const ThemeContext = createContext<Theme>(createTheme(true));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
