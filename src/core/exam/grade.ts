// Grading a submitted exam: labs from their workspace folders, questions from
// the answers given.
import { join } from 'node:path';
import type { LoadedExercise } from '../content/exercise-loader.ts';
import { AnswerFormatError, gradeAnswer, keyedLetters, parseChoiceAnswer } from '../content/quiz-grade.ts';
import type { Question } from '../content/quiz-schema.ts';
import { gradeLab } from '../grading/grade.ts';
import type { ExamPlan } from './plan.ts';
import { type ExamScore, scoreExam, type TaskOutcome } from './score.ts';
import type { ExamSession } from './session.ts';

export interface ExamResult {
  id: string;
  seed: number;
  startedAt: string;
  submittedAt: string;
  /** minutes used (capped at the exam's length) */
  minutesUsed: number;
  score: ExamScore;
  outcomes: (TaskOutcome & { kind: 'lab' | 'question'; id: string; flagged: boolean; skipped: boolean })[];
}

export interface ExamContent {
  labs: Map<string, LoadedExercise>;
  questions: Map<string, Question>;
}

/** Each lab task's workspace: <root>/<NN>-<lab id>. */
export function taskDir(root: string, plan: ExamPlan, index: number): string {
  const t = plan.tasks[index];
  return join(root, `${String(index + 1).padStart(2, '0')}-${t?.id ?? 'task'}`);
}

export async function gradeExam(
  session: ExamSession,
  root: string,
  content: ExamContent,
  now: Date,
): Promise<ExamResult> {
  const { plan } = session;
  const outcomes: ExamResult['outcomes'] = [];
  for (const task of plan.tasks) {
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
      if (!lab) {
        outcomes.push({ ...base, score: 0, detail: `lab ${task.id} is no longer available` });
        continue;
      }
      const r = await gradeLab(lab, { dir: taskDir(root, plan, task.index) });
      const met = r.criteria.filter((c) => c.pass).length;
      const failed = r.criteria.filter((c) => !c.pass).map((c) => c.text);
      outcomes.push({
        ...base,
        score: met / r.criteria.length,
        detail: failed.length
          ? `${met}/${r.criteria.length} criteria met; missing: ${failed.join('; ')}`
          : `all ${met} criteria met`,
      });
    } else {
      const q = content.questions.get(task.id);
      const answer = state?.answer;
      if (!q) {
        outcomes.push({ ...base, score: 0, detail: `question ${task.id} is no longer available` });
      } else if (!answer) {
        outcomes.push({ ...base, score: 0, detail: 'not answered' });
      } else {
        try {
          const g = gradeAnswer(q, parseChoiceAnswer(q, answer));
          const keyed = q.type === 'truefalse' ? String(q.answer) : keyedLetters(q).join(',');
          outcomes.push({
            ...base,
            score: g.correct ? 1 : 0,
            detail: g.correct ? 'right' : `wrong: the answer is ${keyed}`,
          });
        } catch (e) {
          if (!(e instanceof AnswerFormatError)) throw e;
          outcomes.push({ ...base, score: 0, detail: `unreadable answer "${answer}"` });
        }
      }
    }
  }
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
