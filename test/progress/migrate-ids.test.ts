import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadQuizBank } from '../../src/core/content/quiz-loader.ts';
import { migrateQuestionIds } from '../../src/core/progress/migrate-ids.ts';
import { OLD_QUESTION_IDS } from '../../src/core/progress/old-question-ids.ts';
import { loadState, STATE_FILE, updateState } from '../../src/core/progress/store.ts';

const NOW = new Date('2026-01-02T03:04:05.000Z');
let home: string;
const opts = () => ({ home, now: () => NOW });

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ica-ids-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const card = (due: string, seen: number, correct: number, at: string, lastCorrect = true) => ({
  card: {
    due,
    stability: 3,
    difficulty: 5,
    elapsed_days: 0,
    scheduled_days: 3,
    learning_steps: 0,
    reps: seen,
    lapses: 0,
    state: 2,
    last_review: at,
  },
  seen,
  correct,
  lastAnsweredAt: at,
  lastCorrect,
});

describe('old question ids', () => {
  it('every old id maps to a question that exists, and no two old ids to the same one', async () => {
    const bank = await loadQuizBank();
    const ids = new Set(bank.questions.map((q) => q.id));
    const targets = Object.values(OLD_QUESTION_IDS);
    for (const [from, to] of Object.entries(OLD_QUESTION_IDS)) {
      expect(ids.has(to), `${from} -> ${to}`).toBe(true);
      expect(ids.has(from), `${from} is still a question id`).toBe(false);
    }
    expect(new Set(targets).size).toBe(targets.length);
  });

  it('progress saved under old ids is read under the new ids, and saved that way', async () => {
    await writeFile(
      join(home, STATE_FILE),
      JSON.stringify({
        version: 1,
        quiz: {
          cards: {
            'cr-vs-creates-no-service': card('2026-01-05T00:00:00.000Z', 2, 1, '2026-01-01T00:00:00.000Z'),
          },
          history: [
            { id: 'cr-vs-creates-no-service', at: '2026-01-01T00:00:00.000Z', correct: true, rating: 'Good' },
            { id: 'some-future-id', at: '2026-01-01T00:00:01.000Z', correct: false, rating: 'Again' },
          ],
        },
        exams: {
          history: [
            {
              id: 'e1',
              seed: 1,
              startedAt: '2026-01-01T00:00:00.000Z',
              submittedAt: '2026-01-01T01:00:00.000Z',
              minutesUsed: 60,
              score: { percent: 50, passPercent: 68, passed: false, domains: [] },
              outcomes: [
                { index: 0, score: 1, detail: 'ok', kind: 'question', id: 'db-flag-nr' },
                { index: 1, score: 0, detail: 'no', kind: 'lab', id: 'db-flag-nr' },
              ],
            },
          ],
        },
      }),
    );
    const { state } = await loadState(opts());
    expect(Object.keys(state.quiz.cards)).toEqual(['core-resources-02']);
    expect(state.quiz.cards['core-resources-02']?.seen).toBe(2);
    expect(state.quiz.history.map((h) => h.id)).toEqual(['core-resources-02', 'some-future-id']);
    const outcomes = (state as unknown as { exams: { history: { outcomes: { id: string }[] }[] } }).exams
      .history[0]?.outcomes;
    // a question renamed; a lab that happens to share the text is not a question
    expect(outcomes?.map((o) => o.id)).toEqual(['debugging-04', 'db-flag-nr']);

    await updateState(() => undefined, opts());
    const saved = JSON.parse(await readFile(join(home, STATE_FILE), 'utf8'));
    expect(Object.keys(saved.quiz.cards)).toEqual(['core-resources-02']);
  });

  it('a question recorded under both ids keeps all answers and the later memory state', () => {
    const state = {
      quiz: {
        cards: {
          'debugging-04': card('2026-02-01T00:00:00.000Z', 1, 1, '2026-01-10T00:00:00.000Z'),
          'db-flag-nr': card('2026-01-03T00:00:00.000Z', 3, 1, '2026-01-01T00:00:00.000Z', false),
        },
        history: [],
      },
    };
    expect(migrateQuestionIds(state)).toBe(1);
    expect(state.quiz.cards).toEqual({
      'debugging-04': {
        ...card('2026-02-01T00:00:00.000Z', 1, 1, '2026-01-10T00:00:00.000Z'),
        seen: 4,
        correct: 2,
      },
    });
    // running it again changes nothing
    expect(migrateQuestionIds(state)).toBe(0);
  });
});
