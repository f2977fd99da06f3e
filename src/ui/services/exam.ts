// Mock exams over the core: the same active-exam state as `ica-trainer exam`
// (so the CLI and the TUI can take turns, and a killed terminal loses nothing),
// assembled from the same content and graded by the same code.
import type { Question } from '../../core/content/quiz-schema.ts';
import type { ExamContent, ExamResult, GradedTask } from '../../core/exam/grade.ts';
import type { ActiveExam } from '../../core/progress/exams.ts';
import { loadBank, loadLabs } from './content.ts';
import { errorText, type TuiEnv } from './env.ts';
import { serialized, storeOptions } from './state.ts';

export interface ExamPreset {
  name: string;
  minutes: number;
  /** performance tasks */
  labs: number;
  /** quick questions; absent: only as stand-ins for domains without labs */
  questions?: number;
}

// The full exam is the real one's shape: 17 performance tasks in 2 hours.
export const EXAM_PRESETS: readonly ExamPreset[] = [
  { name: 'Full mock exam', minutes: 120, labs: 17 },
  { name: 'Half exam', minutes: 60, labs: 8 },
  { name: 'Quick drill', minutes: 20, labs: 1, questions: 3 },
];

/** Folder of the exam workspaces (the CLI's default `--dir ica-exam`). */
export const EXAM_DIR = 'ica-exam';

export async function readActiveExam(
  env: TuiEnv,
): Promise<{ active?: ActiveExam; last?: ExamResult; notices: string[] }> {
  const { readExams } = await import('../../core/progress/exams.ts');
  const { active, history, notices } = await readExams(storeOptions(env));
  const last = history.at(-1);
  return { ...(active ? { active } : {}), ...(last ? { last } : {}), notices };
}

export async function examContent(env: TuiEnv): Promise<ExamContent> {
  const [labs, bank] = await Promise.all([loadLabs(env), loadBank(env)]);
  return { labs: new Map(labs.exercises.map((e) => [e.id, e])), questions: bank.byId };
}

export async function startExam(env: TuiEnv, preset: ExamPreset, seed: number): Promise<ActiveExam> {
  const { resolve } = await import('node:path');
  const { assembleExam } = await import('../../core/exam/plan.ts');
  const { startSession } = await import('../../core/exam/session.ts');
  const { taskDir } = await import('../../core/exam/grade.ts');
  const { startWorkspace } = await import('../../core/labs/workspace.ts');
  const { saveActiveExam } = await import('../../core/progress/exams.ts');
  const { readLabsProgress } = await import('../../core/progress/labs.ts');
  const c = await examContent(env);
  const progress = await readLabsProgress(storeOptions(env)).catch(() => ({ labs: {} }));
  const seen = new Set(
    Object.entries(progress.labs)
      .filter(([, p]) => p.status === 'passed' || p.status === 'revealed')
      .map(([id]) => id),
  );
  const plan = assembleExam([...c.labs.values()], [...c.questions.values()], {
    seed,
    minutes: preset.minutes,
    labs: preset.labs,
    ...(preset.questions !== undefined ? { questions: preset.questions } : {}),
    seen,
    now: env.now(),
  });
  if (plan.tasks.length === 0) throw new Error('there is no content to build an exam from');
  const workspace = resolve(env.cwd, EXAM_DIR, plan.id);
  for (const t of plan.tasks) {
    const lab = t.kind === 'lab' ? c.labs.get(t.id) : undefined;
    if (lab) await startWorkspace(lab, taskDir(workspace, plan, t.index));
  }
  const exam: ActiveExam = { ...startSession(plan, env.now().getTime()), workspace };
  await serialized(() => saveActiveExam(exam, storeOptions(env)));
  return exam;
}

/** Saves the exam after every step; resolves to a message when it could not be saved. */
export async function saveExam(env: TuiEnv, exam: ActiveExam): Promise<string | undefined> {
  try {
    const { saveActiveExam } = await import('../../core/progress/exams.ts');
    await serialized(() => saveActiveExam(exam, storeOptions(env)));
    return undefined;
  } catch (e) {
    return `the exam could not be saved: ${errorText(e)}`;
  }
}

export async function submitExam(env: TuiEnv, exam: ActiveExam): Promise<ExamResult> {
  const { examReducer } = await import('../../core/exam/session.ts');
  const { gradeExam } = await import('../../core/exam/grade.ts');
  const { recordExamResult } = await import('../../core/progress/exams.ts');
  const submitted = { ...examReducer(exam, { type: 'submit' }), workspace: exam.workspace };
  const result = await gradeExam(submitted, exam.workspace, await examContent(env), env.now());
  await serialized(() => recordExamResult(result, storeOptions(env)));
  return result;
}

export async function examTaskDir(exam: ActiveExam, index: number): Promise<string> {
  const { taskDir } = await import('../../core/exam/grade.ts');
  return taskDir(exam.workspace, exam.plan, index);
}

/** Grades one lab task now, from its folder (nothing is recorded). */
export async function gradeExamTask(env: TuiEnv, exam: ActiveExam, index: number): Promise<GradedTask> {
  const { gradeTask } = await import('../../core/exam/grade.ts');
  const task = exam.plan.tasks[index];
  if (!task) throw new Error(`there is no task ${index + 1}`);
  return gradeTask(exam, exam.workspace, await examContent(env), task);
}

/** Ends the exam without scoring it; its folders stay. */
export async function abandonExam(env: TuiEnv): Promise<void> {
  const { saveActiveExam } = await import('../../core/progress/exams.ts');
  await serialized(() => saveActiveExam(undefined, storeOptions(env)));
}

/** What the review of a submitted task shows as the answer: the lab's reference files, or the question. */
export async function taskReference(
  env: TuiEnv,
  task: Pick<GradedTask, 'kind' | 'id'>,
): Promise<{ question?: Question; solution?: { file: string; text: string }[]; error?: string }> {
  const c = await examContent(env);
  if (task.kind === 'question') {
    const question = c.questions.get(task.id);
    return question ? { question } : {};
  }
  const lab = c.labs.get(task.id);
  if (!lab) return { error: `lab ${task.id} is no longer available` };
  try {
    const { readSolution } = await import('./lab.ts');
    return { solution: await readSolution(lab) };
  } catch (e) {
    return { error: `the reference answer could not be read: ${errorText(e)}` };
  }
}
