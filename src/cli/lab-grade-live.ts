// `lab check --live`: grades what is applied to a cluster, read through the Kubernetes API
// (the cluster code is imported on first use, so offline commands start without it).
import type { LoadedExercise } from '../core/content/exercise-loader.ts';
import { gradeLab } from '../core/grading/grade.ts';
import type { LabResult } from '../core/grading/types.ts';
import type { LiveFlags } from './lab.ts';
import type { SimulateOverride } from './lab-probe.ts';
import { notice as note, UserError } from './output.ts';

/** Grades what is applied to the cluster, read through the Kubernetes API. */
export async function gradeLive(lab: LoadedExercise, flags: LiveFlags): Promise<LabResult> {
  const [
    { loadCluster },
    { isClusterError },
    { parseRequestTimeout, checkNamespaceFlag },
    { assertGradedLive, labReadGaps },
    { readNoteFindings },
    { chooseMeshConfigMapIn },
  ] = await Promise.all([
    import('../core/cluster/live-source.ts'),
    import('../core/cluster/errors.ts'),
    import('./analyze-live.ts'),
    import('../core/labs/live-lab.ts'),
    import('../core/cluster/findings.ts'),
    import('../core/config/mesh-revisions.ts'),
  ]);
  assertGradedLive(lab);
  checkNamespaceFlag(flags.namespace);
  // a lab whose YAML names its namespace is graded there, whatever the context's namespace
  if (lab.namespace && flags.namespace && flags.namespace !== lab.namespace)
    throw new UserError(
      `-n ${flags.namespace}: ${lab.id}'s resources and checks name namespace ${lab.namespace} (and istio-system, legacy); apply them as written and grade without -n, or with -n ${lab.namespace}`,
    );
  const namespaceFlag = lab.namespace ?? flags.namespace;
  const timeoutMs = parseRequestTimeout(flags.requestTimeout);
  try {
    const live = await loadCluster({
      ...(flags.context ? { context: flags.context } : {}),
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      ...(namespaceFlag ? { namespace: namespaceFlag } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
      // the Gateways' credentialName Secrets, by name: their certificates and CA are graded
      credentialData: true,
    });
    const namespace = live.namespace ?? 'default';
    const readGaps = labReadGaps(lab, live);
    // a credential Secret the account may not read: said once (ICA0201), and in the reasons
    const unread = readNoteFindings(
      live.notes.filter((n) => n.reason === 'credential-forbidden'),
      [],
      namespace,
    );
    for (const f of unread) note(`${f.code} ${f.message}`);
    // control planes side by side (a canary upgrade): which revision's mesh config counts
    const why = chooseMeshConfigMapIn(live.load.resources)?.why;
    if (why) note(why);
    const grade = async (simulate?: SimulateOverride) => {
      const result = await gradeLab(lab, {
        dir: `${live.context}/${namespace}`,
        mode: 'live',
        load: live.load,
        namespace,
        ...(readGaps ? { readGaps } : {}),
        ...(simulate ? { simulate } : {}),
      });
      return { ...result, findings: [...result.findings, ...unread] };
    };
    if (!flags.probe) return await grade();
    const { gradeWithProbes } = await import('./lab-probe.ts');
    return await gradeWithProbes(grade, {
      namespace,
      context: live.context,
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      onProbe: (what) => note(`probing: ${what}`),
    });
  } catch (e) {
    if (isClusterError(e)) throw new UserError(e.message);
    throw e;
  }
}
