// Quiz sessions over the core: picking the questions (FSRS: due first, then new
// ones across topics), grading an answer, and saving it at once (so a killed
// terminal loses nothing).
import type { Grade } from '../../core/content/quiz-grade.ts';
import type { Question } from '../../core/content/quiz-schema.ts';
import { plural } from '../../core/plural.ts';
import type { RatingName, StoredCard } from '../../core/progress/state.ts';
import { loadBank } from './content.ts';
import { errorText, type TuiEnv } from './env.ts';
import { readState, serialized, storeOptions } from './state.ts';

export const SESSION_SIZE = 10;

export interface QuizSession {
  questions: Question[];
  /** when there is nothing to ask: why (no reviews due, empty bank) */
  empty?: string;
  notices: string[];
}

export async function pickQuestions(
  env: TuiEnv,
  mode: 'learn' | 'review',
  limit = SESSION_SIZE,
  topic?: string,
): Promise<QuizSession> {
  const [bank, { state, notices }, srs] = await Promise.all([
    loadBank(env),
    readState(env),
    import('../../core/progress/srs.ts'),
  ]);
  // the exam in progress keeps its questions: practising them would show their answers
  const { examsFrom } = await import('../../core/progress/exams.ts');
  const inExam = new Set(
    (() => {
      try {
        return (
          examsFrom(state)
            .active?.plan.tasks.filter((t) => t.kind === 'question')
            .map((t) => t.id) ?? []
        );
      } catch {
        return [];
      }
    })(),
  );
  const pool = (topic ? bank.questions.filter((q) => q.topic === topic) : bank.questions).filter(
    (q) => !inExam.has(q.id),
  );
  if (pool.length === 0)
    return {
      questions: [],
      empty: topic
        ? `No questions in topic "${topic}" (topics: ${[...new Set(bank.questions.map((q) => q.topic))].join(', ')}).`
        : 'The question bank is empty (or could not be read).',
      notices,
    };
  const now = env.now();
  const ids = srs.pickSession(pool, state.quiz, { now, limit, review: mode === 'review' });
  const questions = ids.map((id) => bank.byId.get(id)).filter((q): q is Question => q !== undefined);
  if (questions.length > 0) return { questions, notices };
  if (mode === 'review') {
    const next = Object.values(state.quiz.cards)
      .map((c) => Date.parse(c.card.due))
      .filter((t) => Number.isFinite(t))
      .sort((a, b) => a - b)[0];
    return {
      questions: [],
      empty:
        next === undefined
          ? 'No reviews yet: answer some questions in Quiz first; they come back here when they are due.'
          : `No reviews due. The next one is due ${whenText(next - now.getTime())}.`,
      notices,
    };
  }
  return { questions: [], empty: 'You have seen every question; Review brings them back when due.', notices };
}

/** "in 5 minutes", "in 3 hours", "in 2 days", "now". */
export function whenText(ms: number): string {
  const mins = Math.max(0, Math.round(ms / 60_000));
  if (mins < 1) return 'now';
  if (mins < 90) return `in ${mins} minute${mins === 1 ? '' : 's'}`;
  const hours = Math.round(mins / 60);
  if (hours < 36) return `in ${plural(hours, 'hour')}`;
  return `in ${plural(Math.round(hours / 24), 'day')}`;
}

/** Grades a choice or true/false answer given as text ("b", "a,c", "true"). */
export async function gradeChoice(q: Question, raw: string): Promise<Grade> {
  const { gradeAnswer, parseChoiceAnswer } = await import('../../core/content/quiz-grade.ts');
  return gradeAnswer(q, parseChoiceAnswer(q, raw));
}

/** Grades a YAML answer (analyzer Errors and the question's checks). */
export async function gradeYamlText(q: Question, text: string, file: string): Promise<Grade> {
  const { gradeAnswer } = await import('../../core/content/quiz-grade.ts');
  return gradeAnswer(q, { type: 'yaml', text, file });
}

export interface SavedAnswer {
  rating: RatingName;
  due?: string;
  unsaved?: string;
  notices: string[];
  /** when the answer was recorded, and the card before it (to re-rate it) */
  at: string;
  before?: StoredCard;
}

/** Saves the answer at once: wrong -> Again, right -> Good until the learner says otherwise (rerateAnswer). */
export async function saveAnswer(
  env: TuiEnv,
  q: Question,
  correct: boolean,
  ms: number,
): Promise<SavedAnswer> {
  const { rateAnswer } = await import('../../core/progress/srs.ts');
  const rating = rateAnswer(correct);
  const now = env.now();
  const at = now.toISOString();
  try {
    const { updateState } = await import('../../core/progress/store.ts');
    const { recordAnswer } = await import('../../core/progress/quiz-progress.ts');
    const { result, notices } = await serialized(() =>
      updateState((state) => {
        const before = state.quiz.cards[q.id]?.card;
        recordAnswer(state, { id: q.id, correct, rating, at: now, ms, via: 'tui' });
        return { due: state.quiz.cards[q.id]?.card.due, before };
      }, storeOptions(env)),
    );
    return {
      rating,
      at,
      notices,
      ...(result.due ? { due: result.due } : {}),
      ...(result.before ? { before: result.before } : {}),
    };
  } catch (e) {
    return { rating, at, unsaved: errorText(e), notices: [] };
  }
}

/** The learner's own rating of a right answer, replacing the Good it was saved with. Returns why it was not saved, if not. */
export async function rerateAnswer(
  env: TuiEnv,
  id: string,
  rating: RatingName,
  at: string,
  before: StoredCard | undefined,
): Promise<string | undefined> {
  try {
    const { updateState } = await import('../../core/progress/store.ts');
    const { rerateLastAnswer } = await import('../../core/progress/quiz-progress.ts');
    const { result } = await serialized(() =>
      updateState(
        (state) => rerateLastAnswer(state, { id, rating, at: new Date(at), ...(before ? { before } : {}) }),
        storeOptions(env),
      ),
    );
    return result ? undefined : 'the question was answered again elsewhere since';
  } catch (e) {
    return errorText(e);
  }
}
