// "grading…" with a spinner (@inkjs/ui), coloured only when colour is on.
import { defaultTheme, extendTheme, Spinner, type Theme, ThemeProvider } from '@inkjs/ui';
import { type ComponentType, createElement as h, type ReactElement, type ReactNode } from 'react';
import { useTheme } from '../theme.ts';

const MONO = extendTheme(defaultTheme, {
  components: { Spinner: { styles: { frame: () => ({}), label: () => ({ dimColor: true }) } } },
});
const COLOR = extendTheme(defaultTheme, {
  components: {
    Spinner: { styles: { frame: () => ({ color: 'cyan' }), label: () => ({ dimColor: true }) } },
  },
});

// children are passed as createElement's third argument
const Provider = ThemeProvider as ComponentType<{ theme: Theme; children?: ReactNode }>;

export function Busy({ label }: { label: string }): ReactElement {
  const theme = useTheme();
  return h(Provider, { theme: theme.color ? COLOR : MONO }, h(Spinner, { label }));
}
