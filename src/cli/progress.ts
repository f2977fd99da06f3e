// `progress`: per curriculum domain, questions seen, accuracy and reviews due.
// (Labs passed and exam history join here when those sections exist.)
import { type Command, Option } from 'commander';
import { EXIT, palette, UserError, write } from './output.ts';

export function registerProgress(program: Command): void {
  program
    .command('progress')
    .description('Show your progress per curriculum domain: questions seen, accuracy, reviews due')
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
  if (opts.output === 'json') {
    await write(`${JSON.stringify({ stateFile: loaded.path, quiz }, null, 2)}\n`);
    return EXIT.ok;
  }
  const p = palette();
  const weight = new Map<string, number>(ICA_DOMAINS.map((d) => [d.name, d.weight]));
  const width = Math.max(...quiz.domains.map((d) => d.domain.length), 5);
  const pct = (x: number | null) => (x === null ? '-' : `${Math.round(x * 100)}%`);
  const row = (name: string, r: (typeof quiz)['total'], w: string) =>
    `${name.padEnd(width)}  ${w.padStart(6)}  ${`${r.seen}/${r.questions}`.padStart(7)}  ${pct(r.accuracy).padStart(8)}  ${String(r.due).padStart(3)}`;
  const lines = [
    p.bold(
      `${'Domain'.padEnd(width)}  ${'Weight'.padStart(6)}  ${'Seen'.padStart(7)}  ${'Accuracy'.padStart(8)}  Due`,
    ),
  ];
  for (const d of quiz.domains) {
    const line = row(d.domain, d, `${weight.get(d.domain) ?? '?'}%`);
    lines.push(d.questions === 0 ? p.dim(`${line}  (no questions yet)`) : line);
  }
  lines.push(row('Total', quiz.total, ''));
  lines.push('', p.dim(`Weights: the ICA curriculum. Progress file: ${loaded.path}`));
  if (quiz.total.due > 0) lines.push(`${quiz.total.due} review${quiz.total.due === 1 ? '' : 's'} due.`);
  await write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
