// kind: list, create, re-export the kubeconfig of, and delete the lab cluster.
import { goDuration, type Runner, runChecked } from './exec.ts';

export const DEFAULT_CLUSTER_NAME = 'ica';

/** The kubeconfig context kind makes for a cluster. */
export function kindContext(name: string): string {
  return `kind-${name}`;
}

/** Why `name` cannot be a kind cluster name, or undefined when it can. */
export function clusterNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 50) {
    return `"${name}" is not a valid kind cluster name: use lower-case letters, digits, "-" and "." (at most 50 characters, starting and ending with a letter or digit)`;
  }
  return undefined;
}

const QUICK_MS = 30_000;

/** `kind get clusters`: the names of the kind clusters on this machine. */
export async function kindClusters(run: Runner): Promise<string[]> {
  const r = await runChecked(run, { file: 'kind', args: ['get', 'clusters'], timeoutMs: QUICK_MS });
  // With none, kind prints "No kind clusters found." on stderr and nothing on stdout.
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export interface KindCreateOptions {
  name: string;
  /** how long kind waits for the control plane, and the command's own limit */
  timeoutMs: number;
  /** node image (kindest/node:vX.Y.Z@sha256:...), for a Kubernetes version other than kind's default */
  image?: string;
}

export function kindCreateArgs(o: KindCreateOptions): string[] {
  const args = ['create', 'cluster', '--name', o.name, '--wait', goDuration(o.timeoutMs)];
  if (o.image) args.push('--image', o.image);
  return args;
}

/** `kind create cluster`: also sets the kubeconfig context kind-<name>. */
export async function kindCreateCluster(run: Runner, o: KindCreateOptions): Promise<void> {
  await runChecked(run, { file: 'kind', args: kindCreateArgs(o), timeoutMs: o.timeoutMs + 60_000 });
}

/** `kind export kubeconfig`: puts the context kind-<name> back in the kubeconfig (idempotent). */
export async function kindExportKubeconfig(run: Runner, name: string): Promise<void> {
  await runChecked(run, {
    file: 'kind',
    args: ['export', 'kubeconfig', '--name', name],
    timeoutMs: QUICK_MS,
  });
}

/** `kind delete cluster`: removes the node containers and the kubeconfig context. */
export async function kindDeleteCluster(run: Runner, name: string, timeoutMs = 180_000): Promise<void> {
  await runChecked(run, { file: 'kind', args: ['delete', 'cluster', '--name', name], timeoutMs });
}
