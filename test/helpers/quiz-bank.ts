// The quiz bank as the errata tests read it: questions found by what they ask, not by id.
import { expect } from 'vitest';
import { loadQuizBank } from '../../src/core/content/quiz-loader.ts';

export const bank = await loadQuizBank();

/** A question's whole text (prompt, options, explanations) as one string to match. */
export const text = (q: unknown) => JSON.stringify(q);

/** The questions whose text matches; at least one must. */
export function find(pattern: RegExp) {
  const found = bank.questions.filter((q) => pattern.test(text(q)));
  expect(found.length, String(pattern)).toBeGreaterThan(0);
  return found;
}
