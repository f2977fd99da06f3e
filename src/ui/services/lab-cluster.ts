// Grading a lab from the cluster in the lab screen (key `l`): what is applied to
// the namespace, re-graded on every apply through the Kubernetes watch API, as
// `lab watch --live` does. The cluster is the one in env.cluster (tests), else the
// context `cluster up` recorded, else kubectl's current context.
import type { LoadedExercise } from '../../core/content/exercise-loader.ts';
import { clusterInfo } from './cluster.ts';
import type { TuiEnv, WatchHandle } from './env.ts';
import { type LabGrade, safePicture } from './lab.ts';

export interface ClusterGrading {
  /** `kind-ica, namespace default` */
  label: string;
  grade(): Promise<LabGrade>;
  watch(onChange: () => void, onStatus: (message: string) => void): WatchHandle;
}

/** Reads the cluster once (a clear error when it cannot be reached) and returns the grading source. */
export async function openClusterGrading(env: TuiEnv, lab: LoadedExercise): Promise<ClusterGrading> {
  const { openLiveLab } = await import('../../core/labs/live-lab.ts');
  const recorded = env.cluster ? undefined : await clusterInfo(env);
  const live = await openLiveLab(lab, env.cluster ?? (recorded ? { context: recorded.context } : {}));
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
