// Readiness: exams per domain over time, weak areas by topic with the lab to do next.
import { describe, expect, it } from 'vitest';
import type { LoadedExercise } from '../../src/core/content/exercise-loader.ts';
import type { QuizTopic } from '../../src/core/content/quiz-loader.ts';
import type { ExamResult } from '../../src/core/exam/grade.ts';
import { readiness } from '../../src/core/exam/readiness.ts';
import type { QuizCard } from '../../src/core/progress/state.ts';

const lab = (id: string, topic: string) =>
  ({ id, title: `Lab ${id}`, topic, domain: 'Traffic Management' }) as unknown as LoadedExercise;
const labs = [
  lab('abort-503', '03-fault-injection'),
  lab('delay-3s', '03-fault-injection'),
  lab('mirroring', '04-resilience'),
  lab('retries', '04-resilience'),
  lab('egress-serviceentry', '06-egress'),
];
const topic = (name: string, ids: string[]) =>
  ({
    topic: name,
    title: `Topic ${name}`,
    file: `${name}.yaml`,
    questions: ids.map((id) => ({ id, domain: 'Traffic Management' })),
  }) as unknown as QuizTopic;
const topics = [topic('fault-injection', ['f1', 'f2']), topic('mirroring', ['m1']), topic('egress', ['e1'])];
const card = (seen: number, correct: number) => ({ seen, correct }) as unknown as QuizCard;

const exam = (at: string, outcomes: { kind: 'lab' | 'question'; id: string; score: number }[]): ExamResult =>
  ({
    id: `exam-${at}`,
    submittedAt: at,
    score: {
      percent: 40,
      passed: false,
      domains: [
        { domain: 'Traffic Management', percent: 40, tasks: 2, weight: 35 },
        { domain: 'Securing Workloads', tasks: 0, weight: 25 },
      ],
    },
    outcomes: outcomes.map((o, index) => ({ ...o, index, detail: '', flagged: false, skipped: false })),
  }) as unknown as ExamResult;

describe('readiness', () => {
  it('lists the last exams with the domains each one scored, oldest first', () => {
    const r = readiness({
      exams: [exam('2026-01-01T10:00:00Z', []), exam('2026-01-02T10:00:00Z', [])],
      labs,
      topics,
      labProgress: {},
      cards: {},
    });
    expect(r.trend.map((t) => t.submittedAt)).toEqual(['2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z']);
    expect(r.trend[0]?.domains).toEqual({ 'Traffic Management': 40 });
  });

  it('finds weak areas by topic from quiz answers, labs and exam tasks, each with the lab to do next', () => {
    const r = readiness({
      exams: [
        exam('2026-01-01T10:00:00Z', [
          { kind: 'lab', id: 'delay-3s', score: 0 },
          { kind: 'lab', id: 'egress-serviceentry', score: 1 },
        ]),
      ],
      labs,
      topics,
      labProgress: {
        'abort-503': { status: 'passed' } as never,
        'egress-serviceentry': { status: 'passed' } as never,
      },
      // faults: 1 of 4 answers right; mirroring never answered; egress all right
      cards: { f1: card(2, 1), f2: card(2, 0), e1: card(3, 3) },
    });
    const faults = r.areas.find((a) => a.area === 'fault-injection');
    expect(faults?.quiz).toEqual({ answers: 4, correct: 1 });
    expect(faults?.strength).toBeLessThan(0.7);
    // the lab missed in the exam comes first
    expect(faults?.next).toMatchObject({ id: 'delay-3s', why: 'missed in a recent exam' });
    // the mirroring lab is its own area (a quiz topic is named after it), apart from the other resilience labs
    const mirroring = r.areas.find((a) => a.area === 'mirroring');
    expect(mirroring?.labs.total).toBe(1);
    expect(mirroring?.strength).toBeNull();
    expect(mirroring?.next).toMatchObject({ id: 'mirroring', why: 'not started' });
    expect(r.areas.find((a) => a.area === 'egress')?.strength).toBe(1);
    // weakest first, untried after, solid last
    expect(r.areas[0]?.area).toBe('fault-injection');
    expect(r.areas.at(-1)?.area).toBe('egress');
    expect(r.nextLabs.map((n) => n.id)).toEqual(['delay-3s', 'mirroring', 'retries']);
  });
});
