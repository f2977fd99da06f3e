// Entry points of the terminal UI: `ica-trainer` with no arguments (runTui) and
// the exam screen directly (runExamTui). Nothing here loads ink or React before
// it is called, so the CLI's --help and --version never pay for them.

import { trainerCommand } from '../core/command-name.ts';
import type { TuiEnv } from './services/env.ts';
import type { Route } from './state/nav.ts';

export interface TuiOptions {
  /** the learner-state folder (default: $ICA_TRAINER_HOME or the platform's data folder) */
  home?: string;
  /** where ica-labs/ and ica-exam/ are created (default: the working directory) */
  cwd?: string;
}

/** Exit codes: 0 after q on the home screen, 2 without a terminal, 70 on an unexpected failure. */
export async function runTui(options: TuiOptions = {}): Promise<number> {
  return run(options, undefined);
}

/** Opens a quiz session: new and due questions, or (review) due ones only; optionally one topic, N questions. */
export async function runQuizTui(
  options: TuiOptions & { review?: boolean; topic?: string; limit?: number } = {},
): Promise<number> {
  return run(options, {
    name: 'quiz',
    mode: options.review ? 'review' : 'learn',
    ...(options.topic ? { topic: options.topic } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
  });
}

/** Opens the mock exam screen (resuming the exam in progress, if any). */
export async function runExamTui(options: TuiOptions = {}): Promise<number> {
  return run(options, { name: 'exam' });
}

export async function defaultEnv(options: TuiOptions): Promise<TuiEnv> {
  const [{ spawnEditor }, { watchDir }] = await Promise.all([
    import('./services/editor.ts'),
    import('./services/watch.ts'),
  ]);
  return {
    ...(options.home ? { home: options.home } : {}),
    cwd: options.cwd ?? process.cwd(),
    now: () => new Date(),
    random: Math.random,
    openEditor: (file) => spawnEditor(file),
    watch: watchDir,
    debounceMs: 250,
    tickMs: 1000,
  };
}

async function run(options: TuiOptions, initial: Route | undefined): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(
      `ica-trainer: the interactive trainer needs a terminal; run \`${trainerCommand()} --help\` for the commands.\n`,
    );
    return 2;
  }
  const { prepareFastStart } = await import('./fast-start.ts');
  const loaded = prepareFastStart();
  const [{ render }, { createElement }, { App }, { colorFromEnv, createTheme }, env] = await Promise.all([
    import('ink'),
    import('react'),
    import('./app.ts'),
    import('./theme.ts'),
    defaultEnv(options),
  ]);
  loaded();
  const instance = render(
    createElement(App, { env, theme: createTheme(colorFromEnv()), ...(initial ? { initial } : {}) }),
    // run() has checked for a terminal: stay interactive even where CI is set in the environment
    { alternateScreen: true, exitOnCtrlC: true, incrementalRendering: true, interactive: true },
  );
  try {
    await instance.waitUntilExit();
    return 0;
  } catch (e) {
    process.stderr.write(`ica-trainer: unexpected error: ${(e as Error)?.message ?? String(e)}\n`);
    return 70;
  }
}
