// Grading a lab from the cluster in the lab screen (key `l`): what is applied to
// the namespace, re-graded on every apply through the Kubernetes watch API, as
// `lab watch --live` does. The cluster is the one in env.cluster (tests), else the
// context `cluster up` recorded, else kubectl's current context.
import type { LoadedExercise } from '../../core/content/exercise-loader.ts';
import { clusterInfo } from './cluster.ts';
import type { TuiEnv, WatchHandle } from './env.ts';
import { type LabGrade, safePicture } from './lab.ts';

/** The cluster cannot be graded: `message` is one line (what is missing, how to get it), `detail` the cause. */
export class ClusterUnavailable extends Error {
  readonly detail: string;
  constructor(message: string, detail: string) {
    super(message);
    this.detail = detail;
  }
}

export interface ClusterGrading {
  /** `kind-ica, namespace default` */
  label: string;
  grade(): Promise<LabGrade>;
  watch(onChange: () => void, onStatus: (message: string) => void): WatchHandle;
}

/** Why the cluster cannot be graded, and how to get one, in one line (undefined: not a missing cluster). */
export function noClusterLine(
  error: string,
  missingTools: readonly string[],
  command: string,
): string | undefined {
  const reason = /no kubeconfig|kubeconfig|ENOENT/i.test(error)
    ? 'no kubeconfig'
    : /context/i.test(error) && /not found|does not exist|no context/i.test(error)
      ? 'no such context in your kubeconfig'
      : /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|does not answer|timed out|cluster running/i.test(error)
        ? 'the cluster does not answer'
        : /CRDs are not installed/.test(error)
          ? 'Istio is not installed in it'
          : undefined;
  if (!reason) return undefined;
  const tools = missingTools.length ? `; it needs ${missingTools.join(', ')}, not installed here` : '';
  return `No cluster: ${reason}. \`${command} cluster up\` makes one${tools}.`;
}

/** The one-line message for a cluster that cannot be graded (the error itself when it is not about a missing cluster). */
export async function clusterProblem(error: unknown): Promise<string> {
  const text = error instanceof Error ? error.message : String(error);
  const { missingTools, UP_TOOLS } = await import('../../core/cluster/cluster-up-preflight.ts');
  const { trainerCommand } = await import('../../core/command-name.ts');
  const missing = missingTools(UP_TOOLS).map((t) => t.name);
  return noClusterLine(text, missing, trainerCommand()) ?? `cannot grade from the cluster: ${text}`;
}

/** Reads the cluster once (a clear error when it cannot be reached) and returns the grading source. */
export async function openClusterGrading(env: TuiEnv, lab: LoadedExercise): Promise<ClusterGrading> {
  const { openLiveLab } = await import('../../core/labs/live-lab.ts');
  const recorded = env.cluster ? undefined : await clusterInfo(env);
  let live: Awaited<ReturnType<typeof openLiveLab>>;
  try {
    live = await openLiveLab(lab, env.cluster ?? (recorded ? { context: recorded.context } : {}));
  } catch (e) {
    throw new ClusterUnavailable(await clusterProblem(e), e instanceof Error ? e.message : String(e));
  }
  return {
    label: `${live.context}, namespace ${live.namespace}`,
    grade: async () => {
      const { result, load } = await live.grade();
      const traffic = await safePicture(lab, load, { live: { namespace: live.namespace } });
      return { result, traffic, at: env.now().toISOString() };
    },
    watch: (onChange, onStatus) => ({ close: live.watch(onChange, onStatus) }),
  };
}
