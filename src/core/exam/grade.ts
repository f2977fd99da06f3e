// Grading exam tasks: labs from their workspace folders, questions from the
// answers given. A lab task earns credit only for what the learner changed:
// criteria the starter already meets (usually "the configuration is valid" or
// "other traffic is unaffected") earn nothing and guard the task instead, so an
// untouched folder scores 0 and breaking what worked costs the task.
import type { LoadedExercise } from '../content/exercise-loader.ts';
import { AnswerFormatError, gradeAnswer, keyedLetters, parseChoiceAnswer } from '../content/quiz-grade.ts';
import type { Question } from '../content/quiz-schema.ts';
import { gradeLab } from '../grading/grade.ts';
import type { LabResult } from '../grading/types.ts';
import { taskDir } from './folders.ts';
import type { ExamTask } from './plan.ts';
import { type ExamScore, scoreExam, type TaskCheck, type TaskOutcome } from './score.ts';
import type { ExamSession } from './session.ts';

export type GradedTask = TaskOutcome & {
  kind: 'lab' | 'question';
  id: string;
  flagged: boolean;
  skipped: boolean;
};

export interface ExamResult {
  id: string;
  seed: number;
  startedAt: string;
  submittedAt: string;
  /** minutes used (capped at the exam's length) */
  minutesUsed: number;
  score: ExamScore;
  outcomes: GradedTask[];
}

export interface ExamContent {
  labs: Map<string, LoadedExercise>;
  questions: Map<string, Question>;
}

export { taskDir } from './folders.ts';

// The starter's result is a property of the content: graded once per lab and process.
const starterMet = new Map<string, Promise<Set<string>>>();

/** The criteria a lab's starter files already meet. */
export function criteriaMetAtStart(lab: LoadedExercise): Promise<Set<string>> {
  const key = `${lab.id}\0${lab.starterDir}`;
  let met = starterMet.get(key);
  if (!met) {
    met = gradeLab(lab, { dir: lab.starterDir }).then(
      (r) => new Set(r.criteria.filter((c) => c.pass).map((c) => c.id)),
    );
    starterMet.set(key, met);
  }
  return met;
}

/** Scores a lab task from its graded result and what the starter already met (pure). */
export function scoreLabTask(
  result: Pick<LabResult, 'criteria'>,
  atStart: ReadonlySet<string>,
): Pick<TaskOutcome, 'score' | 'detail' | 'scored' | 'checks'> {
  const checks: TaskCheck[] = result.criteria.map((c) => ({
    id: c.id,
    text: c.text,
    pass: c.pass,
    reason: c.reason,
    atStart: atStart.has(c.id),
  }));
  const work = checks.filter((c) => !c.atStart);
  const broken = checks.filter((c) => c.atStart && !c.pass);
  if (work.length === 0)
    return {
      score: 0,
      scored: false,
      detail: 'not scored: the starter files already meet every criterion',
      checks,
    };
  const met = work.filter((c) => c.pass).length;
  const missing = work.filter((c) => !c.pass).map((c) => c.text);
  if (broken.length > 0)
    return {
      score: 0,
      detail: `0: broke what already worked (${broken.map((c) => c.text).join('; ')})${met ? `, although ${met} of ${work.length} criteria were met` : ''}`,
      checks,
    };
  return {
    score: met / work.length,
    detail:
      met === work.length
        ? met === 1
          ? 'the 1 criterion to meet is met'
          : `all ${met} criteria met`
        : `${met} of ${work.length} criteri${work.length === 1 ? 'on' : 'a'} met; missing: ${missing.join('; ')}`,
    checks,
  };
}

/** Grades one task as it stands now (also used to grade a single task on demand). */
export async function gradeTask(
  session: ExamSession,
  root: string,
  content: ExamContent,
  task: ExamTask,
): Promise<GradedTask> {
  const state = session.tasks[task.index];
  const base = {
    index: task.index,
    kind: task.kind,
    id: task.id,
    flagged: state?.flagged ?? false,
    skipped: state?.status === 'skipped',
  };
  if (task.kind === 'lab') {
    const lab = content.labs.get(task.id);
    if (!lab) return { ...base, score: 0, scored: false, detail: `lab ${task.id} is no longer available` };
    const [result, atStart] = await Promise.all([
      gradeLab(lab, { dir: taskDir(root, session.plan, task.index) }),
      criteriaMetAtStart(lab),
    ]);
    return { ...base, ...scoreLabTask(result, atStart) };
  }
  const q = content.questions.get(task.id);
  const answer = state?.answer;
  if (!q) return { ...base, score: 0, scored: false, detail: `question ${task.id} is no longer available` };
  if (!answer) return { ...base, score: 0, detail: 'not answered' };
  try {
    const g = gradeAnswer(q, parseChoiceAnswer(q, answer));
    return {
      ...base,
      score: g.correct ? 1 : 0,
      detail: g.correct ? 'right' : `wrong: the answer is ${keyedAnswer(q)}`,
    };
  } catch (e) {
    if (!(e instanceof AnswerFormatError)) throw e;
    return { ...base, score: 0, detail: `unreadable answer "${answer}"` };
  }
}

/** The keyed answer as `exam answer` takes it ("b", "a,c", "true"). */
export function keyedAnswer(q: Question): string {
  return q.type === 'truefalse' ? String(q.answer) : keyedLetters(q).join(',');
}

export async function gradeExam(
  session: ExamSession,
  root: string,
  content: ExamContent,
  now: Date,
): Promise<ExamResult> {
  const { plan } = session;
  const outcomes: GradedTask[] = [];
  for (const task of plan.tasks) outcomes.push(await gradeTask(session, root, content, task));
  const used = Math.min(plan.minutes, (now.getTime() - session.startedAt) / 60_000);
  return {
    id: plan.id,
    seed: plan.seed,
    startedAt: new Date(session.startedAt).toISOString(),
    submittedAt: now.toISOString(),
    minutesUsed: Math.round(used * 10) / 10,
    score: scoreExam(plan, outcomes),
    outcomes,
  };
}
