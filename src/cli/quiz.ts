// `quiz list`, `quiz show`, `quiz answer` (non-interactive, for scripts and
// tests) and, through registerProgress, `progress`. Implementations load lazily
// so that `--help` stays fast.
import { type Command, Option } from 'commander';
import { trainerCommand } from '../core/command-name.ts';
import { plural } from '../core/plural.ts';
import { EXIT, type Palette, palette, UserError, write, writeText } from './output.ts';
import { registerProgress } from './progress.ts';

type Bank = import('../core/content/quiz-loader.ts').QuizBank;

export const RERUN = 'Nothing was recorded; run the command again to continue with a fresh progress file.';
type Question = import('../core/content/quiz-schema.ts').Question;

export function registerQuiz(program: Command): void {
  const quiz = program
    .command('quiz')
    .description(
      'Quiz questions on every ICA domain, scheduled by spaced repetition (FSRS); without a subcommand, an interactive session',
    )
    // options before a subcommand belong to the session, after it to the subcommand (`quiz list --topic`)
    .enablePositionalOptions()
    .option('--topic <topic>', 'only questions of this topic (see `quiz list`)')
    .option('--review', 'only questions whose review is due')
    .option('--questions <n>', 'questions in the session', '10')
    // -n is the namespace everywhere (as in kubectl): the old spelling is refused with a hint
    .addOption(new Option('-n <n>').hideHelp())
    .action(async (opts: { topic?: string; review?: boolean; questions: string; n?: string }) => {
      if (opts.n !== undefined)
        throw new UserError(
          `-n ${opts.n}: -n means a namespace in ica-trainer, as in kubectl; give the number of questions with --questions ${opts.n}`,
        );
      const limit = Number(opts.questions);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
        throw new UserError(`--questions must be a whole number from 1 to 200, not "${opts.questions}"`);
      }
      const { runQuizTui } = await import('../ui/run.ts');
      process.exitCode = await runQuizTui({
        ...(opts.review ? { review: true } : {}),
        ...(opts.topic ? { topic: opts.topic } : {}),
        limit,
      });
    });

  quiz
    .command('list')
    .description('List the questions (ids, topics, types), without their answers')
    .option('--topic <topic>', 'only this topic')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: { topic?: string; output: string }) => {
      process.exitCode = await runQuizList(opts);
    });

  quiz
    .command('show')
    .description('Show one question with its options (answer it with `quiz answer`)')
    .argument('<id>', 'question id (see `quiz list`)')
    .action(async (id: string) => {
      process.exitCode = await runQuizShow(id);
    });

  quiz
    .command('answer')
    .description('Answer one question; prints the explanation and records it for spaced repetition')
    .argument('<id>', 'question id (see `quiz list`)')
    .argument(
      '<answer>',
      'option letter(s) ("b", "a,c"), true/false, or for YAML questions a file path or "-" for stdin',
    )
    .addOption(
      new Option('--rating <rating>', 'how hard a right answer was, for spaced repetition (FSRS)')
        .choices(['again', 'hard', 'good', 'easy'])
        .default('good'),
    )
    .addHelpText(
      'after',
      '\nA wrong answer is always rated Again. A YAML answer that does not parse is not graded or recorded:\nits syntax errors are printed (file:line:column) and the exit code is 2.\n\nExit codes: 0 right, 1 wrong, 2 unknown id, bad answer format, YAML that does not parse, or unusable state file.',
    )
    .action(async (id: string, answer: string, opts: { rating: string }) => {
      process.exitCode = await runQuizAnswer(id, answer, opts.rating);
    });

  registerProgress(program);
}

async function loadBank(): Promise<Bank> {
  const { loadQuizBank } = await import('../core/content/quiz-loader.ts');
  return loadQuizBank();
}

async function reportBankProblems(bank: Bank): Promise<void> {
  if (bank.problems.length === 0) return;
  const { formatQuizProblem } = await import('../core/content/quiz-loader.ts');
  for (const p of bank.problems) process.stderr.write(`ica-trainer: skipped: ${formatQuizProblem(p)}\n`);
}

async function findQuestion(bank: Bank, id: string): Promise<Question> {
  const q = bank.byId.get(id);
  if (q) return q;
  await reportBankProblems(bank);
  const near = [...bank.byId.keys()].filter((k) => k.includes(id) || id.includes(k)).slice(0, 3);
  throw new UserError(
    `unknown question id "${id}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; run \`${trainerCommand()} quiz list\``,
  );
}

export async function runQuizList(opts: { topic?: string; output: string }): Promise<number> {
  const bank = await loadBank();
  await reportBankProblems(bank);
  const { optionLetter } = await import('../core/content/quiz-schema.ts');
  let questions = bank.questions;
  if (opts.topic) {
    if (!bank.topics.some((t) => t.topic === opts.topic))
      throw new UserError(
        `unknown topic "${opts.topic}"; topics: ${bank.topics.map((t) => t.topic).join(', ')}`,
      );
    questions = questions.filter((q) => q.topic === opts.topic);
  }
  if (opts.output === 'json') {
    const out = questions.map((q) => ({
      id: q.id,
      topic: q.topic,
      type: q.type,
      domain: q.domain,
      difficulty: q.difficulty,
      section: q.section,
      ...(q.docs ? { docs: q.docs } : {}),
      ...(q.moduleCheck ? { moduleCheck: q.moduleCheck } : {}),
      prompt: q.prompt,
      ...(q.type === 'single' || q.type === 'multiple'
        ? { options: q.options.map((o, i) => ({ letter: optionLetter(i), text: o.text })) }
        : {}),
    }));
    await write(`${JSON.stringify(out, null, 2)}\n`);
    return EXIT.ok;
  }
  const p = palette();
  const lines: string[] = [];
  for (const topic of bank.topics) {
    const qs = questions.filter((q) => q.topic === topic.topic);
    if (qs.length === 0) continue;
    lines.push(p.bold(`${topic.title} (${topic.topic}, ${qs.length})`));
    const width = Math.max(...qs.map((q) => q.id.length));
    for (const q of qs) {
      lines.push(
        `  ${q.id.padEnd(width)}  ${q.type.padEnd(9)} ${q.difficulty.padEnd(6)} ${p.dim(oneLine(q.prompt, 60))}`,
      );
    }
    lines.push('');
  }
  lines.push(
    `${plural(questions.length, 'question')}. Show one: ${trainerCommand()} quiz show ID; answer: ${trainerCommand()} quiz answer ID ANSWER`,
  );
  await write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function indent(text: string, pad: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

async function questionText(q: Question, p: Palette): Promise<string> {
  const { optionLetter, sectionLabel } = await import('../core/content/quiz-schema.ts');
  const lines = [
    p.bold(`${q.id}`) + p.dim(`  ${q.domain} · ${q.difficulty} · ${sectionLabel(q.section)}`),
    '',
    q.prompt.trim(),
    '',
  ];
  if (q.type === 'single' || q.type === 'multiple') {
    q.options.forEach((o, i) => {
      lines.push(`  ${optionLetter(i)}) ${o.text}`);
    });
    lines.push(
      '',
      p.dim(q.type === 'single' ? 'Answer with one letter.' : 'Choose all that apply: letters such as a,c.'),
    );
  } else if (q.type === 'truefalse') {
    lines.push(p.dim('Answer true or false.'));
  } else {
    if (q.setup) lines.push(p.dim('Already in the cluster (besides Bookinfo):'), indent(q.setup, '    '), '');
    if (q.hint) lines.push(p.dim(`Hint: ${q.hint}`));
    lines.push(p.dim('Answer with a YAML file path, or "-" to read it from stdin.'));
  }
  return `${lines.join('\n')}\n`;
}

export async function runQuizShow(id: string): Promise<number> {
  const bank = await loadBank();
  const q = await findQuestion(bank, id);
  await writeText(await questionText(q, palette()));
  return EXIT.ok;
}

async function readAnswerText(arg: string): Promise<{ text: string; file: string }> {
  const { readRegularFile, readStreamBounded } = await import('../core/config/bounded-read.ts');
  const { MAX_FILE_BYTES } = await import('../core/config/load.ts');
  const read =
    arg === '-'
      ? await readStreamBounded(process.stdin, MAX_FILE_BYTES)
      : await readRegularFile(arg, MAX_FILE_BYTES);
  if (!read.ok)
    throw new UserError(
      `cannot read the answer ${arg === '-' ? 'from standard input' : `file ${arg}`}: ${read.detail}`,
    );
  return { text: read.text, file: arg };
}

export async function runQuizAnswer(id: string, raw: string, ratingOption = 'good'): Promise<number> {
  const bank = await loadBank();
  const q = await findQuestion(bank, id);
  const grade = await import('../core/content/quiz-grade.ts');
  const { loadState, saveState, StateError, withStateLock } = await import('../core/progress/store.ts');
  const { rateAnswer } = await import('../core/progress/srs.ts');
  const chosenRating = (ratingOption.charAt(0).toUpperCase() + ratingOption.slice(1).toLowerCase()) as
    | 'Again'
    | 'Hard'
    | 'Good'
    | 'Easy';
  const { recordAnswer } = await import('../core/progress/quiz-progress.ts');
  const { examsFrom } = await import('../core/progress/exams.ts');
  const { examQuestionTask } = await import('../core/exam/lock.ts');

  let answer: import('../core/content/quiz-grade.ts').Answer;
  try {
    if (q.type === 'yaml') answer = { type: 'yaml', ...(await readAnswerText(raw)) };
    else answer = grade.parseChoiceAnswer(q, raw);
  } catch (e) {
    if (e instanceof grade.AnswerFormatError) throw new UserError(e.message);
    throw e;
  }
  try {
    const now = new Date();
    const { result, due } = await withStateLock(async () => {
      const loaded = await loadState();
      // A corrupt progress file has been moved aside: say so and stop (exit 2), so
      // that no script mistakes a fresh start for its usual history.
      if (loaded.notices.length) throw new UserError(`${loaded.notices.join(' ')} ${RERUN}`);
      // a question of the exam in progress is answered there; its explanation waits for the end
      const task = examQuestionTask(examsFrom(loaded.state).active, q.id);
      if (task !== undefined)
        throw new UserError(
          `this question is task ${task} of the exam in progress: answer it with \`ica-trainer exam answer ${task} ...\`; its explanation is shown in \`exam review\` after you submit`,
        );
      const graded = grade.gradeAnswer(q, answer);
      const syntax = grade.yamlSyntaxErrors(graded);
      // YAML that does not parse is a typo, not a wrong answer: nothing is recorded
      if (syntax.length)
        throw new UserError(
          `your YAML does not parse, so it was not graded or recorded: ${syntax.join('; ')}. Fix it and answer again.`,
        );
      const rating = rateAnswer(graded.correct, chosenRating);
      recordAnswer(loaded.state, { id: q.id, correct: graded.correct, rating, at: now, via: 'cli' });
      await saveState(loaded.state);
      return { result: graded, due: loaded.state.quiz.cards[q.id]?.card.due };
    });
    await writeText(await explain(q, result, due ? new Date(due) : undefined, now, palette()));
    return result.correct ? EXIT.ok : EXIT.fail;
  } catch (e) {
    if (e instanceof StateError) throw new UserError(e.message);
    throw e;
  }
}

function until(due: Date, now: Date): string {
  const mins = Math.max(0, Math.round((due.getTime() - now.getTime()) / 60_000));
  if (mins < 1) return 'now';
  if (mins < 90) return `in ${mins} minute${mins === 1 ? '' : 's'}`;
  const hours = Math.round(mins / 60);
  if (hours < 36) return `in ${plural(hours, 'hour')}`;
  const days = Math.round(hours / 24);
  return `in ${plural(days, 'day')}`;
}

async function explain(
  q: Question,
  result: import('../core/content/quiz-grade.ts').Grade,
  due: Date | undefined,
  now: Date,
  p: Palette,
): Promise<string> {
  const { optionLetter, sectionLabel } = await import('../core/content/quiz-schema.ts');
  const out: string[] = [];
  const verdict = result.correct ? p.green('✓ Right.') : p.red('✗ Wrong.');
  if (result.kind === 'choice') {
    const keyed = result.keyed.join(', ');
    out.push(
      result.correct ? verdict : `${verdict} The answer is ${keyed}; you chose ${result.chosen.join(', ')}.`,
    );
  } else if (result.kind === 'boolean') {
    out.push(result.correct ? verdict : `${verdict} The statement is ${result.keyed ? 'true' : 'false'}.`);
  } else {
    out.push(result.correct ? `${verdict} Your YAML passes every check.` : verdict);
  }
  out.push('');
  if (result.kind === 'yaml') {
    for (const c of result.checks) {
      out.push(
        c.ok ? `  ${p.green('✓')} ${c.label}` : `  ${p.red('✗')} ${c.label}\n      ${p.dim(c.detail ?? '')}`,
      );
    }
    for (const f of result.errors) {
      out.push(
        `  ${p.red('✗')} ${f.code} ${f.origin ?? f.file ?? ''}${f.path ? ` ${f.path}` : ''}: ${f.message}`,
      );
    }
    for (const f of result.notes.filter((n) => n.level === 'Warning')) {
      out.push(`  ${p.yellow('!')} ${f.code} ${f.origin ?? ''}: ${f.message}`);
    }
    out.push('');
  }
  out.push(q.explanation.trim(), '');
  if (q.type === 'single' || q.type === 'multiple') {
    const keyed = new Set(q.type === 'single' ? [q.answer] : q.answers);
    const chosen = new Set(result.kind === 'choice' ? result.chosen : []);
    q.options.forEach((o, i) => {
      const l = optionLetter(i);
      const mark = keyed.has(l) ? p.green('✓') : p.red('✗');
      const you = chosen.has(l) ? p.bold(' (your choice)') : '';
      out.push(`  ${mark} ${l}) ${o.text}${you}`, indent(p.dim(o.why.trim()), '       '));
    });
    out.push('');
  } else if (q.type === 'truefalse') {
    out.push(p.dim(`Why not ${q.answer ? 'false' : 'true'}: ${q.whyNot.trim()}`), '');
  } else if (!result.correct) {
    out.push(p.dim('A reference answer:'), indent(q.reference, '    '), '');
  }
  if (q.docs) out.push(p.dim(`Read more: ${q.docs}`));
  out.push(p.dim(`${sectionLabel(q.section, true)}${due ? ` · next review ${until(due, now)}` : ''}`));
  return `${out.join('\n')}\n`;
}
