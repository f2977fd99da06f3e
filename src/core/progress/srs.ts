// Spaced repetition with FSRS (ts-fsrs). Each answer rates the question's
// card: wrong -> Again; right -> what the learner says it was (Hard, Good,
// Easy, even Again for a lucky guess), Good when they say nothing. Sessions
// serve due cards first (most overdue first), then new ones interleaved across
// topics, so a new learner's first session is a mix of every topic.
import { type Card, createEmptyCard, fsrs, type Grade, Rating, type State } from 'ts-fsrs';
import type { QuizState, RatingName, StoredCard } from './state.ts';

/** Deterministic scheduling (no interval fuzz), the default retention (0.9) and learning steps. */
const scheduler = fsrs({ enable_fuzz: false });

const GRADES: Record<RatingName, Grade> = {
  Again: Rating.Again,
  Hard: Rating.Hard,
  Good: Rating.Good,
  Easy: Rating.Easy,
};

/**
 * Rates an answer: wrong -> Again; right -> the learner's own rating, else Good.
 * Never Easy by itself: a fast answer can be a guess, and only the learner knows.
 */
export function rateAnswer(correct: boolean, chosen?: RatingName): RatingName {
  if (!correct) return 'Again';
  return chosen ?? 'Good';
}

export function toCard(s: StoredCard): Card {
  return {
    due: new Date(s.due),
    stability: s.stability,
    difficulty: s.difficulty,
    elapsed_days: s.elapsed_days,
    scheduled_days: s.scheduled_days,
    learning_steps: s.learning_steps,
    reps: s.reps,
    lapses: s.lapses,
    state: s.state as State,
    ...(s.last_review ? { last_review: new Date(s.last_review) } : {}),
  };
}

export function fromCard(c: Card): StoredCard {
  return {
    due: c.due.toISOString(),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsed_days: c.elapsed_days,
    scheduled_days: c.scheduled_days,
    learning_steps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
    ...(c.last_review ? { last_review: c.last_review.toISOString() } : {}),
  };
}

export function newCard(now: Date): StoredCard {
  return fromCard(createEmptyCard(now));
}

/** The card after a review with `rating` at `now`. */
export function reviewCard(card: StoredCard | undefined, rating: RatingName, now: Date): StoredCard {
  const current = card ? toCard(card) : createEmptyCard(now);
  return fromCard(scheduler.next(current, now, GRADES[rating]).card);
}

export function isDue(card: StoredCard, now: Date): boolean {
  return Date.parse(card.due) <= now.getTime();
}

/** What a session needs to know about a question. */
export interface SessionItem {
  id: string;
  topic: string;
  difficulty?: 'easy' | 'medium' | 'hard';
}

export interface SessionOptions {
  now: Date;
  /** questions in the session (default 10) */
  limit?: number;
  /** only cards that are due (no new ones) */
  review?: boolean;
  /** shuffles new cards deterministically */
  seed?: number;
}

const DIFFICULTY_ORDER = { easy: 0, medium: 1, hard: 2 } as const;

/**
 * Picks the questions of a session: due cards first (most overdue first), then
 * unseen questions, easy ones first, taken round-robin across topics.
 */
export function pickSession(
  items: readonly SessionItem[],
  quiz: QuizState,
  options: SessionOptions,
): string[] {
  const limit = options.limit ?? 10;
  const now = options.now;
  const due = items
    .filter((q) => {
      const c = quiz.cards[q.id];
      return c !== undefined && isDue(c.card, now);
    })
    .sort(
      (a, b) => Date.parse(quiz.cards[a.id]?.card.due ?? '') - Date.parse(quiz.cards[b.id]?.card.due ?? ''),
    )
    .map((q) => q.id);
  if (options.review || due.length >= limit) return due.slice(0, limit);
  const random = mulberry32(options.seed ?? now.getTime());
  const byTopic = new Map<string, SessionItem[]>();
  for (const q of items) {
    if (quiz.cards[q.id]) continue;
    let list = byTopic.get(q.topic);
    if (!list) byTopic.set(q.topic, (list = []));
    list.push(q);
  }
  const queues = shuffle([...byTopic.keys()].sort(), random).map((topic) => {
    const list = shuffle(byTopic.get(topic) ?? [], random);
    // stable sort keeps the shuffled order within one difficulty
    return list.sort(
      (a, b) => DIFFICULTY_ORDER[a.difficulty ?? 'medium'] - DIFFICULTY_ORDER[b.difficulty ?? 'medium'],
    );
  });
  const fresh: string[] = [];
  for (let round = 0; fresh.length + due.length < limit; round++) {
    let took = false;
    for (const queue of queues) {
      const q = queue[round];
      if (!q) continue;
      took = true;
      fresh.push(q.id);
      if (fresh.length + due.length >= limit) break;
    }
    if (!took) break;
  }
  return [...due, ...fresh];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(list: T[], random: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = list[i] as T;
    list[i] = list[j] as T;
    list[j] = tmp;
  }
  return list;
}
