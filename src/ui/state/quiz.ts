// The quiz session as a pure reducer: which question, which option the cursor
// is on (or which are ticked), then the graded feedback, then the summary.
// Grading, editors and saving happen in hooks and services, not here.
import type { Grade } from '../../core/content/quiz-grade.ts';
import type { RatingName, StoredCard } from '../../core/progress/state.ts';
import { moveCursor } from './cursor.ts';

export type QuestionKind = 'single' | 'multiple' | 'truefalse' | 'yaml';

export interface QuizItem {
  id: string;
  type: QuestionKind;
  /** options to choose from (2 for true/false, 0 for YAML) */
  options: number;
}

export interface AnswerResult {
  id: string;
  correct: boolean;
  rating: RatingName;
  ms: number;
  grade: Grade;
  /** next review (ISO), when the answer was saved */
  due?: string;
  /** why it was not saved, if it was not */
  unsaved?: string;
  /** when it was saved, and the card before it (to re-rate it) */
  at?: string;
  before?: StoredCard;
}

export type QuizPhase = 'asking' | 'grading' | 'feedback' | 'summary';

export interface QuizState {
  items: QuizItem[];
  index: number;
  cursor: number;
  ticked: number[];
  phase: QuizPhase;
  /** epoch ms when the current question was shown (answer time feeds the FSRS rating) */
  shownAt: number;
  results: AnswerResult[];
  /** scroll offset of the feedback */
  scroll: number;
  /** a short message about the last key (e.g. nothing ticked yet) */
  message?: string;
  /** the YAML syntax errors of the last edit (file:line: message); nothing was graded */
  syntax?: string[];
}

export type QuizAction =
  | { type: 'move'; delta: number }
  | { type: 'choose'; index: number }
  | { type: 'toggle' }
  | { type: 'grading' }
  | { type: 'graded'; result: AnswerResult }
  | { type: 'failed'; message: string }
  | { type: 'syntax'; errors: string[] }
  | { type: 'rated'; rating: RatingName; unsaved?: string }
  | { type: 'next'; now: number }
  | { type: 'scroll'; delta: number; max: number }
  | { type: 'message'; text: string | undefined };

export function startQuiz(items: QuizItem[], now: number): QuizState {
  return {
    items,
    index: 0,
    cursor: 0,
    ticked: [],
    phase: items.length ? 'asking' : 'summary',
    shownAt: now,
    results: [],
    scroll: 0,
  };
}

export function currentItem(s: QuizState): QuizItem | undefined {
  return s.items[s.index];
}

const LETTERS = 'abcdefgh';

/**
 * The answer the learner has chosen, as the core's answer text ("b", "a,c",
 * "true"), or a message saying what is missing. YAML answers come from the editor.
 */
export function chosenAnswer(s: QuizState): { answer: string } | { missing: string } {
  const item = currentItem(s);
  if (!item) return { missing: 'no question' };
  switch (item.type) {
    case 'single':
      return { answer: LETTERS[s.cursor] ?? 'a' };
    case 'truefalse':
      return { answer: s.cursor === 0 ? 'true' : 'false' };
    case 'multiple':
      return s.ticked.length
        ? {
            answer: [...s.ticked]
              .sort((a, b) => a - b)
              .map((i) => LETTERS[i])
              .join(','),
          }
        : { missing: 'Tick at least one option first (Space, or its number).' };
    case 'yaml':
      return { missing: 'Write your answer in the editor first.' };
  }
}

function toggled(list: number[], i: number): number[] {
  return list.includes(i) ? list.filter((x) => x !== i) : [...list, i].sort((a, b) => a - b);
}

export function quizReducer(s: QuizState, a: QuizAction): QuizState {
  const item = currentItem(s);
  switch (a.type) {
    case 'move':
      if (s.phase !== 'asking' || !item) return s;
      return { ...s, cursor: moveCursor(s.cursor, a.delta, item.options), message: undefined };
    case 'choose':
      if (s.phase !== 'asking' || !item || a.index < 0 || a.index >= item.options) return s;
      return item.type === 'multiple'
        ? { ...s, cursor: a.index, ticked: toggled(s.ticked, a.index), message: undefined }
        : { ...s, cursor: a.index, message: undefined };
    case 'toggle':
      if (s.phase !== 'asking' || item?.type !== 'multiple') return s;
      return { ...s, ticked: toggled(s.ticked, s.cursor), message: undefined };
    case 'grading':
      return s.phase === 'asking' ? { ...s, phase: 'grading', message: undefined } : s;
    case 'graded':
      if (s.phase !== 'grading') return s;
      return { ...s, phase: 'feedback', results: [...s.results, a.result], scroll: 0, syntax: undefined };
    case 'syntax':
      // not an answer: back to the question, nothing graded or rated
      return {
        ...s,
        phase: s.phase === 'grading' ? 'asking' : s.phase,
        syntax: a.errors,
        message: undefined,
      };
    case 'rated': {
      const last = s.results[s.results.length - 1];
      if (s.phase !== 'feedback' || !last?.correct) return s;
      const { unsaved: _old, ...rest } = last;
      const result = { ...rest, rating: a.rating, ...(a.unsaved ? { unsaved: a.unsaved } : {}) };
      return { ...s, results: [...s.results.slice(0, -1), result] };
    }
    case 'failed':
      return { ...s, phase: s.phase === 'grading' ? 'asking' : s.phase, message: a.message };
    case 'next': {
      if (s.phase !== 'feedback') return s;
      const index = s.index + 1;
      if (index >= s.items.length) return { ...s, phase: 'summary', scroll: 0 };
      return {
        ...s,
        index,
        cursor: 0,
        ticked: [],
        phase: 'asking',
        shownAt: a.now,
        scroll: 0,
        syntax: undefined,
      };
    }
    case 'scroll':
      return { ...s, scroll: Math.max(0, Math.min(a.max, s.scroll + a.delta)) };
    case 'message':
      return { ...s, message: a.text };
  }
}

export interface QuizTotals {
  answered: number;
  correct: number;
  ratings: Record<RatingName, number>;
  ms: number;
}

export function quizTotals(s: QuizState): QuizTotals {
  const ratings: Record<RatingName, number> = { Again: 0, Hard: 0, Good: 0, Easy: 0 };
  for (const r of s.results) ratings[r.rating]++;
  return {
    answered: s.results.length,
    correct: s.results.filter((r) => r.correct).length,
    ratings,
    ms: s.results.reduce((a, r) => a + r.ms, 0),
  };
}
