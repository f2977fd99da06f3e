import { describe, expect, it } from 'vitest';
import type { ExamResult } from '../../src/core/exam/grade.ts';
import { applyLabEvent, labProgressSchema } from '../../src/core/progress/labs.ts';
import { emptyState } from '../../src/core/progress/state.ts';
import { progressSummary, streak } from '../../src/core/progress/summary.ts';

describe('progress summary', () => {
  it('counts a streak of consecutive active days ending today or yesterday', () => {
    const now = new Date(2026, 10, 26, 12);
    const day = (d: number) => new Date(2026, 10, d, 9).toISOString();
    expect(streak([day(26), day(25), day(24), day(22)], now)).toBe(3);
    expect(streak([day(25), day(24)], now)).toBe(2);
    expect(streak([day(23)], now)).toBe(0);
    expect(streak([], now)).toBe(0);
  });

  it('refuses to touch a progress section it cannot read', () => {
    const state = emptyState();
    (state as unknown as { labs: unknown }).labs = { a: { status: 'bogus' } };
    expect(() => progressSummary(state, [], [], new Date())).toThrow(/"labs" section .* left untouched/);
    const other = emptyState();
    (other as unknown as { exams: unknown }).exams = { history: [{ id: 'half an exam' }] };
    expect(() => progressSummary(other, [], [], new Date())).toThrow(/"exams" section .* left untouched/);
  });

  it('puts labs passed and exams beside the quiz, per domain', () => {
    const now = new Date(2026, 10, 26, 12);
    const state = emptyState(now);
    const base = labProgressSchema.parse({});
    (state as unknown as { labs: unknown }).labs = {
      a: applyLabEvent(base, 'pass', now),
      b: applyLabEvent(base, 'fail', now),
      c: applyLabEvent(base, 'reveal', now),
    };
    const exam = {
      id: 'e',
      seed: 1,
      startedAt: now.toISOString(),
      submittedAt: now.toISOString(),
      minutesUsed: 50,
      score: { percent: 72, passed: true, passPercent: 68, domains: [] },
      outcomes: [],
    };
    (state as unknown as { exams: unknown }).exams = { history: [exam as unknown as ExamResult] };
    const labs = [
      { id: 'a', domain: 'Traffic Management' },
      { id: 'b', domain: 'Traffic Management' },
      { id: 'c', domain: 'Troubleshooting' },
    ] as const;
    const s = progressSummary(state, [{ id: 'q1', domain: 'Traffic Management' }], labs, now);
    expect(s.labs).toEqual({ total: 3, passed: 1, attempted: 1, revealed: 1 });
    expect(s.domains.find((d) => d.domain === 'Traffic Management')?.labs).toEqual({ total: 2, passed: 1 });
    expect(s.domains.find((d) => d.domain === 'Troubleshooting')?.labs).toEqual({ total: 1, passed: 0 });
    expect(s.exams).toMatchObject({ taken: 1, best: 72 });
    expect(s.streakDays).toBe(1);
  });
});
