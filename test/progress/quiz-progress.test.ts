import { describe, expect, it } from 'vitest';
import { quizProgress, recordAnswer, rerateLastAnswer } from '../../src/core/progress/quiz-progress.ts';
import { emptyState, MAX_HISTORY } from '../../src/core/progress/state.ts';

const T0 = new Date('2025-03-01T08:00:00Z');

describe('recordAnswer and quizProgress', () => {
  const questions = [
    { id: 'q1', domain: 'Traffic Management' },
    { id: 'q2', domain: 'Traffic Management' },
    { id: 'q3', domain: 'Troubleshooting' },
  ];
  const domains = ['Traffic Management', 'Securing Workloads', 'Troubleshooting'];

  it('counts questions seen, accuracy and reviews due per domain', () => {
    const state = emptyState(T0);
    recordAnswer(state, { id: 'q1', correct: false, rating: 'Again', at: T0 });
    recordAnswer(state, { id: 'q1', correct: true, rating: 'Good', at: new Date(T0.getTime() + 120_000) });
    recordAnswer(state, { id: 'q3', correct: true, rating: 'Easy', at: T0, ms: 3000, via: 'cli' });
    const p = quizProgress(state, questions, domains, new Date(T0.getTime() + 60 * 60_000));
    const tm = p.domains.find((d) => d.domain === 'Traffic Management');
    expect(tm).toMatchObject({ questions: 2, seen: 1, answers: 2, correct: 1, accuracy: 0.5, due: 1 });
    expect(p.domains.find((d) => d.domain === 'Troubleshooting')).toMatchObject({
      questions: 1,
      seen: 1,
      accuracy: 1,
      due: 0,
    });
    expect(p.domains.find((d) => d.domain === 'Securing Workloads')).toMatchObject({
      questions: 0,
      accuracy: null,
    });
    expect(p.total).toMatchObject({ questions: 3, seen: 2, answers: 3, correct: 2, due: 1 });
    expect(state.quiz.history.map((h) => h.rating)).toEqual(['Again', 'Good', 'Easy']);
    expect(state.quiz.history[2]).toMatchObject({ ms: 3000, via: 'cli' });
  });

  it('keeps the history bounded while the per-question totals stay exact', () => {
    const state = emptyState(T0);
    for (let i = 0; i < MAX_HISTORY + 10; i++)
      recordAnswer(state, { id: 'q2', correct: true, rating: 'Good', at: new Date(T0.getTime() + i * 1000) });
    expect(state.quiz.history).toHaveLength(MAX_HISTORY);
    expect(state.quiz.cards.q2?.seen).toBe(MAX_HISTORY + 10);
  });
});

describe('rerateLastAnswer', () => {
  it('re-schedules the last answer as the learner rates it, as if it had been rated so from the start', () => {
    const T = new Date('2025-03-01T10:00:00Z');
    const direct = emptyState(T);
    recordAnswer(direct, { id: 'q1', correct: true, rating: 'Hard', at: T });
    const rerated = emptyState(T);
    recordAnswer(rerated, { id: 'q1', correct: true, rating: 'Good', at: T });
    expect(rerateLastAnswer(rerated, { id: 'q1', rating: 'Hard', at: T })).toBe(true);
    expect(rerated.quiz.cards.q1).toEqual(direct.quiz.cards.q1);
    expect(rerated.quiz.history.map((h) => h.rating)).toEqual(['Hard']);
    // a later answer is not re-rated by a stale request
    const later = new Date('2025-03-02T10:00:00Z');
    recordAnswer(rerated, { id: 'q1', correct: true, rating: 'Good', at: later });
    expect(rerateLastAnswer(rerated, { id: 'q1', rating: 'Easy', at: T })).toBe(false);
    expect(rerated.quiz.history.map((h) => h.rating)).toEqual(['Hard', 'Good']);
  });
});
