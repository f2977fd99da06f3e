// The terminal UI: cold start to the home screen's first frame, in a real
// pseudo-terminal (util-linux `script`), and resident memory on the home screen
// once its progress has loaded. Aims: first frame within 300 ms, under 150 MB.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainerCommand } from '../test/ui/helpers/tmux.ts';
import type { BenchResult } from './types.ts';

const RUNS = 7;
/** on the first frame: the menu (the progress figures follow when loaded) */
const FIRST_FRAME = 'Mock exam';
/** the home screen with its progress loaded */
const SETTLED = 'reviews due';

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function hasScript(): boolean {
  return spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
}

function childOf(pid: number): number | undefined {
  try {
    const c = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return c ? Number(c) : undefined;
  } catch {
    return undefined;
  }
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** CPU time (user + system) a process has used, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
}

/** The trainer's process: script -> shell -> (exec) the trainer. */
function trainerPid(scriptPid: number | undefined): number | undefined {
  const shell = childOf(scriptPid ?? 0);
  return (shell && childOf(shell)) || shell;
}

interface Run {
  firstFrameMs: number;
  /** CPU time used up to the first frame: steadier than wall time on a busy machine */
  firstFrameCpuMs: number;
  settledMs: number;
  rssMb: number;
}

/** Starts the trainer in a pseudo-terminal, times the first frame, reads RSS once settled, quits. */
function once(command: string[], home: string, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = {
      ...process.env,
      ICA_TRAINER_HOME: home,
      TERM: 'xterm-256color',
      COLUMNS: '80',
      LINES: '24',
      NO_COLOR: '1',
    };
    const inner = `stty cols 80 rows 24 2>/dev/null; exec ${command.map(quote).join(' ')}`;
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', inner, '/dev/null'], {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    let firstFrameMs = 0;
    let firstFrameCpuMs = Number.NaN;
    let done = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no home screen within 20 s; the terminal showed:\n${out.slice(-2000)}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (!firstFrameMs && out.includes(FIRST_FRAME)) {
        firstFrameMs = performance.now() - t0;
        const pid = trainerPid(child.pid);
        if (pid) firstFrameCpuMs = cpuMs(pid);
      }
      if (firstFrameMs && !done && out.includes(SETTLED)) {
        done = true;
        const settledMs = performance.now() - t0;
        const pid = trainerPid(child.pid);
        const rss = pid ? rssMb(pid) : Number.NaN;
        child.stdin.write('q');
        child.on('exit', () => {
          clearTimeout(timer);
          resolve({ firstFrameMs, firstFrameCpuMs, settledMs, rssMb: rss });
        });
      }
    });
    child.on('error', reject);
  });
}

const root = new URL('../', import.meta.url).pathname;
const DIST_RUN = join(root, 'dist', 'src', 'ui', 'run.js');

/** The compiled UI, when dist/ is newer than every UI source (as `npm run build` leaves it). */
function compiledCommand(): string[] | undefined {
  if (!existsSync(DIST_RUN)) return undefined;
  const built = statSync(DIST_RUN).mtimeMs;
  const dir = join(root, 'src', 'ui');
  const stale = readdirSync(dir, { recursive: true, encoding: 'utf8' }).some(
    (f) => f.endsWith('.ts') && statSync(join(dir, f)).mtimeMs > built,
  );
  if (stale) return undefined;
  const main = `module.enableCompileCache?.(); const { runTui } = await import(${JSON.stringify(DIST_RUN)}); process.exitCode = await runTui({});`;
  return [process.execPath, '--input-type=module', '-e', `import module from 'node:module'; ${main}`];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function measure(command: string[], home: string, cwd: string): Promise<Run[]> {
  await once(command, home, cwd); // warms the compile cache, as any second start would be
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(command, home, cwd));
  return runs;
}

export default async function bench(): Promise<BenchResult[]> {
  if (!hasScript())
    return [
      { name: 'tui first frame', value: Number.NaN, unit: 'ms', note: 'skipped: no `script` (util-linux)' },
    ];
  const command = trainerCommand();
  const what = command[1]?.endsWith('tui-main.ts')
    ? 'test/ui/fixtures/tui-main.ts, from sources'
    : 'ica-trainer';
  const home = mkdtempSync(join(tmpdir(), 'ica-bench-home-'));
  const cwd = mkdtempSync(join(tmpdir(), 'ica-bench-cwd-'));
  try {
    const runs = await measure(command, home, cwd);
    const floor: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      spawnSync('script', ['-qfec', `exec ${quote(process.execPath)} -e 0`, '/dev/null'], {
        stdio: 'ignore',
      });
      floor.push(performance.now() - t);
    }
    const out: BenchResult[] = [
      {
        name: 'tui first frame (home)',
        value: median(runs.map((r) => r.firstFrameMs)),
        unit: 'ms',
        note: `median of ${RUNS} in a pty (${what}); aim < 300 ms; node -e 0 in the same pty ${median(floor).toFixed(0)} ms`,
      },
    ];
    out.push({
      name: 'tui first frame, CPU time',
      value: median(runs.map((r) => r.firstFrameCpuMs)),
      unit: 'ms',
      note: 'user+system CPU of the trainer up to its first frame (less sensitive to a busy machine)',
    });
    const compiled = compiledCommand();
    if (compiled) {
      const c = await measure(compiled, home, cwd);
      out.push({
        name: 'tui first frame, compiled',
        value: median(c.map((r) => r.firstFrameMs)),
        unit: 'ms',
        note: `dist/src/ui/run.js (npm run build), as the installed package runs; CPU ${median(c.map((r) => r.firstFrameCpuMs)).toFixed(0)} ms`,
      });
    } else {
      out.push({
        name: 'tui first frame, compiled',
        value: Number.NaN,
        unit: 'ms',
        note: 'skipped: dist/ is missing or older than src/ui (npm run build)',
      });
    }
    out.push(
      {
        name: 'tui home with progress',
        value: median(runs.map((r) => r.settledMs)),
        unit: 'ms',
        note: 'until the progress figures are on screen (content and state loaded)',
      },
      {
        name: 'tui resident memory (home)',
        value: median(runs.map((r) => r.rssMb)),
        unit: 'MB',
        note: 'VmRSS once the home screen has loaded; aim < 150 MB',
      },
    );
    return out;
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  }
}
