// Running the external tools of live mode (docker, kind, kubectl, istioctl).
// Every command runs through execa with an argument array (never a shell
// string), with a timeout; a failure carries the command line and its output so
// that the learner sees what went wrong, not just that something did.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface CommandSpec {
  /** the program, looked up on PATH */
  file: string;
  args: readonly string[];
  /** text written to the command's stdin (kubectl apply -f -) */
  input?: string;
  /** hard limit: the command is killed after this many milliseconds */
  timeoutMs: number;
  /** aborting it kills the command (its result then has `exitCode` -1) */
  signal?: AbortSignal;
}

export interface CommandResult {
  /** the program */
  file: string;
  /** the command line as a user would type it (for messages) */
  command: string;
  /** exit code; -1 when the command could not start or was killed */
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** the program is not on PATH (ENOENT) */
  notFound: boolean;
}

/** Runs one command to completion; never throws for a non-zero exit. */
export type Runner = (spec: CommandSpec) => Promise<CommandResult>;

/** A command that failed: exit code, the command line and what it printed. */
export class CommandError extends Error {
  readonly result: CommandResult;
  readonly timeoutMs: number;
  /** `reason` replaces the usual "failed with exit code N" (for output that makes no sense) */
  constructor(result: CommandResult, timeoutMs: number, reason?: string) {
    super(reason ? `\`${result.command}\` ${reason}` : describeFailure(result, timeoutMs));
    this.name = 'CommandError';
    this.result = result;
    this.timeoutMs = timeoutMs;
  }
}

/** Something the learner must set up first (a missing tool, a stopped docker engine); nothing was changed. */
export class PrerequisiteError extends Error {
  /** further lines: what is missing and where to get it */
  readonly details: string[];
  constructor(message: string, details: string[] = []) {
    super(message);
    this.name = 'PrerequisiteError';
    this.details = details;
  }
}

function describeFailure(r: CommandResult, timeoutMs: number): string {
  if (r.timedOut)
    return `\`${r.command}\` did not finish within ${formatDuration(timeoutMs)} and was stopped`;
  if (r.notFound) return `\`${r.command}\` could not start: ${r.file} is not on PATH`;
  return `\`${r.command}\` failed with exit code ${r.exitCode}`;
}

/** Quotes an argument for display the way a POSIX shell would need it. */
export function quoteArg(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatCommandLine(file: string, args: readonly string[]): string {
  return [file, ...args].map(quoteArg).join(' ');
}

/** "10m", "45s", "1m30s", "850ms" */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}

/** A Go duration for kubectl/kind flags, in whole seconds ("600s"). */
export function goDuration(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))}s`;
}

/** Runs a command; throws CommandError unless it exits 0. */
export async function runChecked(run: Runner, spec: CommandSpec): Promise<CommandResult> {
  const result = await run(spec);
  if (result.exitCode !== 0 || result.timedOut || result.notFound)
    throw new CommandError(result, spec.timeoutMs);
  return result;
}

export interface RunnerOptions {
  /** environment of the commands (PATH decides which tools run); default process.env */
  env?: NodeJS.ProcessEnv;
}

/** The real runner: execa with an argument array, no shell, a timeout, output captured. */
export function execaRunner(options: RunnerOptions = {}): Runner {
  return async (spec) => {
    const { execa } = await import('execa'); // loaded on first use: `--help` never pays for it
    const command = formatCommandLine(spec.file, spec.args);
    const r = await execa(spec.file, [...spec.args], {
      reject: false,
      timeout: spec.timeoutMs,
      ...(spec.signal ? { cancelSignal: spec.signal } : {}),
      forceKillAfterDelay: 5_000,
      input: spec.input ?? '',
      env: options.env ?? process.env,
      extendEnv: false,
      shell: false,
      stripFinalNewline: false,
      maxBuffer: 64 * 1024 * 1024,
      windowsHide: true,
    });
    const code = (r as { code?: string }).code;
    return {
      file: spec.file,
      command,
      exitCode: typeof r.exitCode === 'number' ? r.exitCode : -1,
      stdout: typeof r.stdout === 'string' ? r.stdout : '',
      stderr: typeof r.stderr === 'string' ? r.stderr : '',
      timedOut: r.timedOut,
      notFound: code === 'ENOENT',
    };
  };
}

/** The full path of an executable `name` on the PATH of `env`, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = env.PATH ?? env.Path ?? '';
  const exts =
    process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').concat('') : [''];
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The last `max` lines of a text, with a note of how many were left out. */
export function tailLines(text: string, max = 40): string[] {
  const lines = text.replace(/\s+$/, '').split('\n');
  if (lines.length === 1 && lines[0] === '') return [];
  if (lines.length <= max) return lines;
  return [`(${lines.length - max} earlier lines not shown)`, ...lines.slice(-max)];
}
