// Assembling a mock exam: performance tasks (labs) spread over the ICA
// curriculum domains by their weights, as the real exam's 15-20 tasks are, as
// far as the trainer has labs for them. A domain without labs gets quick
// questions standing in (if it has any); a domain with neither is left out and
// the plan says so. Labs the learner has passed or revealed are drawn last.
import type { LoadedExercise } from '../content/exercise-loader.ts';
import { type Domain, ICA_DOMAINS, type Question } from '../content/quiz-schema.ts';
import { Rng } from '../sim/rng.ts';

export interface ExamTask {
  index: number;
  kind: 'lab' | 'question';
  /** lab id or question id */
  id: string;
  title: string;
  domain: Domain;
  /** the task's weight within its domain (absent in exams saved before weights: see taskWeight); its points are taskPoints */
  weight?: number;
}

export interface DomainCoverage {
  domain: Domain;
  /** the curriculum's weight (percent) */
  weight: number;
  tasks: number;
  /** performance tasks (labs) and quick questions among `tasks` */
  labs?: number;
  questions?: number;
}

export interface ExamPlan {
  id: string;
  seed: number;
  minutes: number;
  passPercent: number;
  createdAt: string;
  tasks: ExamTask[];
  coverage: DomainCoverage[];
}

export interface PlanOptions {
  seed: number;
  minutes?: number;
  passPercent?: number;
  /** performance tasks (labs) */
  labs?: number;
  /** quick questions; without it, questions only stand in for domains short of labs */
  questions?: number;
  /** lab ids the learner has passed or revealed: drawn only when nothing else is left */
  seen?: ReadonlySet<string>;
  now?: Date;
}

export const DEFAULT_MINUTES = 120;
export const DEFAULT_PASS_PERCENT = 68;
/** the real exam has 15 to 20 performance tasks in 2 hours */
export const DEFAULT_LAB_TASKS = 17;

/**
 * A task's weight within its domain (taskPoints scales it to points). A lab by
 * its difficulty (the real exam's tasks are worth roughly 4 to 8% each), a
 * quick question 1: a question is a minute's work, a lab ten or more.
 */
export const LAB_WEIGHTS = { beginner: 4, intermediate: 6, advanced: 8 } as const;
export const QUESTION_WEIGHT = 1;

export function taskWeight(t: Pick<ExamTask, 'kind' | 'weight'>): number {
  return t.weight ?? (t.kind === 'lab' ? LAB_WEIGHTS.intermediate : QUESTION_WEIGHT);
}

function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Splits `total` over the domains that have items, by curriculum weight (largest remainder), capped by what exists. */
export function allocate(total: number, available: Map<Domain, number>): Map<Domain, number> {
  const out = new Map<Domain, number>();
  let remaining = total;
  let pool = ICA_DOMAINS.filter((d) => (available.get(d.name) ?? 0) > 0);
  while (remaining > 0 && pool.length > 0) {
    const weight = pool.reduce((a, d) => a + d.weight, 0);
    const shares = pool.map((d) => ({ d, exact: (remaining * d.weight) / weight }));
    let given = 0;
    for (const s of shares) {
      const room = (available.get(s.d.name) ?? 0) - (out.get(s.d.name) ?? 0);
      const n = Math.min(Math.floor(s.exact), room);
      out.set(s.d.name, (out.get(s.d.name) ?? 0) + n);
      given += n;
    }
    // largest remainders get the rest, one each
    for (const s of shares.sort((a, b) => (b.exact % 1) - (a.exact % 1))) {
      if (given >= remaining) break;
      const room = (available.get(s.d.name) ?? 0) - (out.get(s.d.name) ?? 0);
      if (room > 0) {
        out.set(s.d.name, (out.get(s.d.name) ?? 0) + 1);
        given++;
      }
    }
    if (given === 0) break;
    remaining -= given;
    pool = pool.filter((d) => (available.get(d.name) ?? 0) > (out.get(d.name) ?? 0));
  }
  return out;
}

function countByDomain<T extends { domain: Domain }>(items: readonly T[]): Map<Domain, number> {
  const m = new Map<Domain, number>();
  for (const i of items) m.set(i.domain, (m.get(i.domain) ?? 0) + 1);
  return m;
}

/**
 * How many quick questions stand in for each domain: the domain's share of the
 * performance tasks (as if every domain had labs) that its own labs cannot fill.
 */
export function standIns(labTasks: number, labs: Map<Domain, number>): Map<Domain, number> {
  const ideal = allocate(labTasks, new Map(ICA_DOMAINS.map((d) => [d.name, labTasks])));
  const out = new Map<Domain, number>();
  for (const d of ICA_DOMAINS) {
    const short = (ideal.get(d.name) ?? 0) - (labs.get(d.name) ?? 0);
    if (short > 0) out.set(d.name, short);
  }
  return out;
}

export function assembleExam(
  labs: readonly LoadedExercise[],
  questions: readonly Question[],
  options: PlanOptions,
): ExamPlan {
  const rng = new Rng(options.seed);
  const seen = options.seen ?? new Set<string>();
  // choice questions only: YAML is what the labs are for
  const quick = questions.filter((q) => q.type !== 'yaml');
  const labCount = options.labs ?? DEFAULT_LAB_TASKS;
  const labAlloc = allocate(labCount, countByDomain(labs));
  const available = countByDomain(quick);
  const questionAlloc =
    options.questions !== undefined
      ? allocate(options.questions, available)
      : new Map(
          [...standIns(labCount, countByDomain(labs))].map(([d, n]) => [
            d,
            Math.min(n, available.get(d) ?? 0),
          ]),
        );
  const tasks: Omit<ExamTask, 'index'>[] = [];
  for (const d of ICA_DOMAINS) {
    const pool = shuffled(
      labs.filter((l) => l.domain === d.name),
      rng,
    );
    // labs the learner has not passed or revealed first (a stable sort keeps the shuffle within each group)
    pool.sort((a, b) => Number(seen.has(a.id)) - Number(seen.has(b.id)));
    for (const lab of pool.slice(0, labAlloc.get(d.name) ?? 0)) {
      tasks.push({
        kind: 'lab',
        id: lab.id,
        title: lab.title,
        domain: d.name,
        weight: LAB_WEIGHTS[lab.difficulty],
      });
    }
  }
  for (const d of ICA_DOMAINS) {
    for (const q of shuffled(
      quick.filter((x) => x.domain === d.name),
      rng,
    ).slice(0, questionAlloc.get(d.name) ?? 0)) {
      tasks.push({
        kind: 'question',
        id: q.id,
        title: firstLine(q.prompt),
        domain: d.name,
        weight: QUESTION_WEIGHT,
      });
    }
  }
  // labs in a shuffled order, then the quick questions in a shuffled order
  const ordered = [
    ...shuffled(
      tasks.filter((t) => t.kind === 'lab'),
      rng,
    ),
    ...shuffled(
      tasks.filter((t) => t.kind === 'question'),
      rng,
    ),
  ];
  const now = options.now ?? new Date();
  return {
    id: `exam-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}-${options.seed}`,
    seed: options.seed,
    minutes: options.minutes ?? DEFAULT_MINUTES,
    passPercent: options.passPercent ?? DEFAULT_PASS_PERCENT,
    createdAt: now.toISOString(),
    tasks: ordered.map((t, index) => ({ ...t, index })),
    coverage: ICA_DOMAINS.map((d) => {
      const inDomain = ordered.filter((t) => t.domain === d.name);
      return {
        domain: d.name,
        weight: d.weight,
        tasks: inDomain.length,
        labs: inDomain.filter((t) => t.kind === 'lab').length,
        questions: inDomain.filter((t) => t.kind === 'question').length,
      };
    }),
  };
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * Each domain's points in this exam: its curriculum weight, scaled so the
 * domains the exam has total 100 (35/25/20/20 when all four have tasks). A
 * domain without a task gets none.
 */
export function domainPoints(plan: Pick<ExamPlan, 'tasks' | 'coverage'>): Map<Domain, number> {
  const present = plan.coverage.filter((c) => plan.tasks.some((t) => t.domain === c.domain));
  const total = present.reduce((a, c) => a + c.weight, 0);
  return new Map(present.map((c) => [c.domain, total ? (100 * c.weight) / total : 0]));
}

/**
 * A task's points: its domain's points split over the domain's tasks by their
 * relative weight (a lab 4, 6 or 8 by difficulty, a question 1). So a
 * domain's share of the maximum score is its curriculum weight however many
 * tasks, and of which difficulty, the draw gave it.
 */
export function taskPoints(plan: Pick<ExamPlan, 'tasks' | 'coverage'>, task: ExamTask): number {
  const inDomain = plan.tasks.filter((t) => t.domain === task.domain).reduce((a, t) => a + taskWeight(t), 0);
  const domain = domainPoints(plan).get(task.domain) ?? 0;
  return inDomain ? (domain * taskWeight(task)) / inDomain : 0;
}

/** Points as shown: one decimal. */
export const roundPoints = (n: number) => Math.round(n * 10) / 10;

/**
 * The honest statement shown with every exam, computed from the tasks drawn:
 * what each domain has in this exam and its share of the points against the
 * real exam's weight, and which domains are not tested (so not scored).
 */
export function coverageNote(plan: ExamPlan): string {
  const shares = domainPoints(plan);
  const parts: string[] = [];
  const missing: string[] = [];
  const standIn: string[] = [];
  for (const c of plan.coverage) {
    const inDomain = plan.tasks.filter((t) => t.domain === c.domain);
    const labs = inDomain.filter((t) => t.kind === 'lab').length;
    const questions = inDomain.length - labs;
    if (inDomain.length === 0) {
      missing.push(`${c.domain} (${c.weight}%)`);
      continue;
    }
    const what = [labs ? plural(labs, 'task') : '', questions ? plural(questions, 'question') : '']
      .filter(Boolean)
      .join(' + ');
    const share = Math.round(shares.get(c.domain) ?? 0);
    parts.push(
      share === c.weight
        ? `${c.domain} ${what}, ${share}% of the points`
        : `${c.domain} ${what}, ${share}% of the points (${c.weight}% of the real exam)`,
    );
    if (labs === 0) standIn.push(c.domain);
  }
  const lines = [`This exam: ${parts.join('; ')}.`];
  if (standIn.length)
    lines.push(`No performance tasks yet for ${standIn.join(' and ')}: quick questions stand in.`);
  lines.push(
    plan.tasks.some((t) => t.kind === 'question')
      ? "Each domain counts its curriculum weight; within a domain a task's points follow its difficulty (4, 6 or 8 to a question's 1)."
      : "Each domain counts its curriculum weight; within a domain a task's points follow its difficulty (4, 6 or 8).",
  );
  // "not in this exam", not "no content": a small draw (--labs 1) leaves out domains that have labs
  if (missing.length) lines.push(`Not in this exam: ${missing.join(' and ')}: not tested and not scored.`);
  return lines.join(' ');
}
