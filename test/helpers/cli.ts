// Runs the real binary, as a user would.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

const bin = new URL('../../bin/ica-trainer.js', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a run: no colour (NO_COLOR), and no FORCE_COLOR unless a test asks
 * for it: Node warns on stderr when NO_COLOR and FORCE_COLOR are both set.
 */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ICA_TRAINER_FROM_SOURCE: '1', ...extra };
  if (!('FORCE_COLOR' in extra)) delete env.FORCE_COLOR;
  return env;
}

export function runCli(
  args: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string; stdinFile?: string } = {},
): CliResult {
  // stdinFile: standard input is that file itself (`< /dev/zero`), not a pipe
  const fd = options.stdinFile ? openSync(options.stdinFile, 'r') : undefined;
  const r = spawnSync(process.execPath, [bin, ...args], {
    ...(fd === undefined ? { input: options.input ?? '' } : { stdio: [fd, 'pipe', 'pipe'] }),
    encoding: 'utf8',
    cwd: options.cwd,
    env: cliEnv(options.env),
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (fd !== undefined) closeSync(fd);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
