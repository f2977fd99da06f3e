// The exam screen's content as rows: the task list, one task (a lab's README
// and folder, or a question with its options), and the result by domain.
import type { ExamContent, ExamResult, GradedTask } from '../../core/exam/grade.ts';
import { type ExamPlan, roundPoints, taskPoints } from '../../core/exam/plan.ts';
import type { TaskState } from '../../core/exam/session.ts';
import type { ActiveExam } from '../../core/progress/exams.ts';
import { barText } from '../components/bar.ts';
import { type Line, span, truncate, wrapLine, wrapText } from '../text/lines.ts';
import { renderMarkdown } from '../text/markdown.ts';
import { outcomeMark, taskGradeLines } from './exam-review.ts';
import { optionTexts, prose } from './quiz-view.ts';

const LETTERS = 'abcdefgh';

export function taskStatus(
  kind: 'lab' | 'question',
  t: TaskState | undefined,
): { text: string; tone: 'good' | 'warn' | 'muted' } {
  if (t?.status === 'answered')
    return { text: kind === 'lab' ? 'done' : `answered ${t.answer ?? ''}`.trim(), tone: 'good' };
  if (t?.status === 'skipped') return { text: 'skipped', tone: 'warn' };
  return { text: 'open', tone: 'muted' };
}

export function taskListLines(exam: ActiveExam, width: number): { lines: Line[]; rowOf: number[] } {
  const lines: Line[] = [];
  const rowOf: number[] = [];
  for (const t of exam.plan.tasks) {
    const st = exam.tasks[t.index];
    const here = t.index === exam.current;
    const status = taskStatus(t.kind, st);
    const head = `${here ? '›' : ' '} ${String(t.index + 1).padStart(2)} ${st?.flagged ? '⚑' : ' '} ${t.kind === 'lab' ? 'lab ' : 'quiz'} `;
    const tail = ` ${status.text.padEnd(12)}`;
    rowOf.push(lines.length);
    lines.push([
      span(head, here ? 'accent' : st?.flagged ? 'warn' : undefined, { bold: here }),
      span(
        truncate(t.title, Math.max(10, width - head.length - tail.length)).padEnd(
          Math.max(10, width - head.length - tail.length),
        ),
        undefined,
        {
          bold: here,
        },
      ),
      span(tail, status.tone),
    ]);
  }
  return { lines, rowOf };
}

export function examTaskLines(
  exam: ActiveExam,
  content: ExamContent | undefined,
  selection: { cursor: number; ticked: number[] },
  folder: string,
  width: number,
  grade?: { outcome: GradedTask; at: string },
): { lines: Line[]; cursorRow: number; options: number; kind: 'lab' | 'single' | 'multiple' | 'truefalse' } {
  const t = exam.plan.tasks[exam.current];
  const st = exam.tasks[exam.current];
  if (!t) return { lines: [], cursorRow: 0, options: 0, kind: 'lab' };
  const points = roundPoints(taskPoints(exam.plan, t));
  const head: Line[] = [
    [
      span(`Task ${t.index + 1} of ${exam.plan.tasks.length}`, undefined, { bold: true }),
      span(
        ` · ${t.domain} · ${t.kind === 'lab' ? 'lab' : 'question'} · ${points} point${points === 1 ? '' : 's'}`,
        'muted',
      ),
      ...(st?.flagged ? [span(' · ⚑ flagged', 'warn')] : []),
      span(` · ${taskStatus(t.kind, st).text}`, taskStatus(t.kind, st).tone),
    ],
    [],
  ];
  if (t.kind === 'lab') {
    const lab = content?.labs.get(t.id);
    const lines = [
      ...head.slice(0, 1),
      ...wrapLine([span('Your folder: ', 'muted'), span(folder, undefined, { bold: true })], width),
      ...wrapLine(
        [
          span('Grade it: ', 'muted'),
          span('r', undefined, { bold: true }),
          span(', or from a shell ', 'muted'),
          span(`ica-trainer exam check ${t.index + 1}`, undefined, { bold: true }),
          span(' (in its folder: ', 'muted'),
          span(`ica-trainer lab check ${t.id}`, undefined, { bold: true }),
          span(')', 'muted'),
        ],
        width,
        { hang: 2 },
      ),
      ...(grade && grade.outcome.index === t.index
        ? taskGradeLines(grade.outcome, points, grade.at, width)
        : []),
      [],
      ...(lab ? renderMarkdown(lab.readme, width) : wrapText(t.title, width)),
      [],
      ...wrapText(
        "e edits the task's file and grades it; d marks it done. Every task is graded again when you submit, scoring only what you changed. Hints and solutions of the exam's labs are locked until it ends.",
        width,
        'muted',
      ),
    ];
    return { lines, cursorRow: 0, options: 0, kind: 'lab' };
  }
  const q = content?.questions.get(t.id);
  if (!q || q.type === 'yaml')
    return { lines: [...head, ...wrapText(t.title, width)], cursorRow: 0, options: 0, kind: 'single' };
  const lines: Line[] = [...head, ...prose(q.prompt, width), []];
  let cursorRow = 0;
  const options = optionTexts(q);
  options.forEach((text, i) => {
    const here = i === selection.cursor;
    if (here) cursorRow = lines.length;
    const mark =
      q.type === 'multiple' ? (selection.ticked.includes(i) ? '[x]' : '[ ]') : here ? '(•)' : '( )';
    const label = q.type === 'truefalse' ? '' : `${LETTERS[i]}) `;
    const prefix = `${here ? '›' : ' '} ${i + 1} ${mark} ${label}`;
    lines.push(
      ...wrapLine(
        [span(prefix, here ? 'accent' : undefined, { bold: here }), span(text, undefined, { bold: here })],
        width,
        { hang: prefix.length },
      ),
    );
  });
  lines.push(
    [],
    ...wrapText(
      q.type === 'multiple'
        ? 'Tick all that apply (Space or a number), then Enter saves your answer.'
        : 'Enter saves your answer; it is graded when you submit the exam.',
      width,
      'muted',
    ),
  );
  return { lines, cursorRow, options: options.length, kind: q.type };
}

/** A task's title from the content (a reopened result has no plan at hand). */
export function outcomeTitle(
  content: ExamContent | undefined,
  o: { kind: 'lab' | 'question'; id: string },
): string {
  const title =
    o.kind === 'lab'
      ? content?.labs.get(o.id)?.title
      : content?.questions.get(o.id)?.prompt.trim().split('\n')[0];
  return title ?? o.id;
}

export function resultLines(
  result: ExamResult,
  plan: ExamPlan | undefined,
  width: number,
  cursor: number,
  /** a task's title when the plan is not at hand (the last exam, reopened) */
  titleOf: (o: GradedTask) => string = (o) => o.id,
): { lines: Line[]; rowOf: number[] } {
  const s = result.score;
  const lines: Line[] = [
    [
      span(`${s.percent}%`, s.passed ? 'good' : 'bad', { bold: true }),
      span(` (pass line ${s.passPercent}%) `),
      span(s.passed ? 'PASSED' : 'NOT PASSED', s.passed ? 'good' : 'bad', { bold: true }),
      span(s.points !== undefined ? `  ${s.earned} of ${s.points} points` : '', 'muted'),
    ],
    [
      span(
        plan
          ? `${result.minutesUsed} of ${plan.minutes} minutes used`
          : `submitted ${result.submittedAt.slice(0, 16).replace('T', ' ')}`,
        'muted',
      ),
    ],
    [],
    [span('By curriculum domain', 'accent', { bold: true })],
  ];
  // whole domain names where the width allows, then a bar in what is left
  const nameWidth = Math.min(41, Math.max(16, width - 39));
  const barWidth = Math.max(6, Math.min(20, width - nameWidth - 30));
  for (const d of s.domains) {
    const name = truncate(d.domain, nameWidth).padEnd(nameWidth);
    if (d.percent === undefined) {
      lines.push([span(`  ${name} `), span(`${' '.repeat(barWidth)}  not scored: no task`, 'muted')]);
      continue;
    }
    lines.push([
      span(`  ${name} `),
      span(barText(d.percent / 100, barWidth), d.percent >= s.passPercent ? 'good' : 'bad'),
      span(` ${String(d.percent).padStart(5)}%`),
      span(
        d.points !== undefined
          ? ` ${d.earned}/${d.points} pts`
          : ` ${d.tasks} task${d.tasks === 1 ? '' : 's'}`,
        'muted',
      ),
    ]);
  }
  lines.push(
    [],
    [
      span('Tasks', 'accent', { bold: true }),
      span('  Enter reviews one: what was checked, the reference answer', 'muted'),
    ],
  );
  const rowOf: number[] = [];
  result.outcomes.forEach((o, i) => {
    const title = plan?.tasks[o.index]?.title ?? titleOf(o);
    const m = outcomeMark(o);
    const here = i === cursor;
    rowOf.push(lines.length);
    lines.push(
      ...wrapLine(
        [
          span(here ? '› ' : '  ', 'accent', { bold: here }),
          span(`${m.mark} `, m.tone),
          span(`${String(o.index + 1).padStart(2)}. ${title}${o.flagged ? ' ⚑' : ''}`, undefined, {
            bold: here,
          }),
        ],
        width,
        { hang: 8 },
      ),
      ...wrapText(o.detail, width - 8, 'muted').map((l) => [span('        '), ...l]),
    );
  });
  return { lines, rowOf };
}
