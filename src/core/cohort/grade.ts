// `cohort grade` in core: one read of the cluster (source.ts), then every learner ×
// lab graded by the live graders on the learner's LoadResult, at most `concurrency`
// at once, and the run stored as a new file (history is never overwritten).
import { createHash } from 'node:crypto';
import type { Resource } from '../config/resource.ts';
import type { LoadedExercise } from '../content/exercise-loader.ts';
import { gradeLab } from '../grading/grade.ts';
import type { LabResult } from '../grading/types.ts';
import { crossLearnerAlerts } from './alerts.ts';
import { startedLab } from './footprint.ts';
import { mapBounded } from './kube.ts';
import type { CohortClusterOptions } from './setup.ts';
import { type CohortSnapshot, type LearnerLoad, readCohortSnapshot } from './source.ts';
import { COHORT_VERSION, type CohortStoreOptions, type GradeRun, type LabOutcome, saveRun } from './store.ts';

export const DEFAULT_GRADE_CONCURRENCY = 8;

export interface CohortGradeOptions extends CohortClusterOptions, CohortStoreOptions {
  cohort: string;
  labs: readonly LoadedExercise[];
  /** gradings at once (default 8) */
  concurrency?: number;
  /** store the run (default true) */
  save?: boolean;
  now?: () => Date;
}

export interface CohortGradeResult {
  run: GradeRun;
  /** where the run was stored */
  path?: string;
  /** namespaces labelled for the cohort that are being deleted (not graded) */
  terminating: string[];
  /** time spent reading the cluster and grading (ms) */
  readMs: number;
  gradeMs: number;
}

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** A hash of what the learner configured: their Istio resources' kinds, names and specs. */
export function fingerprint(istio: readonly Resource[]): string {
  const parts = istio.map((r) => `${r.kind}/${r.name}:${JSON.stringify(stable(r.raw.spec ?? {}))}`).sort();
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/** A LabResult as stored: Error and Warning findings only. */
export function toOutcome(result: LabResult): LabOutcome {
  return {
    lab: result.lab,
    attempted: true,
    pass: result.pass,
    criteria: result.criteria.map((c) => ({
      id: c.id,
      pass: c.pass,
      reason: c.reason,
      codes: c.codes,
    })),
    findings: result.findings
      .filter((f) => f.level !== 'Info')
      .map((f) => ({
        code: f.code,
        level: f.level,
        ...(f.origin ? { origin: f.origin } : {}),
        message: f.message,
      })),
  };
}

/** Not graded: the namespace holds nothing this lab configures (footprint.ts). */
function notAttempted(lab: string): LabOutcome {
  return { lab, attempted: false, pass: false, criteria: [], findings: [] };
}

/** Grades one learner's load for one lab, short hosts resolving in their namespace. */
export async function gradeLearnerLab(learner: LearnerLoad, lab: LoadedExercise): Promise<LabOutcome> {
  if (!(await startedLab(lab, learner.istio))) return notAttempted(lab.id);
  try {
    const result = await gradeLab(lab, {
      dir: `namespace ${learner.namespace}`,
      mode: 'live',
      load: learner.load,
      namespace: learner.namespace,
    });
    return toOutcome(result);
  } catch (e) {
    return {
      lab: lab.id,
      attempted: true,
      pass: false,
      criteria: [],
      findings: [],
      error: `could not be graded: ${(e as Error).message}`,
    };
  }
}

/** Grades an already read snapshot (the bench and tests reuse one read). */
export async function gradeSnapshot(
  snapshot: CohortSnapshot,
  options: Pick<CohortGradeOptions, 'cohort' | 'labs' | 'concurrency'> & {
    startedAt: Date;
    now?: () => Date;
  },
): Promise<GradeRun> {
  const tasks = snapshot.learners.flatMap((learner) => options.labs.map((lab) => ({ learner, lab })));
  const outcomes = await mapBounded(tasks, options.concurrency ?? DEFAULT_GRADE_CONCURRENCY, (t) =>
    gradeLearnerLab(t.learner, t.lab),
  );
  const learners = snapshot.learners.map((learner, i) => ({
    id: learner.id,
    namespace: learner.namespace,
    fingerprint: fingerprint(learner.istio),
    istioResources: learner.istio.length,
    results: outcomes.slice(i * options.labs.length, (i + 1) * options.labs.length),
  }));
  return {
    version: COHORT_VERSION,
    cohort: options.cohort,
    startedAt: options.startedAt.toISOString(),
    finishedAt: (options.now?.() ?? new Date()).toISOString(),
    context: snapshot.context,
    server: snapshot.server,
    labs: options.labs.map((l) => ({ id: l.id, title: l.title })),
    requests: snapshot.requests,
    notes: snapshot.notes,
    alerts: crossLearnerAlerts(snapshot.learners),
    learners,
  };
}

export async function gradeCohort(options: CohortGradeOptions): Promise<CohortGradeResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const t0 = performance.now();
  const snapshot = await readCohortSnapshot(options.cohort, options);
  const t1 = performance.now();
  const run = await gradeSnapshot(snapshot, { ...options, startedAt, now });
  const t2 = performance.now();
  const path = options.save === false ? undefined : await saveRun(run, options);
  return {
    run,
    ...(path ? { path } : {}),
    terminating: snapshot.terminating,
    readMs: t1 - t0,
    gradeMs: t2 - t1,
  };
}
