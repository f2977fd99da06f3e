// The screens' state as pure reducers, tested without rendering.
import { describe, expect, it } from 'vitest';
import type { ExamPlan } from '../../src/core/exam/plan.ts';
import { startSession } from '../../src/core/exam/session.ts';
import type { ActiveExam } from '../../src/core/progress/exams.ts';
import { clampScroll, moveCursor, scrollToShow } from '../../src/ui/state/cursor.ts';
import { answerOf, examScreenReducer, initialExamScreen, selectionOf } from '../../src/ui/state/exam.ts';
import { initialLabView, labReducer } from '../../src/ui/state/lab.ts';
import { currentRoute, initialNav, navReducer } from '../../src/ui/state/nav.ts';
import {
  type AnswerResult,
  chosenAnswer,
  quizReducer,
  quizTotals,
  startQuiz,
} from '../../src/ui/state/quiz.ts';

describe('cursor', () => {
  it('clamps moves and scrolls', () => {
    expect(moveCursor(0, -1, 3)).toBe(0);
    expect(moveCursor(2, 5, 3)).toBe(2);
    expect(clampScroll(50, 30, 10)).toBe(20);
    expect(clampScroll(5, 4, 10)).toBe(0);
    expect(scrollToShow(0, 12, 10)).toBe(3);
    expect(scrollToShow(5, 2, 10)).toBe(2);
  });
});

describe('navReducer', () => {
  it('pushes, goes back, and asks to quit from the first screen', () => {
    let s = initialNav();
    s = navReducer(s, { type: 'push', route: { name: 'labs' } });
    s = navReducer(s, { type: 'push', route: { name: 'lab', id: 'canary-20' } });
    expect(currentRoute(s)).toEqual({ name: 'lab', id: 'canary-20' });
    s = navReducer(s, { type: 'push', route: { name: 'lab', id: 'canary-20' } });
    expect(s.stack).toHaveLength(3);
    s = navReducer(s, { type: 'home' });
    expect(currentRoute(s)).toEqual({ name: 'home' });
    s = navReducer(s, { type: 'back' });
    expect(s.quit).toBe(true);
    expect(initialNav({ name: 'exam' }).stack.map((r) => r.name)).toEqual(['home', 'exam']);
  });
});

const result = (id: string, correct: boolean): AnswerResult => ({
  id,
  correct,
  rating: correct ? 'Good' : 'Again',
  ms: 1000,
  grade: { kind: 'choice', correct, chosen: ['b'], keyed: ['b'] },
});

describe('quizReducer', () => {
  const items = [
    { id: 's', type: 'single', options: 3 },
    { id: 'm', type: 'multiple', options: 4 },
    { id: 't', type: 'truefalse', options: 2 },
  ] as const;

  it('chooses by number and arrows, ticks several options, and reads the answer', () => {
    let s = startQuiz([...items], 0);
    s = quizReducer(s, { type: 'move', delta: 1 });
    expect(chosenAnswer(s)).toEqual({ answer: 'b' });
    s = quizReducer(s, { type: 'choose', index: 2 });
    expect(chosenAnswer(s)).toEqual({ answer: 'c' });
    s = quizReducer(s, { type: 'choose', index: 7 }); // no such option
    expect(s.cursor).toBe(2);
    s = quizReducer(s, { type: 'grading' });
    s = quizReducer(s, { type: 'graded', result: result('s', true) });
    s = quizReducer(s, { type: 'next', now: 5 });
    expect(s).toMatchObject({ index: 1, cursor: 0, phase: 'asking', shownAt: 5 });
    expect('missing' in chosenAnswer(s)).toBe(true);
    s = quizReducer(s, { type: 'choose', index: 2 });
    s = quizReducer(s, { type: 'move', delta: -2 });
    s = quizReducer(s, { type: 'toggle' });
    expect(chosenAnswer(s)).toEqual({ answer: 'a,c' });
    s = quizReducer(s, { type: 'toggle' });
    expect(chosenAnswer(s)).toEqual({ answer: 'c' });
  });

  it('ignores keys while grading, returns to asking on failure, ends with a summary', () => {
    let s = startQuiz([items[2]], 0);
    s = quizReducer(s, { type: 'grading' });
    expect(quizReducer(s, { type: 'move', delta: 1 })).toBe(s);
    s = quizReducer(s, { type: 'failed', message: 'boom' });
    expect(s).toMatchObject({ phase: 'asking', message: 'boom' });
    s = quizReducer(s, { type: 'choose', index: 1 });
    expect(chosenAnswer(s)).toEqual({ answer: 'false' });
    s = quizReducer(quizReducer(s, { type: 'grading' }), { type: 'graded', result: result('t', false) });
    s = quizReducer(s, { type: 'next', now: 1 });
    expect(s.phase).toBe('summary');
    expect(quizTotals(s)).toMatchObject({ answered: 1, correct: 0, ratings: { Again: 1 } });
  });
});

describe('labReducer', () => {
  it('cycles panes, reveals hints up to the last, and confirms the solution', () => {
    let s = initialLabView();
    s = labReducer(s, { type: 'pane', delta: -1 });
    expect(s.pane).toBe('hints');
    s = labReducer(s, { type: 'pane', delta: 1 });
    expect(s.pane).toBe('task');
    for (let i = 0; i < 4; i++) s = labReducer(s, { type: 'hint', total: 3 });
    expect(s.hintsShown).toBe(3);
    expect(s.message).toContain('last hint');
    s = labReducer(s, { type: 'askSolution' });
    expect(s.confirmSolution).toBe(true);
    s = labReducer(s, { type: 'cancelSolution' });
    expect(s.solution).toBeUndefined();
    s = labReducer(s, { type: 'solution', files: [{ file: 'a.yaml', text: 'x' }] });
    expect(s).toMatchObject({ confirmSolution: false, pane: 'hints' });
  });

  it('keeps the previous grade while grading and after a failure', () => {
    const g = {
      result: { pass: true } as never,
      traffic: { target: '', destinations: [], statuses: [], pages: [] },
      at: '',
    };
    let s = labReducer(initialLabView(), { type: 'graded', grade: g });
    s = labReducer(s, { type: 'grading' });
    expect(s.grade).toBe(g);
    s = labReducer(s, { type: 'gradeFailed', message: 'unreadable' });
    expect(s).toMatchObject({ grading: false, grade: g, gradeError: 'unreadable' });
    s = labReducer(s, { type: 'scroll', delta: 5, max: 3 });
    expect(s.scroll.task).toBe(3);
  });
});

describe('examScreenReducer', () => {
  const plan: ExamPlan = {
    id: 'exam-test',
    seed: 1,
    minutes: 10,
    passPercent: 68,
    createdAt: new Date(0).toISOString(),
    tasks: [
      { index: 0, kind: 'question', id: 'q1', title: 'Q1', domain: 'Traffic Management' },
      { index: 1, kind: 'question', id: 'q2', title: 'Q2', domain: 'Traffic Management' },
    ],
    coverage: [],
  };
  const active: ActiveExam = { ...startSession(plan, 0), workspace: '/tmp/x' };

  it('wraps the core exam reducer and restores the saved answer when moving between tasks', () => {
    let s = examScreenReducer(initialExamScreen(), { type: 'loaded', active });
    expect(s.phase).toBe('running');
    s = examScreenReducer(s, { type: 'exam', action: { type: 'answer', answer: 'a,c' } });
    s = examScreenReducer(s, { type: 'exam', action: { type: 'next' } });
    expect(s.ticked).toEqual([]);
    s = examScreenReducer(s, { type: 'exam', action: { type: 'prev' } });
    expect(s).toMatchObject({ optionCursor: 0, ticked: [0, 2] });
    s = examScreenReducer(s, { type: 'askSubmit' });
    expect(s.confirmSubmit).toBe(true);
    s = examScreenReducer(s, { type: 'submitting' });
    s = examScreenReducer(s, { type: 'message', text: 'could not grade' });
    expect(s.phase).toBe('running');
  });

  it('turns selections into answers and back', () => {
    expect(answerOf('single', 1, [])).toBe('b');
    expect(answerOf('multiple', 0, [2, 0])).toBe('a,c');
    expect(answerOf('multiple', 0, [])).toBeUndefined();
    expect(answerOf('truefalse', 1, [])).toBe('false');
    expect(selectionOf('false')).toEqual({ cursor: 1, ticked: [] });
    expect(selectionOf('b,d')).toEqual({ cursor: 1, ticked: [1, 3] });
  });
});

describe('what the last save changed', () => {
  it('counts criteria newly met and no longer met', async () => {
    const { saveChange } = await import('../../src/ui/state/lab.ts');
    const r = (...pass: boolean[]) => ({ criteria: pass.map((p, i) => ({ id: `c${i}`, pass: p })) });
    expect(saveChange(r(true, false, false), r(true, true, false))).toBe(
      'last save: 1 → 2 of 3 criteria met (1 newly met)',
    );
    expect(saveChange(r(true, true), r(false, true))).toBe(
      'last save: 2 → 1 of 2 criteria met (1 no longer met)',
    );
    expect(saveChange(r(true, false), r(true, false))).toBe(
      'last save: no criterion changed (1 of 2 criteria met)',
    );
  });
});
