// `progress`: per curriculum domain, questions seen, accuracy, reviews due and
// labs passed; the exam history and the streak of active days.
import { type Command, Option } from 'commander';
import { EXIT, palette, UserError, write } from './output.ts';

export function registerProgress(program: Command): void {
  program
    .command('progress')
    .description(
      'Show your progress per curriculum domain: questions seen, accuracy, reviews due, labs passed, exams',
    )
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: { output: string }) => {
      process.exitCode = await runProgress(opts);
    });
}

export async function runProgress(opts: { output: string }, now: Date = new Date()): Promise<number> {
  const { loadQuizBank } = await import('../core/content/quiz-loader.ts');
  const { DOMAIN_NAMES, ICA_DOMAINS } = await import('../core/content/quiz-schema.ts');
  const { loadState, StateError } = await import('../core/progress/store.ts');
  const { quizProgress } = await import('../core/progress/quiz-progress.ts');
  const { progressSummary } = await import('../core/progress/summary.ts');
  const { loadExercises } = await import('../core/content/exercise-loader.ts');
  const { examsFrom } = await import('../core/progress/exams.ts');
  let loaded: Awaited<ReturnType<typeof loadState>>;
  try {
    loaded = await loadState();
  } catch (e) {
    if (e instanceof StateError) throw new UserError(e.message);
    throw e;
  }
  if (loaded.notices.length)
    throw new UserError(`${loaded.notices.join(' ')} Run the command again to see the fresh progress file.`);
  const bank = await loadQuizBank();
  const quiz = quizProgress(loaded.state, bank.questions, DOMAIN_NAMES, now);
  const labs = loadExercises().exercises;
  const summary = progressSummary(loaded.state, bank.questions, labs, now);
  const history = examsFrom(loaded.state).history;
  if (opts.output === 'json') {
    await write(
      `${JSON.stringify(
        {
          stateFile: loaded.path,
          quiz,
          labs: { ...summary.labs, byDomain: summary.domains.map((d) => ({ domain: d.domain, ...d.labs })) },
          exams: history.map((e) => ({
            id: e.id,
            submittedAt: e.submittedAt,
            percent: e.score.percent,
            passed: e.score.passed,
            domains: e.score.domains,
          })),
          streakDays: summary.streakDays,
        },
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  const p = palette();
  const weight = new Map<string, number>(ICA_DOMAINS.map((d) => [d.name, d.weight]));
  const width = Math.max(...quiz.domains.map((d) => d.domain.length), 5);
  const pct = (x: number | null) => (x === null ? '-' : `${Math.round(x * 100)}%`);
  const labsOf = (domain: string) =>
    summary.domains.find((d) => d.domain === domain)?.labs ?? { total: 0, passed: 0 };
  const row = (name: string, r: (typeof quiz)['total'], w: string, l: { total: number; passed: number }) =>
    `${name.padEnd(width)}  ${w.padStart(6)}  ${`${r.seen}/${r.questions}`.padStart(7)}  ${pct(r.accuracy).padStart(8)}  ${String(r.due).padStart(3)}  ${`${l.passed}/${l.total}`.padStart(6)}`;
  const lines = [
    p.bold(
      `${'Domain'.padEnd(width)}  ${'Weight'.padStart(6)}  ${'Seen'.padStart(7)}  ${'Accuracy'.padStart(8)}  Due  ${'Labs'.padStart(6)}`,
    ),
  ];
  for (const d of quiz.domains) {
    const l = labsOf(d.domain);
    const line = row(d.domain, d, `${weight.get(d.domain) ?? '?'}%`, l);
    lines.push(d.questions === 0 && l.total === 0 ? p.dim(`${line}  (no content yet)`) : line);
  }
  lines.push(row('Total', quiz.total, '', summary.labs));
  if (history.length) {
    lines.push('', p.bold('Mock exams'));
    for (const e of history.slice(-5)) {
      lines.push(
        `  ${e.submittedAt.slice(0, 16).replace('T', ' ')}  ${String(e.score.percent).padStart(5)}%  ${e.score.passed ? p.green('passed') : p.red('not passed')}`,
      );
    }
  }
  if (summary.streakDays > 0)
    lines.push('', `Streak: ${summary.streakDays} day${summary.streakDays === 1 ? '' : 's'} in a row.`);
  lines.push('', p.dim(`Weights: the ICA curriculum. Progress file: ${loaded.path}`));
  if (quiz.total.due > 0) lines.push(`${quiz.total.due} review${quiz.total.due === 1 ? '' : 's'} due.`);
  await write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
