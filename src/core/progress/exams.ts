// The exam section of the learner state: the exam in progress (so a closed
// terminal loses nothing) and the history of results.
import { z } from 'zod';
import type { ExamResult } from '../exam/grade.ts';
import type { ExamSession } from '../exam/session.ts';
import type { LearnerState } from './state.ts';
import { loadState, StateError, type StoreOptions, updateState } from './store.ts';

const taskSchema = z.object({
  index: z.number().int().min(0),
  kind: z.enum(['lab', 'question']),
  id: z.string(),
  title: z.string(),
  domain: z.string(),
  weight: z.number().positive().optional(),
});

const planSchema = z.object({
  id: z.string(),
  seed: z.number().int(),
  minutes: z.number().positive(),
  passPercent: z.number().min(0).max(100),
  createdAt: z.string(),
  tasks: z.array(taskSchema),
  coverage: z.array(
    z.object({
      domain: z.string(),
      weight: z.number(),
      tasks: z.number().int(),
      labs: z.number().int().optional(),
      questions: z.number().int().optional(),
    }),
  ),
});

const sessionSchema = z.object({
  plan: planSchema,
  startedAt: z.number(),
  current: z.number().int().min(0),
  tasks: z.array(
    z.object({
      status: z.enum(['open', 'answered', 'skipped']),
      flagged: z.boolean(),
      answer: z.string().optional(),
    }),
  ),
  submitted: z.boolean(),
});

const resultSchema = z.object({
  id: z.string(),
  seed: z.number().int(),
  startedAt: z.string(),
  submittedAt: z.string(),
  minutesUsed: z.number(),
  score: z.object({
    percent: z.number(),
    passPercent: z.number(),
    passed: z.boolean(),
    domains: z.array(
      z.object({
        domain: z.string(),
        weight: z.number(),
        tasks: z.number(),
        percent: z.number().optional(),
        points: z.number().optional(),
        earned: z.number().optional(),
      }),
    ),
    points: z.number().optional(),
    earned: z.number().optional(),
    notScored: z.array(z.string()).optional(),
  }),
  outcomes: z.array(z.looseObject({ index: z.number(), score: z.number(), detail: z.string() })),
});

export const EXAMS_SECTION = z
  .object({
    active: sessionSchema.extend({ workspace: z.string() }).optional(),
    history: z.array(resultSchema).default([]),
  })
  .default({ history: [] })
  .describe('the exam in progress and past results');

export type ActiveExam = ExamSession & { workspace: string };

function examsOf(state: LearnerState): { active?: ActiveExam; history: ExamResult[] } {
  const s = state as LearnerState & { exams?: unknown };
  const parsed = EXAMS_SECTION.safeParse(s.exams ?? {});
  if (!parsed.success) {
    // never replace learner data we cannot read: stop and say where
    const issue = parsed.error.issues[0];
    throw new StateError(
      `the "exams" section of the progress file is not valid (exams.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}); the file was left untouched`,
    );
  }
  const exams = parsed.data as unknown as { active?: ActiveExam; history: ExamResult[] };
  s.exams = exams;
  return exams;
}

/** The exam section of a loaded state. */
export function examsFrom(state: LearnerState): { active?: ActiveExam; history: ExamResult[] } {
  return examsOf(state);
}

export async function readExams(
  options: StoreOptions = {},
): Promise<{ active?: ActiveExam; history: ExamResult[]; notices: string[] }> {
  const { state, notices } = await loadState(options);
  return { ...examsOf(state), notices };
}

export async function saveActiveExam(
  active: ActiveExam | undefined,
  options: StoreOptions = {},
): Promise<string[]> {
  const { notices } = await updateState((state) => {
    const exams = examsOf(state);
    if (active) exams.active = active;
    else delete exams.active;
  }, options);
  return notices;
}

/** Records a result and ends the active exam. */
export async function recordExamResult(result: ExamResult, options: StoreOptions = {}): Promise<string[]> {
  const { notices } = await updateState((state) => {
    const exams = examsOf(state);
    exams.history.push(result);
    delete exams.active;
  }, options);
  return notices;
}
