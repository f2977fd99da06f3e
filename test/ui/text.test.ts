// Wrapping, truncating and the README renderer.
import { describe, expect, it } from 'vitest';
import { activityDays, dayKey, streakDays } from '../../src/ui/services/summary.ts';
import { cells, clipLine, lineText, span, truncate, wrapLine, wrapText } from '../../src/ui/text/lines.ts';
import { inline, renderMarkdown } from '../../src/ui/text/markdown.ts';

describe('wrapping', () => {
  it('wraps words to the width, breaks long words, keeps styles and hanging indents', () => {
    const rows = wrapLine([span('one two '), span('three', 'good'), span(' four')], 9);
    expect(rows.map(lineText)).toEqual(['one two', 'three', 'four']);
    expect(rows[1]?.[0]?.tone).toBe('good');
    expect(wrapLine([span('abcdefghijkl')], 5).map(lineText)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapLine([span('- aa bb cc dd')], 7, { hang: 2 }).map(lineText)).toEqual(['- aa bb', '  cc dd']);
    expect(wrapText('a\n\nb', 10).map(lineText)).toEqual(['a', '', 'b']);
    for (const r of wrapLine([span('word '.repeat(40))], 13))
      expect(cells(lineText(r))).toBeLessThanOrEqual(13);
  });

  it('truncates with an ellipsis and counts wide characters', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(cells('日本')).toBe(4);
    expect(lineText(clipLine([span('abc'), span('def')], 4))).toBe('abc…');
    expect(lineText(clipLine([span('ab'), span('cd')], 4))).toBe('abcd');
  });
});

describe('renderMarkdown', () => {
  it('renders headings, lists, code blocks, quotes and inline markup for the terminal', () => {
    const md = [
      '# Title',
      '',
      'Some `code` and **bold** and a [link](https://istio.io).',
      '',
      '- first item that is long enough to wrap around',
      '- second',
      '',
      '1. numbered',
      '',
      '```yaml',
      'kind: VirtualService',
      '```',
      '',
      '> a quote',
    ].join('\n');
    const rows = renderMarkdown(md, 30);
    const text = rows.map(lineText);
    expect(text[0]).toBe('Title');
    expect(text[1]).toMatch(/^─+$/);
    expect(text).toContain('• first item that is long');
    expect(text).toContain('  enough to wrap around');
    expect(text).toContain('1. numbered');
    expect(text).toContain('  kind: VirtualService');
    expect(text).toContain('│ a quote');
    expect(rows[0]?.[0]).toMatchObject({ tone: 'title', bold: true });
    for (const t of text) expect(cells(t)).toBeLessThanOrEqual(30);
    const code = inline('use `hosts` here');
    expect(code.map((s) => s.tone)).toEqual([undefined, 'code', undefined]);
    expect(lineText(inline('[Istio](https://istio.io)'))).toBe('Istio (https://istio.io)');
  });
});

describe('streak', () => {
  const now = new Date(2025, 7, 12, 15, 0);
  const day = (offset: number) => dayKey(new Date(2025, 7, 12 + offset, 9, 0));

  it('counts consecutive days up to today, or up to yesterday before today has activity', () => {
    expect(streakDays(new Set([day(0), day(-1), day(-2), day(-4)]), now)).toBe(3);
    expect(streakDays(new Set([day(-1), day(-2)]), now)).toBe(2);
    expect(streakDays(new Set([day(-2)]), now)).toBe(0);
    expect(streakDays(new Set(), now)).toBe(0);
  });

  it('collects days from answers, labs and exams', () => {
    const at = (offset: number) => new Date(2025, 7, 12 + offset, 10).toISOString();
    const days = activityDays(
      {
        version: 1,
        quiz: {
          cards: {},
          history: [{ id: 'x', at: at(0), correct: true, rating: 'Good' }],
        },
      },
      {
        lab: {
          status: 'passed',
          attempts: 1,
          hintsUsed: 0,
          revealed: false,
          timeSpentMs: 0,
          startedAt: at(-1),
          passedAt: at(-1),
          lastActivityAt: at(-1),
        },
      },
      [{ submittedAt: at(-2) }],
    );
    expect(streakDays(days, now)).toBe(3);
  });
});
