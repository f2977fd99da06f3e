// The exam screen as a pure reducer around the core's exam session reducer:
// the session itself (the same state the CLI reads and writes) plus what only
// the screen needs (list or task view, option cursor, submit confirmation).
import type { ExamResult, GradedTask } from '../../core/exam/grade.ts';
import { type ExamAction, examReducer } from '../../core/exam/session.ts';
import type { ActiveExam } from '../../core/progress/exams.ts';
import { moveCursor } from './cursor.ts';

export type ExamPhase = 'loading' | 'start' | 'running' | 'submitting' | 'result';

export interface ExamScreenState {
  phase: ExamPhase;
  active?: ActiveExam;
  result?: ExamResult;
  /** the plan of the graded exam (for task titles on the result screen) */
  resultPlan?: ActiveExam['plan'];
  view: 'list' | 'task';
  presetCursor: number;
  optionCursor: number;
  ticked: number[];
  confirmSubmit: boolean;
  confirmAbandon: boolean;
  scroll: number;
  message?: string;
  /** the last on-demand grade of a lab task (shown under it until the task changes) */
  taskGrade?: GradedTask;
  grading: boolean;
  /** after submitting: the task under the cursor, and the one under review */
  resultCursor: number;
  review?: number;
  /** the last submitted exam, offered for review on the start screen */
  last?: ExamResult;
  /** the result on show is the last exam's, opened from the start screen */
  fromStart?: boolean;
}

export type ExamScreenAction =
  | { type: 'loaded'; active?: ActiveExam; last?: ExamResult }
  | { type: 'reviewLast' }
  | { type: 'backToStart' }
  | { type: 'started'; active: ActiveExam }
  | { type: 'exam'; action: ExamAction }
  | { type: 'view'; view: 'list' | 'task' }
  | { type: 'preset'; delta: number; count: number }
  | { type: 'option'; delta: number; count: number }
  | { type: 'chooseOption'; index: number; count: number; multiple: boolean }
  | { type: 'toggleOption'; multiple: boolean }
  | { type: 'askSubmit' }
  | { type: 'cancelSubmit' }
  | { type: 'askAbandon' }
  | { type: 'cancelAbandon' }
  | { type: 'abandoned'; text: string }
  | { type: 'grading' }
  | { type: 'taskGraded'; grade: GradedTask }
  | { type: 'resultCursor'; delta: number }
  | { type: 'review'; index: number | undefined }
  | { type: 'submitting' }
  | { type: 'result'; result: ExamResult }
  | { type: 'scroll'; delta: number; max: number }
  | { type: 'message'; text: string | undefined };

export function initialExamScreen(): ExamScreenState {
  return {
    phase: 'loading',
    view: 'list',
    presetCursor: 0,
    optionCursor: 0,
    ticked: [],
    confirmSubmit: false,
    confirmAbandon: false,
    scroll: 0,
    grading: false,
    resultCursor: 0,
  };
}

const LETTERS = 'abcdefgh';

/** The cursor and ticks that show a saved answer ("b", "a,c", "true"). */
export function selectionOf(answer: string | undefined): { cursor: number; ticked: number[] } {
  if (!answer) return { cursor: 0, ticked: [] };
  if (answer === 'true') return { cursor: 0, ticked: [] };
  if (answer === 'false') return { cursor: 1, ticked: [] };
  const ticked = answer
    .split(',')
    .map((l) => LETTERS.indexOf(l.trim()))
    .filter((i) => i >= 0);
  return { cursor: ticked[0] ?? 0, ticked };
}

/** The answer text of a selection, as `exam answer` takes it. */
export function answerOf(
  kind: 'single' | 'multiple' | 'truefalse',
  cursor: number,
  ticked: number[],
): string | undefined {
  if (kind === 'truefalse') return cursor === 0 ? 'true' : 'false';
  if (kind === 'single') return LETTERS[cursor];
  if (ticked.length === 0) return undefined;
  return [...ticked]
    .sort((a, b) => a - b)
    .map((i) => LETTERS[i])
    .join(',');
}

function withSelection(s: ExamScreenState, active: ActiveExam): ExamScreenState {
  const sel = selectionOf(active.tasks[active.current]?.answer);
  const keep = s.taskGrade?.index === active.current ? { taskGrade: s.taskGrade } : { taskGrade: undefined };
  return { ...s, ...keep, active, optionCursor: sel.cursor, ticked: sel.ticked, scroll: 0 };
}

export function examScreenReducer(s: ExamScreenState, a: ExamScreenAction): ExamScreenState {
  switch (a.type) {
    case 'loaded':
      return a.active
        ? withSelection({ ...s, phase: 'running' }, a.active)
        : { ...s, phase: 'start', ...(a.last ? { last: a.last } : {}) };
    case 'reviewLast':
      return s.phase === 'start' && s.last
        ? {
            ...s,
            phase: 'result',
            result: s.last,
            resultPlan: undefined,
            fromStart: true,
            scroll: 0,
            resultCursor: 0,
            review: undefined,
            message: undefined,
          }
        : s;
    case 'backToStart':
      return { ...s, phase: 'start', result: undefined, fromStart: false, review: undefined };
    case 'started':
      return withSelection({ ...s, phase: 'running', view: 'list', message: undefined }, a.active);
    case 'exam': {
      if (!s.active || s.phase !== 'running') return s;
      const next: ActiveExam = { ...examReducer(s.active, a.action), workspace: s.active.workspace };
      const moved = next.current !== s.active.current;
      return moved ? withSelection({ ...s, message: undefined }, next) : { ...s, active: next };
    }
    case 'view':
      return { ...s, view: a.view, scroll: 0, message: undefined };
    case 'preset':
      return { ...s, presetCursor: moveCursor(s.presetCursor, a.delta, a.count) };
    case 'option':
      return { ...s, optionCursor: moveCursor(s.optionCursor, a.delta, a.count) };
    case 'chooseOption': {
      if (a.index < 0 || a.index >= a.count) return s;
      if (!a.multiple) return { ...s, optionCursor: a.index };
      const ticked = s.ticked.includes(a.index)
        ? s.ticked.filter((i) => i !== a.index)
        : [...s.ticked, a.index];
      return { ...s, optionCursor: a.index, ticked };
    }
    case 'toggleOption': {
      if (!a.multiple) return s;
      const i = s.optionCursor;
      return { ...s, ticked: s.ticked.includes(i) ? s.ticked.filter((x) => x !== i) : [...s.ticked, i] };
    }
    case 'askSubmit':
      return s.phase === 'running' ? { ...s, confirmSubmit: true } : s;
    case 'cancelSubmit':
      return { ...s, confirmSubmit: false };
    case 'askAbandon':
      return s.phase === 'running' ? { ...s, confirmAbandon: true, confirmSubmit: false } : s;
    case 'cancelAbandon':
      return { ...s, confirmAbandon: false };
    case 'abandoned':
      return {
        ...initialExamScreen(),
        phase: 'start',
        presetCursor: s.presetCursor,
        message: a.text,
      };
    case 'grading':
      return { ...s, grading: true, message: undefined };
    case 'taskGraded':
      return { ...s, grading: false, taskGrade: a.grade };
    case 'resultCursor': {
      const count = s.result?.outcomes.length ?? 0;
      return count ? { ...s, resultCursor: moveCursor(s.resultCursor, a.delta, count) } : s;
    }
    case 'review':
      return a.index === undefined
        ? { ...s, review: undefined, scroll: 0 }
        : { ...s, review: a.index, resultCursor: a.index, scroll: 0 };
    case 'submitting':
      return { ...s, phase: 'submitting', confirmSubmit: false, confirmAbandon: false };
    case 'result':
      return {
        ...s,
        phase: 'result',
        result: a.result,
        resultPlan: s.active?.plan,
        active: undefined,
        scroll: 0,
        message: undefined,
        resultCursor: 0,
        review: undefined,
        taskGrade: undefined,
        last: a.result,
        fromStart: false,
      };
    case 'scroll':
      return { ...s, scroll: Math.max(0, Math.min(a.max, s.scroll + a.delta)) };
    case 'message':
      return {
        ...s,
        message: a.text,
        grading: false,
        phase:
          s.phase === 'submitting'
            ? s.active
              ? 'running'
              : 'start'
            : s.phase === 'loading'
              ? 'start'
              : s.phase,
      };
  }
}
