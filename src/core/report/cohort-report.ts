// The cohort report: learners × labs from every stored grade run, and the finding
// codes most learners are stuck on (what to teach next).
//
// A cell (learner, lab):
//   passed       some run graded it passing (firstPassedAt: the first such run)
//   failed       graded with the learner's resources present, never passing
//   not-started  the learner's namespace never held what the lab configures when graded
// attempts: the distinct configurations (fingerprints of the learner's Istio resources)
// graded for the lab, up to and including the first passing one. Grading the same
// configuration again is not another attempt.
import { CATALOG } from '../analysis/catalog/index.ts';
import type { CohortRecord, GradeRun, LabOutcome } from '../cohort/store.ts';

export type CellStatus = 'passed' | 'failed' | 'not-started';

export interface ReportCell {
  status: CellStatus;
  attempts: number;
  firstPassedAt?: string;
  lastGradedAt?: string;
  /** the latest graded outcome (a passed lab can fail again later) */
  current?: 'pass' | 'fail';
  /** failing criteria of the latest graded outcome */
  failing: string[];
  /** finding codes of the latest graded outcome, when it fails */
  codes: string[];
  /** the reasons of the failing criteria (latest) */
  reasons: string[];
}

export interface ReportLab {
  id: string;
  title: string;
  /** learners who passed it */
  passed: number;
  /** learners who tried it (passed or failed) */
  attempted: number;
}

export interface ReportLearner {
  id: string;
  namespace: string;
  /** removed from the cohort (results kept) */
  removed: boolean;
  passed: number;
  cells: Record<string, ReportCell>;
}

export interface CodeCount {
  code: string;
  name: string;
  description: string;
  /** learners whose latest failing outcome of some lab carries it */
  learners: number;
  /** (learner, lab) cells carrying it */
  occurrences: number;
  labs: string[];
}

export interface CriterionCount {
  lab: string;
  criterion: string;
  /** learners whose latest outcome of the lab fails it */
  learners: number;
  /** one learner's reason, as an example */
  example: string;
}

export interface CohortReport {
  cohort: string;
  generatedAt: string;
  runs: number;
  firstRunAt?: string;
  lastRunAt?: string;
  labs: ReportLab[];
  learners: ReportLearner[];
  topCodes: CodeCount[];
  /** the criteria most learners fail (behaviour checks often carry no finding code) */
  topCriteria: CriterionCount[];
  /**
   * The latest run's instructor alerts: learner resources reaching into another learner's
   * namespace or traffic. Only the latest: an earlier run's may have been fixed since.
   */
  alerts: string[];
}

export interface BuildOptions {
  record?: CohortRecord;
  /** codes listed (default 10) */
  top?: number;
  now?: Date;
}

function emptyCell(): ReportCell {
  return { status: 'not-started', attempts: 0, failing: [], codes: [], reasons: [] };
}

function codesOf(o: LabOutcome): string[] {
  const codes = new Set<string>();
  for (const c of o.criteria) if (!c.pass) for (const code of c.codes) codes.add(code);
  for (const f of o.findings) codes.add(f.code);
  return [...codes].sort();
}

export function buildCohortReport(
  cohort: string,
  runs: readonly GradeRun[],
  options: BuildOptions = {},
): CohortReport {
  const sorted = [...runs]
    .filter((r) => r.cohort === cohort)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const labs = new Map<string, { id: string; title: string }>();
  for (const r of sorted) for (const l of r.labs) if (!labs.has(l.id)) labs.set(l.id, l);

  const removed = new Set((options.record?.removed ?? []).map((r) => r.id));
  const learners = new Map<string, ReportLearner>();
  const learner = (id: string, namespace: string): ReportLearner => {
    let l = learners.get(id);
    if (!l) {
      l = { id, namespace, removed: removed.has(id), passed: 0, cells: {} };
      learners.set(id, l);
    }
    return l;
  };
  for (const l of options.record?.learners ?? []) learner(l.id, l.namespace);
  for (const l of options.record?.removed ?? [])
    if (sorted.some((r) => r.learners.some((x) => x.id === l.id))) learner(l.id, l.namespace);

  // Per cell: the fingerprints counted so far.
  const lastCounted = new Map<string, string>();
  for (const run of sorted) {
    for (const lr of run.learners) {
      const l = learner(lr.id, lr.namespace);
      for (const o of lr.results) {
        const cell = (l.cells[o.lab] ??= emptyCell());
        if (!o.attempted) continue;
        const key = `${lr.id}\u0000${o.lab}`;
        if (cell.status !== 'passed' && lastCounted.get(key) !== lr.fingerprint) {
          cell.attempts++;
          lastCounted.set(key, lr.fingerprint);
        }
        cell.lastGradedAt = run.startedAt;
        cell.current = o.pass ? 'pass' : 'fail';
        cell.failing = o.pass ? [] : o.criteria.filter((c) => !c.pass).map((c) => c.id);
        cell.reasons = o.pass
          ? []
          : [
              ...(o.error ? [o.error] : []),
              ...o.criteria.filter((c) => !c.pass).map((c) => `${c.id}: ${c.reason}`),
            ];
        cell.codes = o.pass ? [] : codesOf(o);
        if (o.pass && cell.status !== 'passed') {
          cell.status = 'passed';
          cell.firstPassedAt = run.startedAt;
        } else if (cell.status === 'not-started') cell.status = 'failed';
      }
    }
  }

  const learnerList = [...learners.values()].sort((a, b) => a.id.localeCompare(b.id));
  for (const l of learnerList) {
    for (const id of labs.keys()) l.cells[id] ??= emptyCell();
    l.passed = Object.values(l.cells).filter((c) => c.status === 'passed').length;
  }
  const labList: ReportLab[] = [...labs.values()].map((lab) => {
    const cells = learnerList.map((l) => l.cells[lab.id] ?? emptyCell());
    return {
      id: lab.id,
      title: lab.title,
      passed: cells.filter((c) => c.status === 'passed').length,
      attempted: cells.filter((c) => c.status !== 'not-started').length,
    };
  });

  const counts = new Map<string, { learners: Set<string>; occurrences: number; labs: Set<string> }>();
  for (const l of learnerList) {
    for (const [lab, cell] of Object.entries(l.cells)) {
      if (cell.current !== 'fail') continue;
      for (const code of cell.codes) {
        let c = counts.get(code);
        if (!c) counts.set(code, (c = { learners: new Set(), occurrences: 0, labs: new Set() }));
        c.learners.add(l.id);
        c.occurrences++;
        c.labs.add(lab);
      }
    }
  }
  const catalog = CATALOG as Record<string, { name: string; description: string } | undefined>;
  const topCodes: CodeCount[] = [...counts.entries()]
    .map(([code, c]) => ({
      code,
      name: catalog[code]?.name ?? code,
      description: catalog[code]?.description ?? '',
      learners: c.learners.size,
      occurrences: c.occurrences,
      labs: [...c.labs].sort(),
    }))
    .sort((a, b) => b.learners - a.learners || b.occurrences - a.occurrences || a.code.localeCompare(b.code))
    .slice(0, options.top ?? 10);

  const criteria = new Map<string, CriterionCount>();
  for (const l of learnerList) {
    for (const [lab, cell] of Object.entries(l.cells)) {
      if (cell.current !== 'fail') continue;
      cell.failing.forEach((criterion) => {
        const key = `${lab}\u0000${criterion}`;
        let c = criteria.get(key);
        if (!c) {
          const example =
            cell.reasons.find((r) => r.startsWith(`${criterion}: `))?.slice(criterion.length + 2) ?? '';
          criteria.set(key, (c = { lab, criterion, learners: 0, example }));
        }
        c.learners++;
      });
    }
  }
  const topCriteria = [...criteria.values()]
    .sort(
      (a, b) =>
        b.learners - a.learners || a.lab.localeCompare(b.lab) || a.criterion.localeCompare(b.criterion),
    )
    .slice(0, options.top ?? 10);

  return {
    cohort,
    generatedAt: (options.now ?? new Date()).toISOString(),
    runs: sorted.length,
    ...(sorted[0] ? { firstRunAt: sorted[0].startedAt } : {}),
    ...(sorted.length ? { lastRunAt: sorted[sorted.length - 1]?.startedAt } : {}),
    labs: labList,
    learners: learnerList,
    topCodes,
    topCriteria,
    alerts: [...(sorted[sorted.length - 1]?.alerts ?? [])],
  };
}
