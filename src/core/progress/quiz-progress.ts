// Recording quiz answers into the learner state, and the per-domain progress
// summary (questions seen, accuracy, reviews due).
import { isDue, reviewCard } from './srs.ts';
import {
  type AnswerRecord,
  type LearnerState,
  MAX_HISTORY,
  type RatingName,
  type StoredCard,
} from './state.ts';

export interface AnswerEvent {
  id: string;
  correct: boolean;
  rating: RatingName;
  at: Date;
  ms?: number;
  via?: AnswerRecord['via'];
}

/** Updates the question's FSRS card and totals, and appends to the history. */
export function recordAnswer(state: LearnerState, e: AnswerEvent): void {
  const quiz = state.quiz;
  const prev = quiz.cards[e.id];
  const at = e.at.toISOString();
  quiz.cards[e.id] = {
    card: reviewCard(prev?.card, e.rating, e.at),
    seen: (prev?.seen ?? 0) + 1,
    correct: (prev?.correct ?? 0) + (e.correct ? 1 : 0),
    lastAnsweredAt: at,
    lastCorrect: e.correct,
  };
  quiz.history.push({
    id: e.id,
    at,
    correct: e.correct,
    rating: e.rating,
    ...(e.ms !== undefined ? { ms: Math.round(e.ms) } : {}),
    ...(e.via ? { via: e.via } : {}),
  });
  if (quiz.history.length > MAX_HISTORY) quiz.history.splice(0, quiz.history.length - MAX_HISTORY);
}

/**
 * Changes the rating of the question's last answer (the learner said how hard a
 * right answer was, after it was saved as Good): the card is re-scheduled from
 * `before` (the card as it was before that answer), the history record updated.
 */
export function rerateLastAnswer(
  state: LearnerState,
  e: { id: string; rating: RatingName; at: Date; before?: StoredCard },
): boolean {
  const quiz = state.quiz;
  const current = quiz.cards[e.id];
  const at = e.at.toISOString();
  const record = quiz.history.findLast((r) => r.id === e.id);
  if (!current || current.lastAnsweredAt !== at || !record || record.at !== at) return false;
  current.card = reviewCard(e.before, e.rating, e.at);
  record.rating = e.rating;
  return true;
}

export interface ProgressRow {
  /** questions in the bank */
  questions: number;
  /** distinct questions answered at least once */
  seen: number;
  answers: number;
  correct: number;
  /** correct / answers, or null before the first answer */
  accuracy: number | null;
  /** seen questions whose review is due now */
  due: number;
}

export interface DomainProgress extends ProgressRow {
  domain: string;
}

export interface QuizProgress {
  domains: DomainProgress[];
  total: ProgressRow;
}

/** A row before any question is counted. */
export function emptyProgressRow(): ProgressRow {
  return { questions: 0, seen: 0, answers: 0, correct: 0, accuracy: null, due: 0 };
}

/** Per-domain progress over the question bank (every listed domain appears, even without questions). */
export function quizProgress(
  state: LearnerState,
  questions: readonly { id: string; domain: string }[],
  domains: readonly string[],
  now: Date,
): QuizProgress {
  const rows = new Map<string, ProgressRow>(domains.map((d) => [d, emptyProgressRow()]));
  const total = emptyProgressRow();
  for (const q of questions) {
    let row = rows.get(q.domain);
    if (!row) rows.set(q.domain, (row = emptyProgressRow()));
    const card = state.quiz.cards[q.id];
    for (const r of [row, total]) {
      r.questions++;
      if (!card) continue;
      r.seen++;
      r.answers += card.seen;
      r.correct += card.correct;
      if (isDue(card.card, now)) r.due++;
    }
  }
  for (const r of [...rows.values(), total]) r.accuracy = r.answers ? r.correct / r.answers : null;
  return { domains: [...rows].map(([domain, r]) => ({ domain, ...r })), total };
}
