// `ica-trainer cluster up|status|down`: the local kind cluster of live mode.
// The implementations (execa, kind, kubectl, istioctl) load lazily, so that
// `--help` stays fast; this module holds the option parsing and the actions (their output is
// formatted in cluster-display.ts).
import { type Command, InvalidArgumentError, Option } from 'commander';
import { formatDuration } from '../core/cluster/exec.ts';
import { trainerCommand } from '../core/command-name.ts';
import { parseDurationMs } from '../core/config/duration.ts';
import { shellQuote } from '../core/text-safety.ts';
import {
  formatStatus,
  formatStepFailure,
  printPrerequisite,
  progressDisplay,
  type StepErrorT,
} from './cluster-display.ts';
import { colorEnabled, EXIT, palette, UserError, write } from './output.ts';

const PREREQUISITES = `
Needs, on PATH: docker (with its engine running), kind, kubectl and istioctl.
For Istio 1.26 (which supports Kubernetes 1.29-1.33): kind v0.27-v0.29 (their default
nodes run Kubernetes 1.32/1.33), kubectl 1.32/1.33, istioctl 1.26.x (the version of
istioctl is the version of Istio it installs).`;

function parseTimeout(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms <= 0) {
    throw new InvalidArgumentError('expected a positive duration such as 10m, 90s or 1h');
  }
  return ms;
}

export interface UpCliOptions {
  name: string;
  istioProfile: string;
  timeout: number;
  kindImage?: string;
  revision?: string;
  yes?: boolean;
}

export function registerCluster(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('Live mode: a local kind cluster with Istio, Bookinfo and a fortio client');

  cluster
    .command('up')
    .description(
      "Create (or reuse) a kind cluster, install Istio, enable sidecar injection, deploy Bookinfo, fortio, the plaintext client legacy/curl and Istio's sample ext-authz (namespace foo, its providers in the mesh config), wait until ready",
    )
    .option('--name <name>', 'kind cluster name (the kubeconfig context is kind-<name>)', 'ica')
    .option('--istio-profile <profile>', 'istioctl installation profile', 'demo')
    .addOption(
      new Option(
        '--timeout <duration>',
        'limit for each long step: cluster creation, Istio install, each readiness wait',
      )
        .default(parseTimeout('10m'), '10m')
        .argParser(parseTimeout),
    )
    .option(
      '--revision <rev>',
      'install this Istio revision (istioctl --set revision=REV, e.g. 1-26) and label the Bookinfo namespace istio.io/rev=REV',
    )
    .option('-y, --yes', 'change a running mesh (upgrade in place, or add a revision) without asking')
    .option(
      '--kind-image <image>',
      "kind node image, for a Kubernetes version other than kind's default (e.g. kindest/node:v1.33.1@sha256:...)",
    )
    .addHelpText(
      'after',
      `${PREREQUISITES}

Running it again is safe: an existing cluster is reused, Istio and the manifests are applied again.
On a cluster that already runs Istio, an install that would change it (istioctl is another version
than the running revision: an in-place upgrade; or --revision names a new revision: a canary) is
asked about first; without a terminal it needs --yes, else nothing is installed.
Exit codes: 0 ready (or you said no), 1 a step failed (its command and output are shown), 2 a tool
is missing, docker's engine does not answer, an option is invalid, or a change to the running mesh
was not confirmed (no terminal and no --yes): nothing was changed.`,
    )
    .action(async (opts: UpCliOptions) => {
      process.exitCode = await runClusterUp(opts);
    });

  cluster
    .command('status')
    .description(
      'Show what is there (cluster, context, Istio, Bookinfo pods per deployment) and whether it is healthy',
    )
    .option('--name <name>', 'kind cluster name', 'ica')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExit codes: 0 healthy, 1 not healthy (the problems are listed with what to do).')
    .action(async (opts: { name: string; output: 'text' | 'json' }) => {
      process.exitCode = await runClusterStatus(opts);
    });

  cluster
    .command('down')
    .description('Delete the kind cluster and forget its recorded context')
    .option('--name <name>', 'kind cluster name', 'ica')
    .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)')
    .addHelpText(
      'after',
      '\nExit codes: 0 deleted (or there was nothing to delete, or you said no), 1 deletion failed,\n' +
        '2 not confirmed (no terminal and no --yes), or a tool is missing.',
    )
    .action(async (opts: { name: string; yes?: boolean }) => {
      process.exitCode = await runClusterDown(opts);
    });
}

// ---------------------------------------------------------------- actions

async function runClusterUp(opts: UpCliOptions): Promise<number> {
  const { clusterUp, ClusterOptionError, ConfirmationRequired, StepError, UpgradeDeclined } = await import(
    '../core/cluster/cluster-up.ts'
  );
  const { PrerequisiteError } = await import('../core/cluster/exec.ts');
  const c = palette(colorEnabled(process.stderr));
  const display = progressDisplay();
  try {
    const result = await clusterUp(
      {
        name: opts.name,
        istioProfile: opts.istioProfile,
        timeoutMs: opts.timeout,
        ...(opts.kindImage ? { kindImage: opts.kindImage } : {}),
        ...(opts.revision !== undefined ? { revision: opts.revision } : {}),
        yes: Boolean(opts.yes),
        ...(process.stdin.isTTY ? { confirm } : {}),
      },
      { progress: display.onEvent },
    );
    const o = palette();
    await write(
      [
        '',
        o.green(`Cluster "${result.name}" is ready`) +
          ` (${result.created ? 'created' : 'reused'}; Istio profile ${opts.istioProfile}${opts.revision ? `, revision ${opts.revision}` : ''}).`,
        `Context: ${result.context} (recorded in ${result.recordPath})`,
        `Try: ${trainerCommand()} cluster status   or   kubectl --context ${shellQuote(result.context)} get pods`,
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  } catch (e) {
    display.stop();
    if (e instanceof ClusterOptionError || e instanceof ConfirmationRequired) throw new UserError(e.message);
    if (e instanceof UpgradeDeclined) {
      await write(`${e.message}\n`);
      return EXIT.ok;
    }
    if (e instanceof PrerequisiteError) return printPrerequisite(e);
    if (e instanceof StepError) {
      process.stderr.write(formatStepFailure(e, c, upHints(e, opts)));
      return EXIT.fail;
    }
    throw e;
  }
}

function upHints(e: StepErrorT, opts: UpCliOptions): string[] {
  const ctx = `kind-${opts.name}`;
  const hints: string[] = [];
  if (e.id === 'wait-istio' || e.id === 'wait-bookinfo') {
    const ns = e.id === 'wait-istio' ? 'istio-system' : 'default';
    hints.push(
      `See what is not ready: \`kubectl --context ${ctx} get pods -n ${ns}\` ` +
        '(ImagePullBackOff: an image cannot be downloaded; Pending: the node lacks CPU or memory).',
    );
  }
  if (e.failure.result.timedOut) {
    hints.push(
      `It may only need longer: run again with a larger --timeout (it was ${formatDuration(opts.timeout)}).`,
    );
  }
  hints.push(
    `Fix the cause and run \`${trainerCommand()} cluster up\` again: it continues from where it stopped ` +
      '(an existing cluster is reused).',
  );
  return hints;
}

async function runClusterStatus(opts: { name: string; output: 'text' | 'json' }): Promise<number> {
  const { clusterNameProblem } = await import('../core/cluster/kind.ts');
  const problem = clusterNameProblem(opts.name);
  if (problem) throw new UserError(problem);
  const { clusterStatus } = await import('../core/cluster/kind-status.ts');
  const status = await clusterStatus({ name: opts.name });
  await write(
    opts.output === 'json' ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status, palette()),
  );
  return status.healthy ? EXIT.ok : EXIT.fail;
}

async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

async function runClusterDown(opts: { name: string; yes?: boolean }): Promise<number> {
  const { clusterDown, ClusterOptionError, ConfirmationRequired, StepError } = await import(
    '../core/cluster/cluster-up.ts'
  );
  const { PrerequisiteError } = await import('../core/cluster/exec.ts');
  const display = progressDisplay();
  try {
    const result = await clusterDown(
      { name: opts.name, yes: Boolean(opts.yes), ...(process.stdin.isTTY ? { confirm } : {}) },
      { progress: display.onEvent },
    );
    const forgot = (f: boolean) => (f ? ' Its recorded context was forgotten.' : '');
    if (result.outcome === 'deleted') {
      await write(`Deleted the kind cluster "${result.name}".${forgot(result.forgotRecord)}\n`);
    } else if (result.outcome === 'absent') {
      await write(
        `There is no kind cluster named "${result.name}": nothing to delete.${forgot(result.forgotRecord)}\n`,
      );
    } else {
      await write('Nothing was deleted.\n');
    }
    return EXIT.ok;
  } catch (e) {
    display.stop();
    if (e instanceof ClusterOptionError || e instanceof ConfirmationRequired) throw new UserError(e.message);
    if (e instanceof PrerequisiteError) return printPrerequisite(e);
    if (e instanceof StepError) {
      process.stderr.write(
        formatStepFailure(e, palette(colorEnabled(process.stderr)), [
          `The recorded context was kept; run \`${trainerCommand()} cluster down\` again once the cause is fixed.`,
        ]),
      );
      return EXIT.fail;
    }
    throw e;
  }
}
