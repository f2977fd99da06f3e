// Assembling a mock exam: performance tasks (labs) plus a few quick questions,
// spread over the ICA curriculum domains by their weights, as far as the
// trainer has content for them (the plan says which domains it covers).
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
}

export interface DomainCoverage {
  domain: Domain;
  /** the curriculum's weight (percent) */
  weight: number;
  tasks: number;
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
  labs?: number;
  questions?: number;
  now?: Date;
}

export const DEFAULT_MINUTES = 120;
export const DEFAULT_PASS_PERCENT = 68;
export const DEFAULT_LAB_TASKS = 8;
export const DEFAULT_QUESTION_TASKS = 6;

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

export function assembleExam(
  labs: readonly LoadedExercise[],
  questions: readonly Question[],
  options: PlanOptions,
): ExamPlan {
  const rng = new Rng(options.seed);
  const count = <T extends { domain: Domain }>(items: readonly T[]) => {
    const m = new Map<Domain, number>();
    for (const i of items) m.set(i.domain, (m.get(i.domain) ?? 0) + 1);
    return m;
  };
  // choice questions only: YAML is what the labs are for
  const quick = questions.filter((q) => q.type !== 'yaml');
  const labAlloc = allocate(options.labs ?? DEFAULT_LAB_TASKS, count(labs));
  const questionAlloc = allocate(options.questions ?? DEFAULT_QUESTION_TASKS, count(quick));
  const tasks: Omit<ExamTask, 'index'>[] = [];
  for (const d of ICA_DOMAINS) {
    for (const lab of shuffled(
      labs.filter((l) => l.domain === d.name),
      rng,
    ).slice(0, labAlloc.get(d.name) ?? 0)) {
      tasks.push({ kind: 'lab', id: lab.id, title: lab.title, domain: d.name });
    }
  }
  for (const d of ICA_DOMAINS) {
    for (const q of shuffled(
      quick.filter((x) => x.domain === d.name),
      rng,
    ).slice(0, questionAlloc.get(d.name) ?? 0)) {
      tasks.push({ kind: 'question', id: q.id, title: firstLine(q.prompt), domain: d.name });
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
    coverage: ICA_DOMAINS.map((d) => ({
      domain: d.name,
      weight: d.weight,
      tasks: ordered.filter((t) => t.domain === d.name).length,
    })),
  };
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** The honest statement shown with every exam: which domains it covers, and how they are weighted. */
export function coverageNote(plan: ExamPlan): string {
  const covered = plan.coverage.filter((c) => c.tasks > 0);
  const missing = plan.coverage.filter((c) => c.tasks === 0);
  const total = covered.reduce((a, c) => a + c.weight, 0);
  const parts = covered.map(
    (c) => `${c.domain} ${c.weight}% of the real exam, ${Math.round((100 * c.weight) / total)}% here`,
  );
  const gap = missing.length
    ? ` The trainer has no content yet for ${missing.map((m) => `${m.domain} (${m.weight}%)`).join(' and ')}, so this exam does not test it.`
    : '';
  return `This exam covers ${parts.join('; ')}.${gap}`;
}
