// What the quiz screen shows, as rows for a width: the question with its
// options, the feedback after an answer (verdict, FSRS rating, explanation, why
// each option is right or wrong), and the session summary.
import type { Grade } from '../../core/content/quiz-grade.ts';
import { type Question, sectionLabel } from '../../core/content/quiz-schema.ts';
import { RATING_NAMES } from '../../core/progress/state.ts';
import { whenText } from '../services/quiz.ts';
import type { AnswerResult, QuizState, QuizTotals } from '../state/quiz.ts';
import { type Line, span, wrapLine, wrapText } from '../text/lines.ts';
import { inline } from '../text/markdown.ts';

/** Paragraphs with `code` and **bold** marked up, wrapped. */
export function prose(text: string, width: number): Line[] {
  return text
    .trim()
    .split(/\n\s*\n/)
    .flatMap((p, i) => [...(i ? [[]] : []), ...wrapLine(inline(p.replace(/\s+/g, ' ')), width)]);
}

const LETTERS = 'abcdefgh';

export function optionTexts(q: Question): string[] {
  if (q.type === 'single' || q.type === 'multiple') return q.options.map((o) => o.text);
  if (q.type === 'truefalse') return ['True', 'False'];
  return [];
}

export function questionKind(q: Question): { type: Question['type']; options: number } {
  return { type: q.type, options: optionTexts(q).length };
}

/** The question and its options; `cursorRow` is the row of the option under the cursor. */
export function questionLines(
  q: Question,
  s: Pick<QuizState, 'cursor' | 'ticked' | 'syntax'>,
  width: number,
  editor: string,
): { lines: Line[]; cursorRow: number } {
  const lines: Line[] = [
    ...wrapLine([span(`${q.domain} · ${q.difficulty} · ${sectionLabel(q.section)}`, 'muted')], width),
    [],
    ...prose(q.prompt, width),
    [],
  ];
  let cursorRow = 0;
  const options = optionTexts(q);
  options.forEach((text, i) => {
    const here = i === s.cursor;
    if (here) cursorRow = lines.length;
    const mark = q.type === 'multiple' ? (s.ticked.includes(i) ? '[x]' : '[ ]') : here ? '(•)' : '( )';
    const label = q.type === 'truefalse' ? '' : `${LETTERS[i]}) `;
    const head = `${here ? '›' : ' '} ${i + 1} ${mark} ${label}`;
    lines.push(
      ...wrapLine(
        [span(head, here ? 'accent' : undefined, { bold: here }), ...inline(text, { bold: here })],
        width,
        {
          hang: head.length,
        },
      ),
    );
  });
  if (q.type === 'multiple')
    lines.push([], [span('Choose all that apply: Space or a number ticks an option.', 'muted')]);
  if (q.type === 'yaml') {
    if (q.setup) {
      lines.push([span('Already in the cluster (besides Bookinfo):', 'muted')]);
      for (const l of q.setup.trimEnd().split('\n')) lines.push([span(`    ${l}`, 'code')]);
      lines.push([]);
    }
    if (q.hint)
      lines.push(
        ...wrapLine([span('Hint: ', 'muted', { bold: true }), ...inline(q.hint, { tone: 'muted' })], width),
        [],
      );
    if (s.syntax?.length) {
      // a typo is not a wrong answer: nothing was graded or rated
      lines.push(
        ...wrapLine([span('✗ Your YAML does not parse; nothing was graded.', 'bad', { bold: true })], width),
      );
      for (const e of s.syntax) lines.push(...wrapLine([span(`  ${e}`, 'warn')], width, { hang: 4 }));
      lines.push(
        ...wrapLine(
          [span('Press '), span('e', undefined, { bold: true }), span(' to fix it in the editor.')],
          width,
        ),
        [],
      );
    }
    lines.push(
      ...wrapLine(
        [
          span('Press '),
          span('e', undefined, { bold: true }),
          span(` to write your answer in ${editor}; it is graded when you save and quit the editor.`),
        ],
        width,
      ),
    );
  }
  return { lines, cursorRow };
}

function verdict(g: Grade): Line[] {
  if (g.kind === 'choice') {
    if (g.correct) return [[span('✓ Right.', 'good', { bold: true })]];
    return [
      [
        span('✗ Wrong. ', 'bad', { bold: true }),
        span(`The answer is ${g.keyed.join(', ')}; you chose ${g.chosen.join(', ')}.`),
      ],
    ];
  }
  if (g.kind === 'boolean') {
    if (g.correct) return [[span('✓ Right.', 'good', { bold: true })]];
    return [
      [span('✗ Wrong. ', 'bad', { bold: true }), span(`The statement is ${g.keyed ? 'true' : 'false'}.`)],
    ];
  }
  return g.correct
    ? [[span('✓ Right. ', 'good', { bold: true }), span('Your YAML passes every check.')]]
    : [[span('✗ Not yet. ', 'bad', { bold: true }), span('Your YAML misses something:')]];
}

function ratingLine(r: AnswerResult, now: Date): Line {
  const due = r.due ? ` · next review ${whenText(Date.parse(r.due) - now.getTime())}` : '';
  if (r.unsaved) return [span(`FSRS rating ${r.rating} · not saved: ${r.unsaved}`, 'warn')];
  if (!r.correct)
    return [span('FSRS rating ', 'muted'), span(r.rating, 'bad', { bold: true }), span(`${due}`, 'muted')];
  // a right answer: the learner says how hard it was (FSRS needs it), Good until they do
  const choices = RATING_NAMES.flatMap((name, i) => [
    span(i === 0 ? '' : '  '),
    span(`${i + 1} `, 'muted'),
    name === r.rating ? span(`[${name}]`, 'good', { bold: true }) : span(name),
  ]);
  return [span('How hard was it? ', 'muted'), ...choices, span(`${due}`, 'muted')];
}

/** Everything shown after an answer. */
export function feedbackLines(q: Question, r: AnswerResult, width: number, now: Date): Line[] {
  const g = r.grade;
  const lines: Line[] = [
    ...verdict(g).flatMap((l) => wrapLine(l, width)),
    ...wrapLine(ratingLine(r, now), width),
    [],
  ];
  if (g.kind === 'yaml') {
    for (const c of g.checks) {
      lines.push(
        ...wrapLine([span(c.ok ? '  ✓ ' : '  ✗ ', c.ok ? 'good' : 'bad'), span(c.label)], width, { hang: 4 }),
      );
      if (!c.ok && c.detail)
        lines.push(...wrapText(c.detail, width - 6, 'muted').map((l) => [span('      '), ...l]));
    }
    for (const f of g.errors) {
      const where = f.file ? ` ${f.file}${f.line ? `:${f.line}` : ''}` : '';
      lines.push(
        ...wrapLine([span('  ✗ ', 'bad'), span(f.code, 'warn'), span(`${where} ${f.message}`)], width, {
          hang: 4,
        }),
      );
    }
    for (const f of g.notes.filter((n) => n.level === 'Warning'))
      lines.push(
        ...wrapLine([span('  ! ', 'warn'), span(f.code, 'warn'), span(` ${f.message}`)], width, { hang: 4 }),
      );
    lines.push([]);
  }
  lines.push(...prose(q.explanation, width), []);
  if (q.type === 'single' || q.type === 'multiple') {
    const keyed = new Set(q.type === 'single' ? [q.answer] : q.answers);
    const chosen = new Set(g.kind === 'choice' ? g.chosen : []);
    q.options.forEach((o, i) => {
      const l = LETTERS[i] ?? '?';
      const right = keyed.has(l);
      lines.push(
        ...wrapLine(
          [
            span(right ? '  ✓ ' : '  ✗ ', right ? 'good' : 'bad'),
            span(`${l}) `),
            ...inline(o.text),
            ...(chosen.has(l) ? [span('  (your choice)', undefined, { bold: true })] : []),
          ],
          width,
          { hang: 7 },
        ),
        ...wrapLine(inline(o.why.trim(), { tone: 'muted' }), width - 7).map((row) => [
          span('       '),
          ...row,
        ]),
      );
    });
  } else if (q.type === 'truefalse') {
    lines.push(
      ...wrapLine(
        [
          span(`Why not ${q.answer ? 'false' : 'true'}: `, 'muted'),
          ...inline(q.whyNot.trim(), { tone: 'muted' }),
        ],
        width,
      ),
    );
  } else if (!g.correct) {
    lines.push([span('A reference answer:', 'muted')]);
    for (const l of q.reference.trimEnd().split('\n')) lines.push([span(`    ${l}`, 'code')]);
  }
  if (q.docs) lines.push([], ...wrapLine([span(`Read more: ${q.docs}`, 'muted')], width));
  lines.push([], ...wrapLine([span(sectionLabel(q.section, true), 'muted')], width));
  return lines;
}

/** The end of a session. */
export function summaryLines(
  totals: QuizTotals,
  results: readonly AnswerResult[],
  byId: ReadonlyMap<string, Question>,
  width: number,
): Line[] {
  if (totals.answered === 0) return [[span('No questions answered in this session.', 'muted')]];
  const pct = Math.round((100 * totals.correct) / totals.answered);
  const lines: Line[] = [
    [
      span('Session done: ', undefined, { bold: true }),
      span(`${totals.correct} of ${totals.answered} right (${pct}%)`, pct >= 68 ? 'good' : 'warn', {
        bold: true,
      }),
      span(` in ${Math.max(1, Math.round(totals.ms / 60_000))} min`),
    ],
    [
      span('FSRS ratings: ', 'muted'),
      span(
        (['Again', 'Hard', 'Good', 'Easy'] as const)
          .filter((r) => totals.ratings[r] > 0)
          .map((r) => `${r} ${totals.ratings[r]}`)
          .join(' · '),
      ),
    ],
    [],
  ];
  for (const r of results) {
    const q = byId.get(r.id);
    lines.push(
      ...wrapLine(
        [span(r.correct ? '  ✓ ' : '  ✗ ', r.correct ? 'good' : 'bad'), span(q ? oneLine(q.prompt) : r.id)],
        width,
        { hang: 4 },
      ),
    );
  }
  lines.push(
    [],
    ...wrapText(
      'Every answer is saved. Wrong ones come back soon in Review; right ones later, spaced out by FSRS.',
      width,
      'muted',
    ),
  );
  return lines;
}

function oneLine(text: string): string {
  const t = text.replace(/`/g, '').replace(/\s+/g, ' ').trim();
  return t.length > 100 ? `${t.slice(0, 99)}…` : t;
}
