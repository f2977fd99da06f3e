// Exam integrity: while an exam is in progress (until it is submitted or
// abandoned, even after its time is up), the hints and reference solutions of
// its labs stay locked everywhere, and a lab's exam folder is found from where
// the learner stands.
import { relative, sep } from 'node:path';
import type { ActiveExam } from '../progress/exams.ts';
import { taskDir } from './folders.ts';

export interface ExamLock {
  examId: string;
  /** 1-based task numbers of the exam that are this lab */
  tasks: number[];
}

/** Whether a lab is a task of the exam in progress. */
export function examLock(active: ActiveExam | undefined, labId: string): ExamLock | undefined {
  if (!active || active.submitted) return undefined;
  const tasks = active.plan.tasks.filter((t) => t.kind === 'lab' && t.id === labId).map((t) => t.index + 1);
  return tasks.length ? { examId: active.plan.id, tasks } : undefined;
}

/** The exam task number (1-based) of a question, while the exam is in progress. */
export function examQuestionTask(active: ActiveExam | undefined, questionId: string): number | undefined {
  if (!active || active.submitted) return undefined;
  const t = active.plan.tasks.find((x) => x.kind === 'question' && x.id === questionId);
  return t ? t.index + 1 : undefined;
}

/** The one-line refusal shown instead of a hint or a solution. */
export function lockedText(
  labId: string,
  lock: ExamLock,
  what: 'hints' | 'solution' | 'hints and solution',
): string {
  const task = lock.tasks.length === 1 ? `task ${lock.tasks[0]}` : `tasks ${lock.tasks.join(', ')}`;
  return `lab ${labId} is ${task} of the exam in progress (${lock.examId}): its ${what} ${what === 'solution' ? 'is' : 'are'} locked until you submit or abandon the exam`;
}

const inside = (dir: string, path: string): boolean => {
  const r = relative(dir, path);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && !/^[a-zA-Z]:/.test(r));
};

/**
 * The exam folder of a lab for a learner standing in `cwd`: the task folder
 * they are in (or under), or, from the exam's own folder, the lab's only task
 * folder. Undefined elsewhere (a lab's usual folder stays the default there).
 */
export function examTaskFolder(
  active: ActiveExam | undefined,
  labId: string,
  cwd: string,
): string | undefined {
  if (!active || active.submitted) return undefined;
  const dirs = active.plan.tasks
    .filter((t) => t.kind === 'lab' && t.id === labId)
    .map((t) => taskDir(active.workspace, active.plan, t.index));
  const here = dirs.find((d) => inside(d, cwd));
  if (here) return here;
  return dirs.length === 1 && inside(active.workspace, cwd) ? dirs[0] : undefined;
}
