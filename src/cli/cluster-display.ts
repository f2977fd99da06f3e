// What `ica-trainer cluster up|status|down` print: the step-by-step progress,
// a failed step's command and output, and the status report. Kept apart from
// the command wiring in cluster.ts; nothing here runs a tool.
import { formatDuration, tailLines } from '../core/cluster/exec.ts';
import { colorEnabled, EXIT, type Palette, palette } from './output.ts';

type StepEvent = import('../core/cluster/cluster-up.ts').StepEvent;
type ClusterStatus = import('../core/cluster/kind-status.ts').ClusterStatus;
type DeploymentHealth = import('../core/cluster/kind-status.ts').DeploymentHealth;
export type StepErrorT = import('../core/cluster/cluster-up.ts').StepError;

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

export function printPrerequisite(e: { message: string; details: string[] }): number {
  process.stderr.write(`ica-trainer: ${e.message}\n${e.details.map((d) => `  ${d}\n`).join('')}`);
  return EXIT.usage;
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
