// The one way terminal tests render the trainer (DESIGN convention 10): the real
// App over ink-testing-library, at a given terminal size, with a private state
// folder and workspace, keys by name, and waits on what the frame shows (never
// on fixed sleeps).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { App } from '../../../src/ui/app.ts';
import type { TuiEnv } from '../../../src/ui/services/env.ts';
import { whenSaved } from '../../../src/ui/services/state.ts';
import { watchDir } from '../../../src/ui/services/watch.ts';
import type { Route } from '../../../src/ui/state/nav.ts';
import { createTheme } from '../../../src/ui/theme.ts';

/** Keys as the terminal sends them. */
export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  space: ' ',
  back: 'q',
  help: '?',
  hint: 'h',
  solution: 's',
  regrade: 'r',
  source: 'l',
  edit: 'e',
  yes: 'y',
  no: 'n',
  flag: 'f',
  skip: 'x',
  done: 'd',
  submit: 'S',
  abandon: 'A',
  /** the number key of option/menu entry n (1-based) */
  number: (n: number): string => String(n),
} as const;

/** Fixture content for tests that need exact questions. */
export const FIXTURE_QUIZZES = new URL('../fixtures/quizzes/', import.meta.url).pathname;

export interface RenderOptions {
  route?: Route;
  columns?: number;
  rows?: number;
  color?: boolean;
  /** reuse a state folder and workspace (a second run of the trainer) */
  home?: string;
  cwd?: string;
  env?: Partial<TuiEnv>;
  /** what the fake editor writes into the file it is opened on */
  editorWrites?: (file: string) => Promise<void>;
}

export interface Tui {
  home: string;
  cwd: string;
  env: TuiEnv;
  /** files the fake editor was opened on */
  edited: string[];
  /** the current screen as text (no colour codes) */
  frame(): string;
  /** the frame with its colour codes */
  rawFrame(): string;
  /** every frame drawn so far, as text */
  frames(): string[];
  /** resolves when every state write started so far has finished */
  saved(): Promise<void>;
  press(...keys: string[]): Promise<void>;
  waitFor(what: string | RegExp | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  resize(columns: number, rows: number): Promise<void>;
  /** unmounts (the temporary folders stay until cleanup) */
  unmount(): void;
  cleanup(): Promise<void>;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const ANSI = /\u001B\[[0-9;?]*[A-Za-z]|\u001B\][^\u0007]*\u0007/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

/**
 * Lets React finish what the last frame started (its effects register the
 * screen's keys) before the next key: one turn of the event loop, not a delay.
 */
const settle = async (): Promise<void> => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => setImmediate(resolve));
};

function matches(frame: string, what: string | RegExp | ((frame: string) => boolean)): boolean {
  if (typeof what === 'string') return frame.includes(what);
  if (what instanceof RegExp) return what.test(frame);
  return what(frame);
}

export async function renderTui(options: RenderOptions = {}): Promise<Tui> {
  const columns = options.columns ?? 80;
  const rows = options.rows ?? 24;
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'ica-tui-home-')));
  const cwd = options.cwd ?? (await mkdtemp(join(tmpdir(), 'ica-tui-cwd-')));
  const edited: string[] = [];
  const env: TuiEnv = {
    home,
    cwd,
    now: () => new Date(),
    random: () => 0.42,
    openEditor: async (file) => {
      edited.push(file);
      await options.editorWrites?.(file);
    },
    watch: watchDir,
    debounceMs: 30,
    tickMs: 100,
    ...options.env,
  };
  const app: ReactElement = (
    <App
      env={env}
      theme={createTheme(options.color ?? false)}
      {...(options.route ? { initial: options.route } : {})}
    />
  );
  const instance = render(app);
  const stdout = instance.stdout as unknown as NodeJS.EventEmitter & { columns: number; rows: number };
  const setSize = (c: number, r: number): void => {
    Object.defineProperty(stdout, 'columns', { value: c, configurable: true });
    Object.defineProperty(stdout, 'rows', { value: r, configurable: true });
    stdout.emit('resize');
  };
  const rawFrame = (): string => instance.lastFrame() ?? '';
  const frame = (): string => stripAnsi(rawFrame());
  const waitFor = async (
    what: string | RegExp | ((f: string) => boolean),
    timeoutMs = 10_000,
  ): Promise<string> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const f = frame();
      if (matches(f, what)) return f;
      if (Date.now() > until)
        throw new Error(`timed out waiting for ${String(what)}; the screen shows:\n${f}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const sized = (c: number, r: number) => (f: string) => {
    const lines = f.split('\n');
    return lines.length === r && lines.every((l) => l.length <= c) && f.length > 0;
  };
  setSize(columns, rows);
  await waitFor(sized(columns, rows));
  // the footer lists the keys once the first screen has registered them
  await waitFor((f) => (f.split('\n').pop() ?? '').trim() !== '');
  let mounted = true;
  return {
    home,
    cwd,
    env,
    edited,
    frame,
    rawFrame,
    frames: () => instance.frames.map(stripAnsi),
    saved: whenSaved,
    async press(...keys) {
      for (const k of keys) {
        await settle();
        instance.stdin.write(k);
        await settle();
      }
    },
    waitFor,
    async resize(c, r) {
      setSize(c, r);
      await waitFor(sized(c, r));
    },
    unmount() {
      if (mounted) instance.unmount();
      mounted = false;
    },
    async cleanup() {
      if (mounted) instance.unmount();
      mounted = false;
      await whenSaved();
      if (!options.home) await rm(home, { recursive: true, force: true });
      if (!options.cwd) await rm(cwd, { recursive: true, force: true });
    },
  };
}
