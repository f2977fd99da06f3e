// The exam commands' text: task lines, questions, the result, one task graded
// on demand, and the review of a submitted exam (what was checked, what failed
// and why, the reference answer).
import { optionLetter, type Question } from '../core/content/quiz-schema.ts';
import { type ExamResult, type GradedTask, keyedAnswer } from '../core/exam/grade.ts';
import { type ExamPlan, roundPoints, taskPoints } from '../core/exam/plan.ts';
import type { ActiveExam } from '../core/progress/exams.ts';
import { palette } from './output.ts';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function taskLine(exam: ActiveExam, index: number): string {
  const t = exam.plan.tasks[index];
  const s = exam.tasks[index];
  if (!t || !s) return '';
  const flag = s.flagged ? '⚑' : ' ';
  const status = t.kind === 'lab' ? 'lab' : s.status === 'answered' ? `answered ${s.answer ?? ''}` : s.status;
  const pts = roundPoints(taskPoints(exam.plan, t));
  return `${String(index + 1).padStart(3)}. ${flag} [${t.domain}] ${t.title}  (${status}, ${plural(pts, 'point')})`;
}

export function questionText(q: Question): string {
  const lines = [q.prompt.trim()];
  if (q.type === 'single' || q.type === 'multiple') {
    q.options.forEach((o, i) => {
      lines.push(`  ${optionLetter(i)}) ${o.text}`);
    });
    lines.push(q.type === 'multiple' ? '(choose all that apply, e.g. "a,c")' : '(choose one letter)');
  } else if (q.type === 'truefalse') lines.push('(true or false)');
  return lines.join('\n');
}

const mark = (o: Pick<GradedTask, 'score' | 'scored'>, p = palette()) =>
  o.scored === false ? p.dim('-') : o.score >= 1 ? p.green('✓') : o.score > 0 ? p.yellow('~') : p.red('✗');

/** The criteria of a lab task as graded: ✓/✗, the reason, and which ones earn nothing. */
export function checkLines(o: GradedTask, indent = '  '): string[] {
  const p = palette();
  const lines: string[] = [];
  for (const c of o.checks ?? []) {
    const note = c.atStart
      ? p.dim(c.pass ? '  (met at the start: earns nothing)' : '  (met at the start, now broken)')
      : '';
    lines.push(`${indent}${c.pass ? p.green('✓') : p.red('✗')} ${c.text}${note}`);
    lines.push(`${indent}    ${p.dim(c.reason)}`);
  }
  return lines;
}

/** One task graded on demand (`exam check N`). */
export function taskGradeText(o: GradedTask, plan: ExamPlan): string {
  const p = palette();
  const t = plan.tasks[o.index];
  const pts = t ? roundPoints(taskPoints(plan, t)) : 0;
  const lines = [p.bold(`Task ${o.index + 1}: ${t?.title ?? o.id}`), ...checkLines(o), ''];
  lines.push(
    o.scored === false
      ? p.dim(o.detail)
      : `${mark(o)} ${Math.round(o.score * pts * 10) / 10} of ${plural(pts, 'point')} so far: ${o.detail}`,
  );
  return `${lines.join('\n')}\n`;
}

export function examResultToText(result: ExamResult, plan: ExamPlan | undefined): string {
  const p = palette();
  const s = result.score;
  const lines = [
    p.bold(
      `Exam ${result.id}: ${s.percent}% (pass line ${s.passPercent}%)${s.points !== undefined ? `, ${s.earned} of ${s.points} points` : ''}`,
    ),
  ];
  lines.push(s.passed ? p.green('PASSED') : p.red('NOT PASSED'), '');
  for (const d of s.domains) {
    const value = d.percent === undefined ? p.dim('not scored') : `${d.percent}%`;
    const pts = d.points !== undefined ? `${d.earned} of ${d.points} points, ` : '';
    lines.push(
      `  ${d.domain.padEnd(42)} ${String(value).padStart(6)}  ${p.dim(`(${pts}${plural(d.tasks, 'task')}; ${d.weight}% of the real exam)`)}`,
    );
  }
  if (s.notScored?.length)
    lines.push('', p.yellow(`Not scored (no task in this exam): ${s.notScored.join(', ')}.`));
  lines.push('');
  for (const o of result.outcomes) {
    const t = plan?.tasks[o.index];
    lines.push(
      `  ${mark(o, p)} ${String(o.index + 1).padStart(2)}. ${t?.title ?? o.id}${o.flagged ? ' ⚑' : ''}`,
    );
    lines.push(`        ${p.dim(o.detail)}`);
  }
  lines.push(
    '',
    p.dim(`${result.minutesUsed} of ${plan?.minutes ?? '?'} minutes used.`),
    p.dim('Review each task, with what failed and the reference answer: ica-trainer exam review N'),
  );
  return `${lines.join('\n')}\n`;
}

/** A submitted task in full: what was checked, what failed and why, the reference answer. */
export function reviewText(
  o: GradedTask,
  title: string,
  reference: { question?: Question; solution?: { file: string; text: string }[] },
): string {
  const p = palette();
  const lines = [p.bold(`${mark(o, p)} Task ${o.index + 1}: ${title}`), p.dim(o.detail), ''];
  if (o.kind === 'lab') {
    lines.push(p.bold('What was checked'), ...checkLines(o), '', p.bold('Reference answer'));
    for (const f of reference.solution ?? []) lines.push(p.dim(`# ${f.file}`), f.text.trimEnd(), '');
    lines.push(p.dim('Other correct answers pass too: the grader checks what the configuration does.'));
  } else if (reference.question) {
    const q = reference.question;
    lines.push(questionText(q), '', `${p.bold('Answer:')} ${keyedAnswer(q)}`, q.explanation.trim());
  }
  return `${lines.join('\n')}\n`;
}
