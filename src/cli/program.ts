// The ica-trainer command line. Commands load their implementation lazily so
// that `--help` and `--version` start fast.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { UserFacingError } from '../core/errors.ts';
import { registerCluster } from './cluster.ts';
import { registerCohort } from './cohort.ts';
import { registerDescribe } from './describe.ts';
import { registerExam } from './exam.ts';
import { registerInstall } from './install.ts';
import { registerJwt } from './jwt.ts';
import { registerLab } from './lab.ts';
import { snapshotOptions } from './options.ts';
import { EXIT, UserError } from './output.ts';
import { registerProxyConfig } from './proxy-config.ts';
import { registerProxyStatus } from './proxy-status.ts';
import { registerQuiz } from './quiz.ts';
import { registerSimulate } from './simulate.ts';

function packageVersion(): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'ica-trainer') return pkg.version ?? '0.0.0';
    } catch {
      // keep looking upwards
    }
    dir = new URL('..', dir);
  }
  return '0.0.0';
}

export function buildProgram(): Command {
  const program = new Command('ica-trainer')
    .description('Terminal trainer for the Istio Certified Associate (ICA) exam')
    .version(packageVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    // a command's own options come before its subcommand (`quiz --topic T` vs `quiz list --topic T`)
    .enablePositionalOptions()
    .exitOverride();

  const analyze = program
    .command('analyze')
    .description('Analyse Istio YAML like `istioctl analyze`, with explanations and fixes')
    .argument('[paths...]', 'YAML files or directories (recursive, *.yaml/*.yml); "-" reads stdin')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'yaml']).default('text'),
    )
    .addOption(
      new Option('--failure-threshold <level>', 'exit 1 when a finding is at or above this level')
        .choices(['Error', 'Warning', 'Info'])
        .default('Error'),
    );
  snapshotOptions(analyze)
    .option(
      '-n, --namespace <ns>',
      "files: namespace of resources that do not set one (default: default); --live: the namespace to read (default: the context's)",
    )
    .option(
      '--live',
      'analyse what is applied to the cluster (kubeconfig and context as kubectl) instead of files',
    )
    .option('-A, --all-namespaces', 'with --live: every namespace')
    .option('--context <name>', 'with --live: the kubeconfig context to use')
    .option('--kubeconfig <file>', 'with --live: the kubeconfig file to use')
    .option('--request-timeout <duration>', 'with --live: timeout of each API call (default 10s)')
    .option('--list-codes', 'list every finding code the analyzer can report, then exit')
    .addHelpText(
      'after',
      '\nExit codes: 0 no finding at or above the threshold, 1 some are, 2 usage error, no input readable or cluster unreachable.',
    )
    .action(async (paths: string[], opts) => {
      const { runAnalyze } = await import('./analyze.ts');
      process.exitCode = await runAnalyze(paths, opts);
    });

  registerSimulate(program);
  registerProxyConfig(program);
  registerDescribe(program);
  registerProxyStatus(program);
  registerInstall(program);
  registerLab(program);
  registerQuiz(program);
  registerExam(program);
  registerCluster(program);
  registerCohort(program);
  registerJwt(program);

  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  if (argv.length <= 2) {
    // no command: the interactive trainer on a terminal, the command list otherwise
    if (process.stdout.isTTY && process.stdin.isTTY) {
      const { runTui } = await import('../ui/run.ts');
      process.exitCode = await runTui();
    } else program.outputHelp();
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (e instanceof UserError || e instanceof UserFacingError) {
      process.stderr.write(`ica-trainer: ${e.message}\n`);
      process.exitCode = e instanceof UserError ? e.exitCode : EXIT.usage;
      return;
    }
    // An unexpected failure: one line for the learner, the details only on request.
    const err = e as Error;
    process.stderr.write(`ica-trainer: unexpected error: ${err?.message ?? String(e)}\n`);
    if (process.env.ICA_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    else process.stderr.write('(set ICA_DEBUG=1 for details; please report this)\n');
    process.exitCode = 70;
  }
}
