// `lab watch`: re-grade on every save (files) or every apply (--live, through the
// Kubernetes watch API). A half-written file is just a YAML finding in that round;
// a cluster that goes away is reported and watched again when it returns.
import { watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { trainerCommand } from '../core/command-name.ts';
import { examLock, examTaskFolder } from '../core/exam/lock.ts';
import { gradeLab } from '../core/grading/grade.ts';
import type { LabResult } from '../core/grading/types.ts';
import { workspaceDir } from '../core/labs/workspace.ts';
import { labResultToText } from './format-lab.ts';
import type { LiveFlags } from './lab.ts';
import { activeExam, findLab } from './lab-actions.ts';
import { EXIT, palette, shownPath, UserError, write } from './output.ts';

interface Source {
  label: string;
  grade: () => Promise<LabResult>;
  /** starts watching; returns a function that stops it */
  watch: (changed: () => void, status: (message: string) => void) => () => void;
}

async function fileSource(id: string, dir: string): Promise<Source> {
  const shown = shownPath(dir, 'full');
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new UserError(
      `no workspace at ${shown}: run \`${trainerCommand()} lab start ${id}\` first, or pass --dir`,
    );
  }
  const lab = findLab(id);
  return {
    label: shown,
    grade: () => gradeLab(lab, { dir }),
    watch: (changed, status) => {
      const watcher = watch(dir, { recursive: true }, (_event, file) => {
        if (!file || /\.ya?ml$/i.test(String(file))) changed();
      });
      watcher.on('error', (e) => status(`stopped watching files: ${e.message}`));
      return () => watcher.close();
    },
  };
}

async function liveSource(id: string, flags: LiveFlags): Promise<Source> {
  const lab = findLab(id);
  const [{ openLiveLab }, { isClusterError }, { parseRequestTimeout }] = await Promise.all([
    import('../core/labs/live-lab.ts'),
    import('../core/cluster/errors.ts'),
    import('./analyze-live.ts'),
  ]);
  const timeoutMs = parseRequestTimeout(flags.requestTimeout);
  let live: Awaited<ReturnType<typeof openLiveLab>>;
  try {
    live = await openLiveLab(lab, {
      ...(flags.context ? { context: flags.context } : {}),
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.namespace ? { namespace: flags.namespace } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
    });
  } catch (e) {
    if (isClusterError(e)) throw new UserError(e.message);
    throw e;
  }
  return {
    label: `${live.context} namespace ${live.namespace}`,
    grade: async () => (await live.grade()).result,
    watch: (changed, status) => live.watch(changed, status),
  };
}

export async function runLabWatch(
  id: string,
  opts: { dir?: string; debounce: string } & LiveFlags,
): Promise<number> {
  const lab = findLab(id);
  const debounceMs = Number(opts.debounce);
  if (!Number.isFinite(debounceMs) || debounceMs < 0 || debounceMs > 10_000) {
    throw new UserError(
      `--debounce must be a number of milliseconds from 0 to 10000, not "${opts.debounce}"`,
    );
  }
  // inside an exam's task folder, watch that folder; the exam's labs give no hints
  const exam = await activeExam();
  const locked = examLock(exam, lab.id) !== undefined;
  const examDir = opts.dir || opts.live ? undefined : examTaskFolder(exam, lab.id, process.cwd());
  const source = opts.live
    ? await liveSource(id, opts)
    : await fileSource(id, examDir ?? workspaceDir(lab, opts.dir));
  const c = palette();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;

  const grade = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const result = await source.grade();
      const time = new Date().toTimeString().slice(0, 8);
      const hint = result.pass || locked ? undefined : lab.hints[0];
      await write(`${c.dim(`── ${time} graded ${source.label} ──`)}\n${labResultToText(result, c, hint)}\n`);
    } catch (e) {
      await write(`${c.red('could not grade:')} ${(e as Error).message}\n`);
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void grade(), debounceMs);
  };

  await write(`${c.bold(`Watching ${source.label} for ${lab.id}`)} ${c.dim('(Ctrl-C to stop)')}\n`);
  await grade();
  const stopWatching = source.watch(schedule, (message) => void write(`${c.yellow(message)}\n`));
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      stopWatching();
      if (timer) clearTimeout(timer);
      resolve(EXIT.ok);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
