// `--live` on proxy-config, proxy-status and describe: ask the cluster's istioctl the
// same question, and print the trainer's prediction beside its answer.
import { palette, UserError } from './output.ts';

export interface IstioctlAnswer {
  /** the command as a user would type it, shell-quoted */
  command: string;
  stdout: string;
}

/**
 * Runs `istioctl ARGS` (30 s at most). `asks` names what --live asks for in the error
 * when istioctl is missing, e.g. "istioctl proxy-status". A missing binary, a timeout
 * or a non-zero exit is the user's to fix: one line, no stack.
 */
export async function askIstioctl(args: string[], asks: string): Promise<IstioctlAnswer> {
  const { execaRunner, formatCommandLine } = await import('../core/cluster/exec.ts');
  const command = formatCommandLine('istioctl', args);
  const r = await execaRunner()({ file: 'istioctl', args, timeoutMs: 30_000 });
  if (r.notFound)
    throw new UserError(
      `istioctl is not on PATH: --live asks ${asks} (Istio 1.26); install it or drop --live`,
    );
  if (r.timedOut) throw new UserError(`\`${command}\` did not answer within 30s`);
  if (r.exitCode !== 0)
    throw new UserError(
      `\`${command}\` failed: ${r.stderr.trim().split('\n')[0] || `exit code ${r.exitCode}`}`,
    );
  return { command, stdout: r.stdout };
}

/** The prediction, then the cluster's answer, each under a bold heading. */
export function sideBySide(paths: string[], predicted: string, answer: IstioctlAnswer): string {
  const c = palette();
  const source = paths.length ? paths.join(' ') : 'the Bookinfo model';
  const out = answer.stdout.endsWith('\n') ? answer.stdout : `${answer.stdout}\n`;
  return (
    `${c.bold(`Predicted by ica-trainer (from ${source}):`)}\n${predicted}\n` +
    `${c.bold(`The cluster (${answer.command}):`)}\n${out}\n`
  );
}
