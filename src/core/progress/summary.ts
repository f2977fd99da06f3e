// Progress at a glance, per curriculum domain: quiz questions seen, accuracy and
// reviews due, labs passed, and the exam history; plus the streak of active days.
// Used by `ica-trainer progress` and the TUI's home screen.
import type { LoadedExercise } from '../content/exercise-loader.ts';
import { ICA_DOMAINS } from '../content/quiz-schema.ts';
import type { ExamResult } from '../exam/grade.ts';
import { examsFrom } from './exams.ts';
import { readLabsProgressFrom } from './labs.ts';
import { emptyProgressRow, type ProgressRow, quizProgress } from './quiz-progress.ts';
import type { LearnerState } from './state.ts';

export interface DomainSummary {
  domain: string;
  /** weight in the ICA curriculum (percent) */
  weight: number;
  quiz: ProgressRow;
  labs: { total: number; passed: number };
}

export interface ProgressSummary {
  domains: DomainSummary[];
  quiz: ProgressRow;
  labs: { total: number; passed: number; attempted: number; revealed: number };
  exams: { taken: number; best?: number; last?: Pick<ExamResult, 'submittedAt' | 'score'> };
  /** consecutive days with activity, ending today (or yesterday) */
  streakDays: number;
}

function dayKey(d: Date): string {
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export function streak(dates: readonly string[], now: Date): number {
  const days = new Set(dates.map((d) => dayKey(new Date(d))));
  const day = new Date(now);
  if (!days.has(dayKey(day))) day.setDate(day.getDate() - 1);
  let n = 0;
  while (days.has(dayKey(day))) {
    n++;
    day.setDate(day.getDate() - 1);
  }
  return n;
}

export function progressSummary(
  state: LearnerState,
  questions: readonly { id: string; domain: string }[],
  labs: readonly Pick<LoadedExercise, 'id' | 'domain'>[],
  now: Date,
): ProgressSummary {
  const quiz = quizProgress(
    state,
    questions,
    ICA_DOMAINS.map((d) => d.name),
    now,
  );
  const labProgress = readLabsProgressFrom(state);
  const exams = examsFrom(state).history;
  const domains = ICA_DOMAINS.map((d) => {
    const inDomain = labs.filter((l) => l.domain === d.name);
    return {
      domain: d.name,
      weight: d.weight,
      quiz: quiz.domains.find((q) => q.domain === d.name) ?? emptyProgressRow(),
      labs: {
        total: inDomain.length,
        passed: inDomain.filter((l) => labProgress[l.id]?.status === 'passed').length,
      },
    };
  });
  const statuses = labs.map((l) => labProgress[l.id]?.status ?? 'not started');
  const activity = [
    ...state.quiz.history.map((h) => h.at),
    ...Object.values(labProgress).flatMap((p) => (p.lastActivityAt ? [p.lastActivityAt] : [])),
    ...exams.map((e) => e.submittedAt),
  ];
  const last = exams[exams.length - 1];
  return {
    domains,
    quiz: quiz.total,
    labs: {
      total: labs.length,
      passed: statuses.filter((s) => s === 'passed').length,
      attempted: statuses.filter((s) => s === 'attempted').length,
      revealed: statuses.filter((s) => s === 'revealed').length,
    },
    exams: {
      taken: exams.length,
      ...(exams.length ? { best: Math.max(...exams.map((e) => e.score.percent)) } : {}),
      ...(last ? { last: { submittedAt: last.submittedAt, score: last.score } } : {}),
    },
    streakDays: streak(activity, now),
  };
}
