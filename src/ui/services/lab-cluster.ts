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
  const [{ loadCluster }, { resolveKubeconfig }, { watchIstio }, { gradeLab }] = await Promise.all([
    import('../../core/cluster/live-source.ts'),
    import('../../core/cluster/kubeconfig.ts'),
    import('../../core/labs/live-watch.ts'),
    import('../../core/grading/grade.ts'),
  ]);
  const recorded = env.cluster ? undefined : await clusterInfo(env);
  const options = env.cluster ?? (recorded ? { context: recorded.context } : {});
  const first = await loadCluster(options);
  const target = resolveKubeconfig(options);
  const namespace = first.namespace ?? target.namespace ?? 'default';
  const read = { ...options, namespace };
  return {
    label: `${first.context}, namespace ${namespace}`,
    grade: async () => {
      const live = await loadCluster(read);
      const result = await gradeLab(lab, {
        dir: `${live.context}/${namespace}`,
        mode: 'live',
        load: live.load,
        namespace,
      });
      const traffic = await safePicture(lab, live.load, { live: { namespace } });
      return { result, traffic, at: env.now().toISOString() };
    },
    watch: (onChange, onStatus) => {
      const w = watchIstio({ target, namespace, versions: first.istioVersions, onChange, onStatus });
      return { close: () => w.stop() };
    },
  };
}
