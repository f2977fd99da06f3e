// Drives a real program in a real pseudo-terminal with tmux (a private server
// per pane, so nothing else running tmux is touched): send keys, read the
// screen, wait for what it shows.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
}

const root = new URL('../../../', import.meta.url).pathname;
const BIN = join(root, 'bin', 'ica-trainer.js');
const FIXTURE_MAIN = join(root, 'test', 'ui', 'fixtures', 'tui-main.ts');

/**
 * The command that opens the trainer's home screen: `ica-trainer` itself once the
 * CLI starts the UI with no arguments, until then the fixture that calls runTui.
 */
export function trainerCommand(): string[] {
  const program = readFileSync(join(root, 'src', 'cli', 'program.ts'), 'utf8');
  return program.includes('runTui') ? [process.execPath, BIN] : [process.execPath, FIXTURE_MAIN];
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface Pane {
  /** the screen as text */
  capture(): string;
  /** tmux key names (Enter, Down, Tab, Escape) */
  keys(...names: string[]): void;
  /** literal characters */
  type(text: string): void;
  waitFor(what: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  /** resolves with the exit code once the program has ended */
  exitCode(timeoutMs?: number): Promise<number>;
  /** the process id of the program in the pane */
  pid(): number;
  kill(): void;
}

let panes = 0;

export function startPane(options: {
  command: string[];
  cwd: string;
  env?: Record<string, string>;
  columns?: number;
  rows?: number;
}): Pane {
  const socket = `ica-tui-${process.pid}-${++panes}`;
  const exitFile = join(options.cwd, `.exit-${socket}`);
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const env = Object.entries({ TERM: 'xterm-256color', ...options.env })
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(' ');
  // the shell stays only to record the exit code; the program runs in the pane's terminal
  const script = `env ${env} ${options.command.map(quote).join(' ')}; echo $? > ${quote(exitFile)}; sleep 30`;
  const started = tmux(
    '-f',
    '/dev/null',
    'new-session',
    '-d',
    '-s',
    'ui',
    '-x',
    String(options.columns ?? 80),
    '-y',
    String(options.rows ?? 24),
    '-c',
    options.cwd,
    script,
  );
  if (started.status !== 0) throw new Error(`tmux could not start: ${started.stderr}`);
  const capture = (): string => tmux('capture-pane', '-p', '-t', 'ui').stdout ?? '';
  const poll = async <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v !== undefined) return v;
      if (Date.now() > until)
        throw new Error(`timed out waiting for ${what}; the screen shows:\n${capture()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return {
    capture,
    keys: (...names) => {
      for (const n of names) tmux('send-keys', '-t', 'ui', n);
    },
    type: (text) => {
      tmux('send-keys', '-t', 'ui', '-l', text);
    },
    waitFor: (what, timeoutMs = 20_000) =>
      poll(
        () => {
          const s = capture();
          const ok =
            typeof what === 'string' ? s.includes(what) : what instanceof RegExp ? what.test(s) : what(s);
          return ok ? s : undefined;
        },
        timeoutMs,
        String(what),
      ),
    exitCode: (timeoutMs = 20_000) =>
      poll(
        () => (existsSync(exitFile) ? Number(readFileSync(exitFile, 'utf8').trim()) : undefined),
        timeoutMs,
        'the program to exit',
      ),
    pid: () => {
      const shell = Number(tmux('display-message', '-p', '-t', 'ui', '#{pane_pid}').stdout.trim());
      // the shell's child is the program (env replaces itself with it)
      try {
        const children = readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(/\s+/);
        return Number(children[0] || shell);
      } catch {
        return shell;
      }
    },
    kill: () => {
      tmux('kill-server');
    },
  };
}
