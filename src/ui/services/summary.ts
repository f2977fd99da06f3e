// Progress at a glance: per curriculum domain, how much of the trainer's content
// the learner has mastered (questions last answered right, labs passed), reviews
// due, labs passed, the streak of days with activity, the exam in progress.
import type { LoadedExercise } from '../../core/content/exercise-loader.ts';
import type { Question } from '../../core/content/quiz-schema.ts';
import type { ExamResult } from '../../core/exam/grade.ts';
import type { ActiveExam } from '../../core/progress/exams.ts';
import type { LabProgress } from '../../core/progress/labs.ts';
import type { LearnerState } from '../../core/progress/state.ts';
import { loadBank, loadLabs } from './content.ts';
import type { TuiEnv } from './env.ts';
import { readState } from './state.ts';

export interface DomainRow {
  domain: string;
  /** percent of the real exam */
  weight: number;
  questions: number;
  labs: number;
  /** questions whose last answer was right */
  mastered: number;
  labsPassed: number;
  seen: number;
  /** right answers over all answers, null before the first */
  accuracy: number | null;
  due: number;
}

export interface HomeSummary {
  domains: DomainRow[];
  due: number;
  questions: number;
  answered: number;
  labsPassed: number;
  labsTotal: number;
  streak: number;
  activeExam?: { id: string; endsAt: number; tasks: number };
  exams: ExamResult[];
  labs: { lab: LoadedExercise; progress?: LabProgress }[];
  notices: string[];
}

/** A local calendar day, `2025-08-12`. */
export function dayKey(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Days on which something was done: answers, lab activity, exams. */
export function activityDays(
  state: LearnerState,
  labs: Record<string, LabProgress>,
  exams: readonly { submittedAt: string }[],
): Set<string> {
  const days = new Set<string>();
  const add = (iso: string | undefined): void => {
    if (!iso) return;
    const t = Date.parse(iso);
    if (Number.isFinite(t)) days.add(dayKey(new Date(t)));
  };
  for (const h of state.quiz.history) add(h.at);
  for (const c of Object.values(state.quiz.cards)) add(c.lastAnsweredAt);
  for (const p of Object.values(labs)) {
    add(p.startedAt);
    add(p.passedAt);
    add(p.lastActivityAt);
  }
  for (const e of exams) add(e.submittedAt);
  return days;
}

/**
 * Consecutive days with activity up to today. A streak is still alive while
 * today has no activity yet (it counts from yesterday then).
 */
export function streakDays(days: ReadonlySet<string>, now: Date): number {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  if (!days.has(dayKey(d))) d.setDate(d.getDate() - 1);
  let n = 0;
  while (days.has(dayKey(d))) {
    n++;
    d.setDate(d.getDate() - 1);
  }
  return n;
}

function sectionOf<T>(state: LearnerState, key: string, parse: (v: unknown) => T): T {
  return parse((state as Record<string, unknown>)[key] ?? undefined);
}

export interface ProgressData {
  state: LearnerState;
  notices: string[];
  questions: Question[];
  exercises: LoadedExercise[];
  labs: Record<string, LabProgress>;
  exams: { active?: ActiveExam; history: ExamResult[] };
}

/** Everything the home and progress screens show, read once. */
export async function readProgress(env: TuiEnv): Promise<ProgressData> {
  const [{ state, notices }, bank, labSet, labsMod, examsMod] = await Promise.all([
    readState(env),
    loadBank(env),
    loadLabs(env),
    import('../../core/progress/labs.ts'),
    import('../../core/progress/exams.ts'),
  ]);
  const labs = sectionOf(state, 'labs', (v) => {
    const parsed = labsMod.LABS_SECTION.safeParse(v ?? {});
    return parsed.success ? parsed.data : {};
  });
  const exams = sectionOf(state, 'exams', (v) => {
    const parsed = examsMod.EXAMS_SECTION.safeParse(v ?? {});
    return (parsed.success ? parsed.data : { history: [] }) as unknown as ProgressData['exams'];
  });
  return { state, notices, questions: bank.questions, exercises: labSet.exercises, labs, exams };
}

export async function homeSummary(env: TuiEnv): Promise<HomeSummary> {
  const data = await readProgress(env);
  const { ICA_DOMAINS } = await import('../../core/content/quiz-schema.ts');
  const { quizProgress } = await import('../../core/progress/quiz-progress.ts');
  const now = env.now();
  const quiz = quizProgress(
    data.state,
    data.questions,
    ICA_DOMAINS.map((d) => d.name),
    now,
  );
  const domains: DomainRow[] = ICA_DOMAINS.map((d) => {
    const row = quiz.domains.find((r) => r.domain === d.name);
    const qs = data.questions.filter((q) => q.domain === d.name);
    const labs = data.exercises.filter((e) => e.domain === d.name);
    return {
      domain: d.name,
      weight: d.weight,
      questions: qs.length,
      labs: labs.length,
      mastered: qs.filter((q) => data.state.quiz.cards[q.id]?.lastCorrect).length,
      labsPassed: labs.filter((l) => data.labs[l.id]?.status === 'passed').length,
      seen: row?.seen ?? 0,
      accuracy: row?.accuracy ?? null,
      due: row?.due ?? 0,
    };
  });
  const active = data.exams.active;
  return {
    domains,
    due: quiz.total.due,
    questions: quiz.total.questions,
    answered: quiz.total.seen,
    labsPassed: data.exercises.filter((e) => data.labs[e.id]?.status === 'passed').length,
    labsTotal: data.exercises.length,
    streak: streakDays(activityDays(data.state, data.labs, data.exams.history), now),
    ...(active
      ? {
          activeExam: {
            id: active.plan.id,
            endsAt: active.startedAt + active.plan.minutes * 60_000,
            tasks: active.plan.tasks.length,
          },
        }
      : {}),
    exams: data.exams.history,
    labs: data.exercises.map((lab) => {
      const progress = data.labs[lab.id];
      return progress ? { lab, progress } : { lab };
    }),
    notices: data.notices,
  };
}
