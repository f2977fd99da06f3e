// `lab watch`: re-grade on every save. A half-written file is just a YAML
// finding in that round; the next save is graded again.
import { watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { gradeLab } from '../core/grading/grade.ts';
import { workspaceDir } from '../core/labs/workspace.ts';
import { labResultToText } from './format-lab.ts';
import { findLab } from './lab-actions.ts';
import { EXIT, palette, UserError, write } from './output.ts';

export async function runLabWatch(id: string, opts: { dir?: string; debounce: string }): Promise<number> {
  const lab = findLab(id);
  const dir = workspaceDir(lab, opts.dir);
  const shown = relative(process.cwd(), dir) || dir;
  const debounceMs = Number(opts.debounce);
  if (!Number.isFinite(debounceMs) || debounceMs < 0 || debounceMs > 10_000) {
    throw new UserError(
      `--debounce must be a number of milliseconds from 0 to 10000, not "${opts.debounce}"`,
    );
  }
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new UserError(
      `no workspace at ${shown}: run \`ica-trainer lab start ${lab.id}\` first, or pass --dir`,
    );
  }
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
      const result = await gradeLab(lab, { dir });
      const time = new Date().toTimeString().slice(0, 8);
      const hint = result.pass ? undefined : lab.hints[0];
      await write(`${c.dim(`── ${time} graded ${shown} ──`)}\n${labResultToText(result, c, hint)}\n`);
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

  await write(`${c.bold(`Watching ${shown} for ${lab.id}`)} ${c.dim('(Ctrl-C to stop)')}\n`);
  await grade();
  const watcher = watch(dir, { recursive: true }, (_event, file) => {
    if (!file || /\.ya?ml$/i.test(String(file))) schedule();
  });
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      watcher.close();
      if (timer) clearTimeout(timer);
      resolve(EXIT.ok);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    watcher.on('error', (e) => {
      void write(`${c.red('stopped watching:')} ${e.message}\n`).then(() => {
        watcher.close();
        resolve(EXIT.usage);
      });
    });
  });
}
