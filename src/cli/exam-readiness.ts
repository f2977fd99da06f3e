// `ica-trainer exam readiness`: the last exams per domain over time, weak areas
// by topic with the lab to do next.
import { loadExercises } from '../core/content/exercise-loader.ts';
import { loadQuizBank } from '../core/content/quiz-loader.ts';
import { type Readiness, readiness, WEAK_BELOW } from '../core/exam/readiness.ts';
import { examsFrom } from '../core/progress/exams.ts';
import { readLabsProgressFrom } from '../core/progress/labs.ts';
import { loadState } from '../core/progress/store.ts';
import { EXIT, palette, write } from './output.ts';

const pct = (n: number) => `${Math.round(n * 100)}%`;

export async function loadReadiness(): Promise<Readiness> {
  const { state, notices } = await loadState();
  for (const n of notices) process.stderr.write(`ica-trainer: ${n}\n`);
  const bank = await loadQuizBank();
  return readiness({
    exams: examsFrom(state).history,
    labs: loadExercises().exercises,
    topics: bank.topics,
    labProgress: readLabsProgressFrom(state),
    cards: state.quiz.cards,
  });
}

export function readinessText(r: Readiness): string {
  const p = palette();
  const lines: string[] = [p.bold('Last exams, per domain (oldest first)')];
  if (r.trend.length === 0) lines.push(p.dim('  none yet: `ica-trainer exam start`'));
  for (const e of r.trend) {
    const domains = Object.entries(e.domains)
      .map(([d, v]) => `${d} ${v}%`)
      .join(' · ');
    lines.push(
      `  ${e.submittedAt.slice(0, 16).replace('T', ' ')}  ${String(e.percent).padStart(5)}%  ${e.passed ? p.green('passed    ') : p.red('not passed')}  ${p.dim(domains)}`,
    );
  }
  const weak = r.areas.filter((a) => a.strength !== null && a.strength < WEAK_BELOW);
  const untried = r.areas.filter((a) => a.strength === null);
  const solid = r.areas.filter((a) => a.strength !== null && a.strength >= WEAK_BELOW);
  const evidence = (a: Readiness['areas'][number]) =>
    [
      a.quiz.answers ? `quiz ${a.quiz.correct}/${a.quiz.answers} right` : '',
      a.labs.total ? `labs ${a.labs.passed}/${a.labs.total} passed` : '',
      a.exam.tasks ? `exams ${Math.round(a.exam.score * 10) / 10}/${a.exam.tasks} tasks` : '',
    ]
      .filter(Boolean)
      .join(', ');
  const next = (a: Readiness['areas'][number]) =>
    a.next
      ? `do this lab next: ${p.bold(a.next.id)} (${a.next.why})`
      : `no lab for this area yet: ${a.quizTopics.map((t) => `ica-trainer quiz --topic ${t}`).join(', ') || 'see the quiz'}`;
  lines.push('', p.bold('Weak areas (weakest first)'));
  if (weak.length === 0) lines.push(p.dim('  none found in what you have done so far'));
  for (const a of weak) {
    lines.push(
      `  ${p.red('✗')} ${a.title} ${p.red(pct(a.strength ?? 0))} ${p.dim(`(${evidence(a)})`)}`,
      `      ${next(a)}`,
    );
  }
  if (untried.length) {
    lines.push('', p.bold('Not tried yet'));
    for (const a of untried) lines.push(`  · ${a.title}: ${next(a)}`);
  }
  if (solid.length) {
    lines.push('', p.bold('Solid'));
    for (const a of solid)
      lines.push(`  ${p.green('✓')} ${a.title} ${pct(a.strength ?? 0)} ${p.dim(`(${evidence(a)})`)}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function runExamReadiness(opts: { output: 'text' | 'json' }): Promise<number> {
  const r = await loadReadiness();
  await write(opts.output === 'json' ? `${JSON.stringify(r, null, 2)}\n` : readinessText(r));
  return EXIT.ok;
}
