// The keys the exam screen takes in each of its states, what each does there and
// the footer's name for it; the screen (exam.ts) supplies the actions they call.
import type { ActionName, FooterRename, KeyAction } from '../keys.ts';
import { EXAM_PRESETS } from '../services/exam.ts';
import { answerOf, type ExamScreenAction, type ExamScreenState } from '../state/exam.ts';

export type TaskKind = 'lab' | 'single' | 'multiple' | 'truefalse';

/** The keys each part of the screen takes. */
export function keyScope(s: ExamScreenState, kind: TaskKind | undefined): readonly ActionName[] {
  if (s.confirmSubmit || s.confirmAbandon) return [];
  if (s.phase === 'start')
    return s.last
      ? ['up', 'down', 'choose', 'select', 'regrade', 'back']
      : ['up', 'down', 'choose', 'select', 'back'];
  if (s.phase === 'result')
    return s.review === undefined
      ? ['up', 'down', 'select', 'back']
      : ['up', 'down', 'pageUp', 'pageDown', 'left', 'right', 'back'];
  if (s.phase !== 'running') return [];
  const exam = ['flag', 'skip', 'submit', 'abandon', 'back'] as const;
  if (s.view === 'list') return ['up', 'down', 'select', ...exam];
  if (kind === 'lab')
    return ['left', 'right', 'up', 'down', 'pageUp', 'pageDown', 'edit', 'regrade', 'done', ...exam];
  if (kind === 'multiple') return ['left', 'right', 'up', 'down', 'choose', 'toggle', 'select', ...exam];
  return ['left', 'right', 'up', 'down', 'choose', 'select', ...exam];
}

/** What the exam screen's keys act on: its actions, and what is on show. */
export interface ExamKeyContext {
  dispatch: (action: ExamScreenAction) => void;
  /** dispatches an exam action and saves the session */
  act: (action: ExamScreenAction) => void;
  back: () => void;
  start: () => Promise<void>;
  edit: () => Promise<void>;
  gradeNow: () => Promise<void>;
  /** the kind of task on show, and its number of options (a question's) */
  kind: TaskKind | undefined;
  options: number;
  maxScroll: number;
  page: number;
}

/** A key on the exam screen, in the state `cur` (false: not taken, the app may use it). */
export function onExamKey(a: KeyAction, cur: ExamScreenState, ctx: ExamKeyContext): false | undefined {
  const { kind, maxScroll, page } = ctx;
  if (cur.phase === 'start') {
    if (a.name === 'up' || a.name === 'down')
      ctx.dispatch({ type: 'preset', delta: a.name === 'up' ? -1 : 1, count: EXAM_PRESETS.length });
    else if (a.name === 'choose') {
      if (a.index >= EXAM_PRESETS.length) return false;
      ctx.dispatch({ type: 'preset', delta: a.index - cur.presetCursor, count: EXAM_PRESETS.length });
    } else if (a.name === 'select') void ctx.start();
    else if (a.name === 'regrade') ctx.dispatch({ type: 'reviewLast' });
    else if (a.name === 'back') ctx.back();
    return undefined;
  }
  if (cur.phase === 'result') {
    const count = cur.result?.outcomes.length ?? 0;
    if (cur.review === undefined) {
      if (a.name === 'back') {
        if (cur.fromStart) ctx.dispatch({ type: 'backToStart' });
        else ctx.back();
      } else if (a.name === 'up' || a.name === 'down')
        ctx.dispatch({ type: 'resultCursor', delta: a.name === 'up' ? -1 : 1 });
      else if (a.name === 'select' && count) ctx.dispatch({ type: 'review', index: cur.resultCursor });
    } else if (a.name === 'back') ctx.dispatch({ type: 'review', index: undefined });
    else if (a.name === 'left' || a.name === 'right')
      ctx.dispatch({
        type: 'review',
        index: Math.max(0, Math.min(count - 1, cur.review + (a.name === 'left' ? -1 : 1))),
      });
    else if (a.name === 'up' || a.name === 'down')
      ctx.dispatch({ type: 'scroll', delta: a.name === 'up' ? -1 : 1, max: maxScroll });
    else if (a.name === 'pageUp' || a.name === 'pageDown')
      ctx.dispatch({ type: 'scroll', delta: a.name === 'pageUp' ? -page : page, max: maxScroll });
    return undefined;
  }
  if (cur.phase !== 'running') return undefined;
  const multiple = kind === 'multiple';
  const count = ctx.options;
  switch (a.name) {
    case 'back':
      if (cur.view === 'task') ctx.dispatch({ type: 'view', view: 'list' });
      else ctx.back();
      break;
    case 'up':
    case 'down':
      if (cur.view === 'list') ctx.act({ type: 'exam', action: { type: a.name === 'up' ? 'prev' : 'next' } });
      else if (kind === 'lab')
        ctx.dispatch({ type: 'scroll', delta: a.name === 'up' ? -1 : 1, max: maxScroll });
      else ctx.dispatch({ type: 'option', delta: a.name === 'up' ? -1 : 1, count });
      break;
    case 'pageUp':
    case 'pageDown':
      ctx.dispatch({ type: 'scroll', delta: a.name === 'pageUp' ? -page : page, max: maxScroll });
      break;
    case 'left':
    case 'right':
      ctx.act({ type: 'exam', action: { type: a.name === 'left' ? 'prev' : 'next' } });
      break;
    case 'choose':
      ctx.dispatch({ type: 'chooseOption', index: a.index, count, multiple });
      break;
    case 'toggle':
      ctx.dispatch({ type: 'toggleOption', multiple });
      break;
    case 'select':
      if (cur.view === 'list') ctx.dispatch({ type: 'view', view: 'task' });
      else if (kind && kind !== 'lab') {
        const answer = answerOf(kind, cur.optionCursor, cur.ticked);
        if (!answer) ctx.dispatch({ type: 'message', text: 'Tick at least one option first.' });
        else {
          ctx.act({ type: 'exam', action: { type: 'answer', answer } });
          ctx.dispatch({ type: 'message', text: `Answer ${answer} saved.` });
        }
      }
      break;
    case 'edit':
      void ctx.edit();
      break;
    case 'regrade':
      void ctx.gradeNow();
      break;
    case 'done':
      ctx.act({ type: 'exam', action: { type: 'mark-done' } });
      break;
    case 'flag':
      ctx.act({ type: 'exam', action: { type: 'toggle-flag' } });
      break;
    case 'skip':
      ctx.act({ type: 'exam', action: { type: 'skip' } });
      break;
    case 'submit':
      ctx.dispatch({ type: 'askSubmit' });
      break;
    case 'abandon':
      ctx.dispatch({ type: 'askAbandon' });
      break;
  }
  return undefined;
}

/** The footer's names of the keys, as they read in each state. */
export function examKeyNames(
  s: ExamScreenState,
  kind: TaskKind | undefined,
): Partial<Record<ActionName, FooterRename>> {
  return {
    select:
      s.phase === 'start'
        ? 'start'
        : s.phase === 'result'
          ? 'review task'
          : s.view === 'list'
            ? 'open task'
            : 'save answer',
    back:
      s.phase === 'running' && s.view === 'task'
        ? 'task list'
        : s.phase === 'result' && s.review !== undefined
          ? 'result'
          : 'leave',
    left: 'task',
    up: s.phase === 'running' && kind === 'lab' ? 'scroll' : 'move',
    regrade: s.phase === 'start' ? 'review last exam' : 'grade',
    edit: 'edit',
    done: 'done',
    submit: 'submit',
    abandon: 'abandon',
  };
}
