// What live mode needs on the learner's machine, checked before anything runs:
// the four tools on PATH (looked up, not run), then docker's engine answering.
import { findOnPath, PrerequisiteError, type Runner, tailLines } from './exec.ts';

export type ToolName = 'docker' | 'kind' | 'kubectl' | 'istioctl';

export interface ToolInfo {
  name: ToolName;
  /** what it is for, in a few words */
  purpose: string;
  /** versions that fit Istio 1.26 (Kubernetes 1.29 to 1.33) */
  versions: string;
  /** where to get it */
  url: string;
}

export const LIVE_TOOLS: readonly ToolInfo[] = [
  {
    name: 'docker',
    purpose: 'runs the kind cluster nodes as containers',
    versions: 'Docker Engine 24 or newer, or Docker Desktop 4.x',
    url: 'https://docs.docker.com/get-docker/',
  },
  {
    name: 'kind',
    purpose: 'creates the local Kubernetes cluster',
    versions: 'v0.27 to v0.29 (their default nodes run Kubernetes 1.32 or 1.33)',
    url: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
  },
  {
    name: 'kubectl',
    purpose: 'applies Bookinfo and waits for it',
    versions: '1.32 or 1.33 (within one minor version of the cluster)',
    url: 'https://kubernetes.io/docs/tasks/tools/',
  },
  {
    name: 'istioctl',
    purpose: 'installs Istio (its version is the version installed)',
    versions: '1.26.x',
    url: 'https://istio.io/latest/docs/setup/additional-setup/download-istio-release/',
  },
];

/** What `cluster up` needs; `cluster status` and the lab screen report the same list. */
export const UP_TOOLS: readonly ToolName[] = ['docker', 'kind', 'kubectl', 'istioctl'];

export function toolInfo(name: ToolName): ToolInfo {
  const info = LIVE_TOOLS.find((t) => t.name === name);
  if (!info) throw new Error(`unknown tool ${name}`);
  return info;
}

/** The tools among `names` that are not on PATH (nothing is run). */
export function missingTools(names: readonly ToolName[], env: NodeJS.ProcessEnv = process.env): ToolInfo[] {
  return names.filter((n) => findOnPath(n, env) === undefined).map(toolInfo);
}

/** One message listing what is missing and where to get it. */
export function missingToolsError(missing: readonly ToolInfo[], forWhat: string): PrerequisiteError {
  const names = missing.map((t) => t.name);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return new PrerequisiteError(
    `${forWhat} needs ${list}, which ${missing.length === 1 ? 'is' : 'are'} not installed (not found on PATH).`,
    [
      ...missing.map((t) => `${t.name}: ${t.purpose}; install ${t.versions} from ${t.url}`),
      'Nothing was changed. Install the missing tools, then run the command again.',
    ],
  );
}

/** Throws PrerequisiteError unless every tool in `names` is on PATH. */
export function requireTools(names: readonly ToolName[], forWhat: string, env?: NodeJS.ProcessEnv): void {
  const missing = missingTools(names, env);
  if (missing.length > 0) throw missingToolsError(missing, forWhat);
}

export const DOCKER_INFO_ARGS = ['info', '--format', '{{.ServerVersion}}'] as const;

/** `docker info`: the engine's version, or PrerequisiteError with what docker said. */
export async function checkDockerEngine(run: Runner, timeoutMs = 20_000): Promise<string> {
  const r = await run({ file: 'docker', args: DOCKER_INFO_ARGS, timeoutMs });
  if (r.exitCode === 0 && !r.timedOut) return r.stdout.trim();
  const said = tailLines(r.stderr || r.stdout, 10);
  throw new PrerequisiteError(
    r.timedOut
      ? `docker's engine did not answer within ${Math.round(timeoutMs / 1000)}s (\`${r.command}\`).`
      : `docker is installed but its engine does not answer (\`${r.command}\` exited ${r.exitCode}).`,
    [
      ...said.map((l) => `docker: ${l}`),
      'Start Docker Desktop, or the docker service (`sudo systemctl start docker`), then run the command again.',
    ],
  );
}
