// "1 task", "1 minute": counts read as words, in the screens and the CLI.
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/core/plural.ts';
import { whenText } from '../../src/ui/services/quiz.ts';

describe('counts in words', () => {
  it('uses the singular for one and the plural otherwise', () => {
    expect(plural(1, 'task')).toBe('1 task');
    expect(plural(2, 'task')).toBe('2 tasks');
    expect(plural(0, 'minute')).toBe('0 minutes');
    expect(plural(1, 'criterion')).toBe('1 criterion');
    expect(plural(4, 'criterion')).toBe('4 criteria');
  });

  it('says when the next review is due without "1 hours" or "1 days"', () => {
    expect(whenText(60_000)).toBe('in 1 minute');
    expect(whenText(2 * 60_000)).toBe('in 2 minutes');
    expect(whenText(95 * 60_000)).toBe('in 2 hours');
    expect(whenText(36 * 3600_000)).toBe('in 2 days');
    expect(whenText(40 * 3600_000)).toBe('in 2 days');
  });
});
