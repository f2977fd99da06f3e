// `ica-trainer cohort ...`: one shared cluster, a namespace per learner, graded by the
// instructor. Option parsing and help here; the implementations (cohort-actions.ts)
// load lazily so that `--help` stays fast.
import { type Command, InvalidArgumentError, Option } from 'commander';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

/** --kubeconfig, --context, --request-timeout: the instructor's cluster, resolved as kubectl does. */
function clusterOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig of the instructor (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('--request-timeout <duration>', 'limit for each API request (e.g. 10s, 500ms)', '10s');
}

const COHORT_OPTION = '--cohort <name>';
const COHORT_HELP = 'the cohort (default: the only one recorded in the state directory)';

export function registerCohort(program: Command): void {
  const cohort = program
    .command('cohort')
    .description(
      'Cohorts: one shared cluster, a namespace and kubeconfig per learner, graded by the instructor',
    )
    .addHelpText(
      'after',
      `
Typical session:
  ica-trainer cohort init roster.txt --name spring --dir kubeconfigs   # hand out kubeconfigs/<id>.kubeconfig
  ica-trainer cohort grade --lab route-all-v1                          # as often as you like
  ica-trainer cohort report -o html --out report.html

Learners run ica-trainer (and kubectl) with KUBECONFIG=<id>.kubeconfig: their namespace is the default.
State (the roster and every grading run) is kept under $ICA_TRAINER_HOME/cohorts/<name>/.`,
    );

  clusterOptions(
    cohort
      .command('init')
      .description(
        'Create (or update) a namespace with Bookinfo, an account limited to Istio resources in it, and a kubeconfig, for each learner of the roster',
      )
      .argument('<roster>', 'file of learner ids, one a line (DNS labels: a-z, 0-9, -); # starts a comment')
      .option('--name <name>', "the cohort's name (default: the roster file's name without extension)")
      .option('--dir <dir>', 'where the learner kubeconfigs are written', 'kubeconfigs')
      .option(
        '--server <url>',
        "API server URL written into the learner kubeconfigs (default: the instructor's)",
      )
      .option('--token-ttl <duration>', 'lifetime of the learner tokens (e.g. 720h)', '720h')
      .addOption(
        new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
      ),
  )
    .addHelpText(
      'after',
      `
Per learner <id>: namespace <name>-<id> (labels ica-trainer/cohort=<name>, istio-injection=enabled) with
Bookinfo and fortio, ServiceAccount "learner", Role + RoleBinding "ica-trainer-learner" (Istio networking
resources: all verbs; pods and services: read), and <dir>/<id>.kubeconfig whose context's namespace is theirs.
For grading: ClusterRole ica-trainer-cohort-grader (read-only, no secrets) bound to ServiceAccount grader in
namespace ica-cohort-<name>, with <dir>/_grader.kubeconfig.

Running it again changes nothing that is already right (tokens still valid are kept).
Exit codes: 0 done, 2 bad roster or options, cluster unreachable, or forbidden.`,
    )
    .action(async (roster: string, opts) => {
      const { runCohortInit } = await import('./cohort-actions.ts');
      process.exitCode = await runCohortInit(roster, opts);
    });

  clusterOptions(
    cohort
      .command('add')
      .description('Add learners to a cohort (as init does for each)')
      .argument('<ids...>', 'learner ids')
      .option(COHORT_OPTION, COHORT_HELP)
      .option('--server <url>', 'API server URL for their kubeconfigs (default: as recorded at init)')
      .option('--token-ttl <duration>', 'lifetime of the learner tokens', '720h')
      .addOption(
        new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
      ),
  ).action(async (ids: string[], opts) => {
    const { runCohortAdd } = await import('./cohort-actions.ts');
    process.exitCode = await runCohortAdd(ids, opts);
  });

  clusterOptions(
    cohort
      .command('remove')
      .description(
        'Remove learners: revoke their access, delete their namespace and kubeconfig (their results are kept)',
      )
      .argument('<ids...>', 'learner ids')
      .option(COHORT_OPTION, COHORT_HELP)
      .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)'),
  )
    .addHelpText(
      'after',
      '\nExit codes: 0 removed (or you said no), 2 not confirmed (no terminal and no --yes), or a cluster error.',
    )
    .action(async (ids: string[], opts) => {
      const { runCohortRemove } = await import('./cohort-actions.ts');
      process.exitCode = await runCohortRemove(ids, opts);
    });

  clusterOptions(
    cohort
      .command('grade')
      .description(
        "Grade every learner's namespace with the live graders: one LIST per kind for the whole cohort, results stored with a timestamp",
      )
      .option(COHORT_OPTION, COHORT_HELP)
      .option('--lab <id>', 'a lab to grade (repeatable; default: every lab)', collect)
      .addOption(new Option('--concurrency <n>', 'gradings at once').default(8).argParser(positiveInt))
      .addOption(
        new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
      ),
  )
    .addHelpText(
      'after',
      `
A lab is "not started" (not graded) for a learner whose namespace has no Istio resource of the
kinds and hosts the lab configures (a VirtualService for reviews, say); the others are graded.
Every run is kept (history, never overwritten): \`cohort report\` reads them all.
Exit codes: 0 graded (whatever the learners' results), 2 cluster errors, unknown lab or cohort.`,
    )
    .action(async (opts) => {
      const { runCohortGrade } = await import('./cohort-grade-actions.ts');
      process.exitCode = await runCohortGrade(opts);
    });

  cohort
    .command('report')
    .description('Learners × labs (pass/fail, attempts) and the most frequent findings: what to teach next')
    .option(COHORT_OPTION, COHORT_HELP)
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['text', 'json', 'csv', 'junit', 'html'])
        .default('text'),
    )
    .option('--out <file>', 'write the report to this file (default: stdout)')
    .addOption(new Option('--top <n>', 'finding codes listed').default(10).argParser(positiveInt))
    .addHelpText(
      'after',
      `
html is one self-contained file (inline CSS and SVG, no external assets) to open in a browser.
Exit codes: 0 written, 2 unknown cohort or unwritable --out.`,
    )
    .action(async (opts) => {
      const { runCohortReport } = await import('./cohort-grade-actions.ts');
      process.exitCode = await runCohortReport(opts);
    });
}
