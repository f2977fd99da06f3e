// Which labs `cohort grade` can grade per learner (kept apart from grade.ts, which the CLI
// loads only when it grades).
/**
 * Whether `cohort grade` can grade a lab per learner: it reads the cluster, so the lab
 * must be gradable live, and it must need nothing beyond the learner's namespace.
 */
export function cohortGradable(lab: { modes: readonly string[]; cohort?: boolean }): boolean {
  return lab.modes.includes('live') && lab.cohort !== false;
}
