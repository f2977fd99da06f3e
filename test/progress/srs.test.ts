import { describe, expect, it } from 'vitest';
import { recordAnswer } from '../../src/core/progress/quiz-progress.ts';
import { isDue, pickSession, rateAnswer, reviewCard, type SessionItem } from '../../src/core/progress/srs.ts';
import { emptyState, type StoredCard } from '../../src/core/progress/state.ts';

const T0 = new Date('2025-01-01T10:00:00Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const dueIn = (card: StoredCard, from: Date) => Date.parse(card.due) - from.getTime();

describe('rateAnswer', () => {
  it('rates wrong answers Again, right ones as the learner says, Good when they say nothing (never Easy by itself)', () => {
    expect(rateAnswer(false)).toBe('Again');
    expect(rateAnswer(false, 'Easy')).toBe('Again');
    expect(rateAnswer(true)).toBe('Good');
    expect(rateAnswer(true, 'Hard')).toBe('Hard');
    expect(rateAnswer(true, 'Easy')).toBe('Easy');
  });
});

describe('FSRS scheduling', () => {
  it('puts a new card due sooner after Again than after Good, and latest after Easy', () => {
    const again = dueIn(reviewCard(undefined, 'Again', T0), T0);
    const good = dueIn(reviewCard(undefined, 'Good', T0), T0);
    const easy = dueIn(reviewCard(undefined, 'Easy', T0), T0);
    expect(again).toBeLessThanOrEqual(5 * MIN);
    expect(good).toBeGreaterThan(again);
    expect(good).toBeLessThan(DAY);
    expect(easy).toBeGreaterThanOrEqual(DAY);
  });

  it('moves due dates as a scripted history of ratings implies', () => {
    let now = T0;
    let card = reviewCard(undefined, 'Good', now);
    const intervals: number[] = [];
    for (let i = 0; i < 3; i++) {
      now = new Date(card.due);
      card = reviewCard(card, 'Good', now);
      intervals.push(dueIn(card, now));
    }
    // Good after Good: the card graduates to days and the interval keeps growing.
    expect(intervals[0]).toBeGreaterThanOrEqual(DAY);
    expect(intervals[1]).toBeGreaterThan(intervals[0] ?? 0);
    expect(intervals[2]).toBeGreaterThan(intervals[1] ?? 0);
    const beforeLapse = intervals[2] ?? 0;

    // Forgotten: due again within the hour, one lapse recorded.
    now = new Date(card.due);
    card = reviewCard(card, 'Again', now);
    expect(dueIn(card, now)).toBeLessThan(60 * MIN);
    expect(card.lapses).toBe(1);
    expect(card.state).toBe(3); // Relearning

    // Relearned: back to days, but a shorter interval than before the lapse.
    now = new Date(card.due);
    card = reviewCard(card, 'Good', now);
    expect(dueIn(card, now)).toBeGreaterThanOrEqual(DAY);
    expect(dueIn(card, now)).toBeLessThan(beforeLapse);
    expect(card.reps).toBe(6);
  });

  it('schedules a review card later for Easy than Good, and soonest for Again', () => {
    let card = reviewCard(undefined, 'Good', T0);
    const now = new Date(Date.parse(card.due));
    card = reviewCard(card, 'Good', now);
    const later = new Date(card.due);
    const again = dueIn(reviewCard(card, 'Again', later), later);
    const good = dueIn(reviewCard(card, 'Good', later), later);
    const easy = dueIn(reviewCard(card, 'Easy', later), later);
    expect(again).toBeLessThan(good);
    expect(good).toBeLessThan(easy);
  });

  it('is deterministic (no interval fuzz)', () => {
    expect(reviewCard(undefined, 'Easy', T0)).toEqual(reviewCard(undefined, 'Easy', T0));
  });
});

describe('pickSession', () => {
  const topics = ['routing', 'faults', 'egress', 'mirroring'];
  const items: SessionItem[] = topics.flatMap((topic) =>
    ['easy', 'medium', 'hard'].map((difficulty, i) => ({
      id: `${topic}-${i}`,
      topic,
      difficulty: difficulty as SessionItem['difficulty'],
    })),
  );

  it('gives a new learner a mixed first session, easy questions first, across every topic', () => {
    const ids = pickSession(items, emptyState(T0).quiz, { now: T0, limit: 8, seed: 7 });
    expect(ids).toHaveLength(8);
    const first = ids.slice(0, 4).map((id) => id.split('-')[0]);
    expect(new Set(first).size).toBe(4);
    expect(ids.slice(0, 4).every((id) => id.endsWith('-0'))).toBe(true);
    expect(pickSession(items, emptyState(T0).quiz, { now: T0, limit: 8, seed: 7 })).toEqual(ids);
  });

  it('serves due cards first, most overdue first, then new ones', () => {
    const state = emptyState(T0);
    recordAnswer(state, { id: 'faults-1', correct: false, rating: 'Again', at: T0 });
    recordAnswer(state, {
      id: 'egress-2',
      correct: false,
      rating: 'Again',
      at: new Date(T0.getTime() + 30_000),
    });
    recordAnswer(state, { id: 'routing-0', correct: true, rating: 'Easy', at: T0 });
    const now = new Date(T0.getTime() + 10 * MIN);
    const ids = pickSession(items, state.quiz, { now, limit: 5, seed: 1 });
    expect(ids.slice(0, 2)).toEqual(['faults-1', 'egress-2']);
    expect(ids).not.toContain('routing-0'); // seen and not due
    expect(ids).toHaveLength(5);
  });

  it('serves only due cards in review mode', () => {
    const state = emptyState(T0);
    recordAnswer(state, { id: 'faults-1', correct: false, rating: 'Again', at: T0 });
    const card = state.quiz.cards['faults-1']?.card;
    expect(card && isDue(card, T0)).toBe(false);
    expect(pickSession(items, state.quiz, { now: T0, review: true })).toEqual([]);
    const later = new Date(T0.getTime() + DAY);
    expect(pickSession(items, state.quiz, { now: later, review: true })).toEqual(['faults-1']);
  });
});
