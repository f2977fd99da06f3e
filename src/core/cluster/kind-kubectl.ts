// kubectl against the lab cluster. Every call names the context explicitly
// (`--context kind-<name>`), so nothing ever lands on whatever cluster the
// learner's current context happens to point at.
import { CommandError, type CommandSpec, goDuration, type Runner, runChecked } from './exec.ts';

const QUICK_MS = 30_000;
/** the API server's own limit for reads, shorter than the command's */
const REQUEST_TIMEOUT = '20s';

export function kubectlSpec(context: string, args: readonly string[], timeoutMs = QUICK_MS): CommandSpec {
  return { file: 'kubectl', args: ['--context', context, ...args], timeoutMs };
}

/** `kubectl label namespace <ns> istio-injection=enabled --overwrite` */
export async function enableInjection(run: Runner, context: string, ns: string): Promise<void> {
  await runChecked(
    run,
    kubectlSpec(context, ['label', 'namespace', ns, 'istio-injection=enabled', '--overwrite']),
  );
}

/** `kubectl label namespace <ns> istio-injection- istio.io/rev=<rev> --overwrite`: new pods get that revision. */
export async function injectRevision(
  run: Runner,
  context: string,
  ns: string,
  revision: string,
): Promise<void> {
  await runChecked(
    run,
    kubectlSpec(context, [
      'label',
      'namespace',
      ns,
      'istio-injection-',
      `istio.io/rev=${revision}`,
      '--overwrite',
    ]),
  );
}

/** `kubectl apply -f -` with the manifests on stdin; returns kubectl's summary lines. */
export async function applyManifests(run: Runner, context: string, yaml: string): Promise<string[]> {
  const r = await runChecked(run, { ...kubectlSpec(context, ['apply', '-f', '-'], 120_000), input: yaml });
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

export function waitArgs(ns: string, timeoutMs: number): string[] {
  return [
    'wait',
    '--for=condition=available',
    'deployment',
    '--all',
    '-n',
    ns,
    `--timeout=${goDuration(timeoutMs)}`,
  ];
}

/** `kubectl wait --for=condition=available deployment --all -n <ns>` */
export async function waitAvailable(
  run: Runner,
  context: string,
  ns: string,
  timeoutMs: number,
): Promise<void> {
  // kubectl gets a little longer than its own --timeout, so that it reports which deployment it waited for.
  await runChecked(run, kubectlSpec(context, waitArgs(ns, timeoutMs), timeoutMs + 30_000));
}

/** Reads objects as JSON: `kubectl get <args> -o json`. Throws CommandError on failure. */
export async function kubectlGetJson(
  run: Runner,
  context: string,
  args: readonly string[],
): Promise<unknown> {
  const spec = kubectlSpec(context, ['get', ...args, '-o', 'json', `--request-timeout=${REQUEST_TIMEOUT}`]);
  const r = await runChecked(run, spec);
  try {
    return JSON.parse(r.stdout) as unknown;
  } catch {
    throw new CommandError(r, spec.timeoutMs, 'printed something that is not JSON');
  }
}

export interface DeploymentState {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  desired: number;
  ready: number;
  available: number;
  images: string[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const labelsOf = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** Deployments of a `kubectl get deployments -o json` list. */
export function parseDeployments(list: unknown): DeploymentState[] {
  return arr(obj(list).items).map((item) => {
    const o = obj(item);
    const meta = obj(o.metadata);
    const spec = obj(o.spec);
    const status = obj(o.status);
    const containers = arr(obj(obj(obj(spec.template).spec)).containers);
    return {
      name: String(meta.name ?? ''),
      namespace: String(meta.namespace ?? ''),
      labels: labelsOf(meta.labels),
      desired: typeof spec.replicas === 'number' ? spec.replicas : 1,
      ready: num(status.readyReplicas),
      available: num(status.availableReplicas),
      images: containers.map((c) => String(obj(c).image ?? '')),
    };
  });
}

export interface PodState {
  name: string;
  labels: Record<string, string>;
  /** an istio-proxy container (or native sidecar init container) is present */
  sidecar: boolean;
  ready: boolean;
  phase: string;
}

/** Pods of a `kubectl get pods -o json` list. */
export function parsePods(list: unknown): PodState[] {
  return arr(obj(list).items).map((item) => {
    const o = obj(item);
    const meta = obj(o.metadata);
    const spec = obj(o.spec);
    const status = obj(o.status);
    const names = [...arr(spec.containers), ...arr(spec.initContainers)].map((c) => obj(c).name);
    const readyCond = arr(status.conditions).find((c) => obj(c).type === 'Ready');
    return {
      name: String(meta.name ?? ''),
      labels: labelsOf(meta.labels),
      sidecar: names.includes('istio-proxy'),
      ready: obj(readyCond).status === 'True',
      phase: String(status.phase ?? ''),
    };
  });
}

/** Labels of a `kubectl get namespace <ns> -o json` object. */
export function namespaceLabels(nsObject: unknown): Record<string, string> {
  return labelsOf(obj(obj(nsObject).metadata).labels);
}
