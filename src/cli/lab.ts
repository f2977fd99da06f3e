// `ica-trainer lab ...`: list, start, check, hint, solution, reset, watch.
// Implementations load lazily so that `--help` stays fast.
import { type Command, Option } from 'commander';

type Exercise = import('../core/content/exercise-loader.ts').LoadedExercise;

export function registerLab(program: Command): void {
  const lab = program
    .command('lab')
    .description('Bookinfo labs: write Istio YAML, get it graded with explanations');

  lab
    .command('list')
    .description('List the labs with your status for each')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: { output: 'text' | 'json' }) => {
      const { runLabList } = await import('./lab-actions.ts');
      process.exitCode = await runLabList(opts);
    });

  lab
    .command('start')
    .description(
      'Create the workspace from the starter files (never overwrites your files) and show the task',
    )
    .argument('<id>', 'lab id (see `lab list`)')
    .option('--dir <dir>', 'workspace folder (default ./ica-labs/<id>)')
    .action(async (id: string, opts: { dir?: string }) => {
      const { runLabStart } = await import('./lab-actions.ts');
      process.exitCode = await runLabStart(id, opts);
    });

  const check = lab
    .command('check')
    .description(
      'Grade your workspace (or, with --live, the cluster): each criterion with ✓/✗, the reason, findings with file:line, and a hint',
    )
    .argument('<id>', 'lab id')
    .option('--dir <dir>', 'workspace folder (default ./ica-labs/<id>)')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
    );
  liveOptions(check)
    .option(
      '--probe',
      "with --live: measure behaviour criteria with real requests from the fortio client (slower, bounded) instead of simulating the cluster's configuration",
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 the lab passes, 1 it does not, 2 unknown lab, unreadable workspace or unreachable cluster.',
    )
    .action(async (id: string, opts: { dir?: string; output: 'text' | 'json' } & LiveFlags) => {
      const { runLabCheck } = await import('./lab-actions.ts');
      process.exitCode = await runLabCheck(id, opts);
    });

  lab
    .command('hint')
    .description('Show the next hint (hints go from gentle to explicit; the count is remembered)')
    .argument('<id>', 'lab id')
    .action(async (id: string) => {
      const { runLabHint } = await import('./lab-actions.ts');
      process.exitCode = await runLabHint(id);
    });

  lab
    .command('solution')
    .description('Show the reference solution (marks the lab as revealed)')
    .argument('<id>', 'lab id')
    .action(async (id: string) => {
      const { runLabSolution } = await import('./lab-actions.ts');
      process.exitCode = await runLabSolution(id);
    });

  lab
    .command('reset')
    .description('Start the workspace again from the starter files; your files are kept in a backup folder')
    .argument('<id>', 'lab id')
    .option('--dir <dir>', 'workspace folder (default ./ica-labs/<id>)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (id: string, opts: { dir?: string; yes?: boolean }) => {
      const { runLabReset } = await import('./lab-actions.ts');
      process.exitCode = await runLabReset(id, opts);
    });

  const watchCmd = lab
    .command('watch')
    .description('Re-grade on every save (or, with --live, every apply to the cluster); Ctrl-C to stop')
    .argument('<id>', 'lab id')
    .option('--dir <dir>', 'workspace folder (default ./ica-labs/<id>)')
    .option('--debounce <ms>', 'wait this long after the last change before grading', '200');
  liveOptions(watchCmd).action(async (id: string, opts: { dir?: string; debounce: string } & LiveFlags) => {
    const { runLabWatch } = await import('./lab-watch.ts');
    process.exitCode = await runLabWatch(id, opts);
  });
}

/** Flags of the commands that can read a cluster instead of files. */
export interface LiveFlags {
  live?: boolean;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  requestTimeout?: string;
  /** lab check --live --probe: real requests from the fortio client */
  probe?: boolean;
}

function liveOptions(cmd: Command): Command {
  return cmd
    .option(
      '--live',
      "grade what is applied to the cluster (kubectl's kubeconfig and context) instead of files",
    )
    .option('--context <name>', 'with --live: the kubeconfig context to use')
    .option('--kubeconfig <file>', 'with --live: the kubeconfig file to use')
    .option(
      '-n, --namespace <ns>',
      "with --live: the namespace (default: the context's namespace, else default)",
    )
    .option('--request-timeout <duration>', 'with --live: timeout of each API call (e.g. 10s)');
}

export type { Exercise };
