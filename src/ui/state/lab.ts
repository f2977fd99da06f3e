// The lab screen as a pure reducer: the pane on show, scroll positions, the
// last grade (kept on screen while the next one runs, so a re-grade never
// flickers), hints revealed, and the solution behind a confirmation.
import type { LabGrade } from '../services/lab.ts';
import { moveCursor } from './cursor.ts';

export const LAB_PANES = ['task', 'grade', 'traffic', 'hints'] as const;
export type LabPane = (typeof LAB_PANES)[number];

export interface SolutionFile {
  file: string;
  text: string;
}

export interface LabViewState {
  pane: LabPane;
  scroll: Record<LabPane, number>;
  grading: boolean;
  /** the last finished grade (stays until the next one is ready) */
  grade?: LabGrade;
  /** the last grading failure; the previous grade stays on screen */
  gradeError?: string;
  /** how many hints are shown */
  hintsShown: number;
  confirmSolution: boolean;
  solution?: SolutionFile[];
  message?: string;
  /** what the last save changed ("last save: 1 → 3 of 4 criteria met") */
  lastChange?: string;
}

export type LabAction =
  | { type: 'pane'; delta: number }
  | { type: 'showPane'; pane: LabPane }
  | { type: 'scroll'; delta: number; max: number }
  | { type: 'grading' }
  | { type: 'graded'; grade: LabGrade; cause?: 'open' | 'save' | 'request' }
  | { type: 'gradeFailed'; message: string }
  | { type: 'hintsUsed'; count: number }
  | { type: 'hint'; total: number }
  | { type: 'askSolution' }
  | { type: 'cancelSolution' }
  | { type: 'solution'; files: SolutionFile[] }
  | { type: 'message'; text: string | undefined };

export function initialLabView(): LabViewState {
  return {
    pane: 'task',
    scroll: { task: 0, grade: 0, traffic: 0, hints: 0 },
    grading: false,
    hintsShown: 0,
    confirmSolution: false,
  };
}

type Criteria = { criteria: readonly { id: string; pass: boolean }[] };

/** What a save changed, in a few words: "last save: 1 → 3 of 4 criteria met (2 newly met)". */
export function saveChange(before: Criteria, after: Criteria): string {
  const was = new Map(before.criteria.map((c) => [c.id, c.pass]));
  const gained = after.criteria.filter((c) => c.pass && was.get(c.id) === false).length;
  const lost = after.criteria.filter((c) => !c.pass && was.get(c.id) === true).length;
  const met = (r: Criteria) => r.criteria.filter((c) => c.pass).length;
  const total = `${after.criteria.length} ${after.criteria.length === 1 ? 'criterion' : 'criteria'}`;
  if (gained === 0 && lost === 0) return `last save: no criterion changed (${met(after)} of ${total} met)`;
  const what = [gained ? `${gained} newly met` : '', lost ? `${lost} no longer met` : ''].filter(Boolean);
  return `last save: ${met(before)} → ${met(after)} of ${total} met (${what.join(', ')})`;
}

const PASSED = '✓ Passed: every criterion is met. q goes back to the labs.';

export function labReducer(s: LabViewState, a: LabAction): LabViewState {
  switch (a.type) {
    case 'pane': {
      const i = LAB_PANES.indexOf(s.pane);
      const next = LAB_PANES[(i + a.delta + LAB_PANES.length) % LAB_PANES.length] ?? 'task';
      return { ...s, pane: next };
    }
    case 'showPane':
      return { ...s, pane: a.pane };
    case 'scroll': {
      const now = s.scroll[s.pane];
      return { ...s, scroll: { ...s.scroll, [s.pane]: Math.max(0, Math.min(a.max, now + a.delta)) } };
    }
    case 'grading':
      return { ...s, grading: true };
    case 'graded': {
      // the first pass on this screen is worth saying out loud
      const passedNow = a.grade.result.pass && s.grade !== undefined && !s.grade.result.pass;
      // and a pass that no longer holds is not left on screen
      const stale = !a.grade.result.pass && s.message === PASSED;
      return {
        ...s,
        grading: false,
        grade: a.grade,
        gradeError: undefined,
        ...(passedNow ? { message: PASSED } : stale ? { message: undefined } : {}),
        ...(a.cause === 'save' && s.grade ? { lastChange: saveChange(s.grade.result, a.grade.result) } : {}),
      };
    }
    case 'gradeFailed':
      return { ...s, grading: false, gradeError: a.message };
    case 'hintsUsed':
      return { ...s, hintsShown: Math.max(s.hintsShown, a.count) };
    case 'hint':
      return {
        ...s,
        hintsShown: moveCursor(s.hintsShown, 1, a.total + 1),
        pane: 'hints',
        message: s.hintsShown >= a.total ? 'That was the last hint; s shows the solution.' : undefined,
      };
    case 'askSolution':
      return { ...s, confirmSolution: true };
    case 'cancelSolution':
      return { ...s, confirmSolution: false };
    case 'solution':
      return { ...s, confirmSolution: false, solution: a.files, pane: 'hints' };
    case 'message':
      return { ...s, message: a.text };
  }
}
