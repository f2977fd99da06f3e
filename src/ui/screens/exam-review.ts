// After an exam: each task in full (what was checked, what failed and why, the
// reference answer), and the on-demand grade of a lab task during the exam.

import type { Question } from '../../core/content/quiz-schema.ts';
import type { GradedTask } from '../../core/exam/grade.ts';
import { type Line, span, wrapLine, wrapText } from '../text/lines.ts';
import { optionTexts, prose } from './quiz-view.ts';

const LETTERS = 'abcdefgh';

export function outcomeMark(o: Pick<GradedTask, 'score' | 'scored'>): {
  mark: string;
  tone: 'good' | 'warn' | 'bad' | 'muted';
} {
  if (o.scored === false) return { mark: '-', tone: 'muted' };
  return o.score >= 1
    ? { mark: '✓', tone: 'good' }
    : o.score > 0
      ? { mark: '~', tone: 'warn' }
      : { mark: '✗', tone: 'bad' };
}

/** A lab task's criteria as graded: ✓/✗, the reason, and which ones earn nothing. */
export function checkLines(o: GradedTask, width: number): Line[] {
  const lines: Line[] = [];
  for (const c of o.checks ?? []) {
    const note = c.atStart
      ? c.pass
        ? '  (met at the start: earns nothing)'
        : '  (met at the start, now broken)'
      : '';
    lines.push(
      ...wrapLine(
        [span(c.pass ? '  ✓ ' : '  ✗ ', c.pass ? 'good' : 'bad'), span(c.text), span(note, 'muted')],
        width,
        {
          hang: 4,
        },
      ),
      ...wrapText(c.reason, Math.max(10, width - 6), 'muted').map((l) => [span('      '), ...l]),
    );
  }
  return lines;
}

/** The on-demand grade shown under a lab task. */
export function taskGradeLines(o: GradedTask, points: number, at: string, width: number): Line[] {
  const m = outcomeMark(o);
  const earned = Math.round(o.score * points * 10) / 10;
  return [
    [span(`Graded now (${at})`, 'accent', { bold: true })],
    ...checkLines(o, width),
    ...wrapLine(
      [
        span(`  ${m.mark} `, m.tone),
        span(
          o.scored === false
            ? o.detail
            : `${earned} of ${points} point${points === 1 ? '' : 's'} so far: ${o.detail}`,
        ),
      ],
      width,
      { hang: 4 },
    ),
  ];
}

export interface Reference {
  question?: Question;
  solution?: { file: string; text: string }[];
  error?: string;
}

/** One submitted task in full. */
export function reviewLines(
  o: GradedTask,
  title: string,
  points: number,
  ref: Reference | undefined,
  width: number,
): Line[] {
  const m = outcomeMark(o);
  const lines: Line[] = [
    ...wrapLine(
      [
        span(`${m.mark} `, m.tone, { bold: true }),
        span(`Task ${o.index + 1}: ${title}`, undefined, { bold: true }),
        span(
          ` · ${Math.round(o.score * points * 10) / 10} of ${points} point${points === 1 ? '' : 's'}`,
          'muted',
        ),
      ],
      width,
      { hang: 2 },
    ),
    ...wrapText(o.detail, width, 'muted'),
    [],
  ];
  if (o.kind === 'lab') {
    lines.push([span('What was checked', 'accent', { bold: true })], ...checkLines(o, width), []);
    lines.push([span('Reference answer', 'accent', { bold: true })]);
    if (!ref) lines.push([span('reading…', 'muted')]);
    else if (ref.error) lines.push(...wrapText(ref.error, width, 'bad'));
    for (const f of ref?.solution ?? []) {
      lines.push([span(`# ${f.file}`, 'muted')]);
      for (const l of f.text.trimEnd().split('\n')) lines.push([span(l)]);
      lines.push([]);
    }
    lines.push(
      ...wrapText(
        'Other correct answers pass too: the grader checks what the configuration does.',
        width,
        'muted',
      ),
    );
    return lines;
  }
  const q = ref?.question;
  if (!q || q.type === 'yaml')
    return [...lines, ...wrapText('This question is no longer in the bank.', width, 'muted')];
  lines.push(...prose(q.prompt, width), []);
  const keyed =
    q.type === 'truefalse'
      ? [q.answer ? 0 : 1]
      : q.type === 'single'
        ? [LETTERS.indexOf(q.answer)]
        : q.answers.map((a) => LETTERS.indexOf(a));
  optionTexts(q).forEach((text, i) => {
    const right = keyed.includes(i);
    const label = q.type === 'truefalse' ? '' : `${LETTERS[i]}) `;
    lines.push(
      ...wrapLine(
        [
          span(right ? '  ✓ ' : '    ', 'good'),
          span(`${label}${text}`, right ? 'good' : undefined, { bold: right }),
        ],
        width,
        {
          hang: 4 + label.length,
        },
      ),
    );
  });
  lines.push([], [span('Why', 'accent', { bold: true })], ...prose(q.explanation, width));
  return lines;
}
