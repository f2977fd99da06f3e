// `ica-trainer cluster up|status|down`: the local kind cluster of live mode.
// The implementations (execa, kind, kubectl, istioctl) load lazily, so that
// `--help` stays fast; this module holds the option parsing and the display.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { formatDuration, tailLines } from '../core/cluster/exec.ts';
import { trainerCommand } from '../core/command-name.ts';
import { parseDurationMs } from '../core/config/duration.ts';
import { shellQuote } from '../core/text-safety.ts';
import { colorEnabled, EXIT, type Palette, palette, UserError, write } from './output.ts';

type StepEvent = import('../core/cluster/cluster-up.ts').StepEvent;
type ClusterStatus = import('../core/cluster/kind-status.ts').ClusterStatus;
type DeploymentHealth = import('../core/cluster/kind-status.ts').DeploymentHealth;

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

// ---------------------------------------------------------------- display

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 60
    ? `${s.toFixed(1)}s`
    : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/** One line per step: a spinner with the elapsed time on a TTY, plain lines otherwise. */
export function progressDisplay(stream: NodeJS.WriteStream = process.stdout): {
  onEvent: (e: StepEvent) => void;
  stop: () => void;
} {
  const tty = Boolean(stream.isTTY);
  const c = palette(colorEnabled(stream));
  let timer: NodeJS.Timeout | undefined;
  let started = 0;
  let frame = 0;
  let title = '';
  const clear = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const draw = () => {
    frame = (frame + 1) % SPINNER.length;
    stream.write(
      `\r\u001b[2K${c.cyan(SPINNER[frame] ?? '')} ${title} ${c.dim(seconds(Date.now() - started))}`,
    );
  };
  const finish = (mark: string, text: string) => {
    clear();
    const line = `${mark} ${text} ${c.dim(seconds(Date.now() - started))}\n`;
    stream.write(tty ? `\r\u001b[2K${line}` : line);
  };
  return {
    onEvent(e) {
      switch (e.type) {
        case 'start':
          clear();
          started = Date.now();
          title = e.title;
          if (tty) {
            draw();
            timer = setInterval(draw, 100);
            timer.unref();
          } else stream.write(`${c.dim('…')} ${e.title}\n`);
          break;
        case 'done':
          finish(c.green('✓'), e.detail ? `${e.title} ${c.dim(`(${e.detail})`)}` : e.title);
          break;
        case 'fail':
          finish(c.red('✗'), e.title);
          break;
        case 'skip':
          clear();
          stream.write(`${tty ? '\r\u001b[2K' : ''}${c.dim('–')} ${e.title}: ${e.detail}\n`);
          break;
      }
    },
    stop: clear,
  };
}

type StepErrorT = import('../core/cluster/cluster-up.ts').StepError;

/** The failed step's command, how it ended and its output, for stderr. */
export function formatStepFailure(e: StepErrorT, c: Palette, hints: string[]): string {
  const r = e.failure.result;
  const ended = r.timedOut
    ? `did not finish within ${formatDuration(e.failure.timeoutMs)} and was stopped`
    : r.notFound
      ? `could not start: ${r.file} is not on PATH`
      : r.exitCode !== 0
        ? `exited with code ${r.exitCode}`
        : e.failure.message;
  const lines = [`ica-trainer: ${e.step}: failed`, `  ${c.dim('$')} ${r.command}`, `  ${ended}`];
  const show = (label: string, text: string) => {
    const body = tailLines(text);
    if (body.length === 0) return;
    lines.push(`  ${label}:`, ...body.map((l) => `  ${c.dim('│')} ${l}`));
  };
  show('stderr', r.stderr);
  show('stdout', r.stdout);
  if (r.stderr.trim() === '' && r.stdout.trim() === '') lines.push('  (the command printed nothing)');
  lines.push(...hints);
  return `${lines.join('\n')}\n`;
}

function printPrerequisite(e: { message: string; details: string[] }): number {
  process.stderr.write(`ica-trainer: ${e.message}\n${e.details.map((d) => `  ${d}\n`).join('')}`);
  return EXIT.usage;
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

function mark(c: Palette, ok: boolean): string {
  return ok ? c.green('✓') : c.red('✗');
}

function deploymentLine(c: Palette, d: DeploymentHealth, width: number): string {
  const ok = d.present && d.ready >= d.desired && d.sidecar !== false;
  const what = !d.present
    ? 'not deployed'
    : `${d.ready}/${d.desired} ready${d.sidecar === true ? ', sidecar' : d.sidecar === false ? ', NO sidecar' : ''}`;
  return `${mark(c, ok)} ${d.name.padEnd(width)}  ${what}`;
}

export function formatStatus(s: ClusterStatus, c: Palette): string {
  const lines = [c.bold(`Cluster "${s.name}" (context ${s.context})`)];
  if (s.missingTools.length > 0)
    lines.push(`  ${mark(c, false)} missing tools: ${s.missingTools.join(', ')}`);
  if (s.docker) {
    lines.push(
      `  ${mark(c, s.docker.ok)} docker engine ${s.docker.ok ? `answers${s.docker.version ? ` (${s.docker.version})` : ''}` : 'does not answer'}`,
    );
  }
  if (s.cluster) {
    lines.push(
      `  ${mark(c, s.cluster.exists)} kind cluster ${s.name} ${s.cluster.exists ? 'exists' : 'not found'}`,
    );
  }
  if (s.istio) {
    const ok = s.istio.installed && s.istio.deployments.every((d) => d.ready >= d.desired);
    const parts = s.istio.deployments.map((d) => `${d.name} ${d.ready}/${d.desired}`).join(', ');
    lines.push(
      `  ${mark(c, ok)} Istio ${s.istio.installed ? `${s.istio.version ?? ''} installed`.trim() : 'not installed'}${parts ? `: ${parts}` : ''}`,
    );
  }
  if (s.injection) {
    lines.push(
      `  ${mark(c, s.injection.enabled)} sidecar injection ${s.injection.enabled ? 'enabled' : 'not enabled'} in namespace ${s.injection.namespace}`,
    );
  }
  if (s.workloads) {
    lines.push(`  Bookinfo and fortio in namespace ${s.workloads.namespace}:`);
    const width = Math.max(...s.workloads.deployments.map((d) => d.name.length));
    for (const d of s.workloads.deployments) lines.push(`    ${deploymentLine(c, d, width)}`);
  }
  if (s.legacy) {
    // the plaintext client must run without a sidecar: that is what "ok" means for it
    const d = s.legacy.deployment;
    const ok = d.present && d.ready >= d.desired && d.sidecar !== true;
    const what = !d.present
      ? 'not deployed'
      : `${d.ready}/${d.desired} ready${d.sidecar === false ? ', no sidecar (plaintext)' : d.sidecar === true ? ', WITH a sidecar' : ''}`;
    lines.push(`  ${mark(c, ok)} plaintext client ${s.legacy.namespace}/${d.name}  ${what}`);
  }
  lines.push(
    s.recorded
      ? c.dim(
          `  recorded context: ${s.recorded.context} (profile ${s.recorded.istioProfile}, ${s.recorded.updatedAt})`,
        )
      : c.dim('  no context recorded by `cluster up`'),
  );
  lines.push('');
  if (s.healthy) lines.push(c.green('Healthy.'));
  else lines.push(c.red('Not healthy:'), ...s.problems.map((p) => `  - ${p}`));
  return `${lines.join('\n')}\n`;
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
