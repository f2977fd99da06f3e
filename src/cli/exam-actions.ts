// The exam commands' implementations.
import { resolve } from 'node:path';
import { loadExercises } from '../core/content/exercise-loader.ts';
import { AnswerFormatError, parseChoiceAnswer } from '../core/content/quiz-grade.ts';
import { loadQuizBank } from '../core/content/quiz-loader.ts';
import { type ExamContent, gradeExam, gradeTask, taskDir } from '../core/exam/grade.ts';
import { assembleExam, coverageNote, roundPoints, taskPoints } from '../core/exam/plan.ts';
import {
  type ExamAction,
  examReducer,
  formatRemaining,
  remainingMs,
  startSession,
  timeUp,
} from '../core/exam/session.ts';
import { startWorkspace } from '../core/labs/workspace.ts';
import { type ActiveExam, readExams, recordExamResult, saveActiveExam } from '../core/progress/exams.ts';
import { readLabsProgress } from '../core/progress/labs.ts';
import { shellQuote } from '../core/text-safety.ts';
import { examResultToText, questionText, reviewText, taskGradeText, taskLine } from './exam-format.ts';
import { EXIT, notice as note, palette, shownPath, UserError, write } from './output.ts';

function nonNegativeInt(name: string, raw: string, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new UserError(`${name} must be a whole number from 0 to ${max}, not "${raw}"`);
  return n;
}

/** Labs the learner has passed or revealed: an exam draws them last. */
async function labsSeen(): Promise<Set<string>> {
  try {
    const { labs } = await readLabsProgress();
    return new Set(
      Object.entries(labs)
        .filter(([, p]) => p.status === 'passed' || p.status === 'revealed')
        .map(([id]) => id),
    );
  } catch {
    return new Set();
  }
}

function positiveInt(name: string, raw: string, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UserError(`${name} must be a whole number from 1 to ${max}, not "${raw}"`);
  return n;
}

async function content(): Promise<ExamContent> {
  const { exercises, problems } = loadExercises();
  for (const p of problems) note(`skipped a lab: ${p.path}: ${p.message}`);
  const bank = await loadQuizBank();
  return { labs: new Map(exercises.map((e) => [e.id, e])), questions: bank.byId };
}

async function active(): Promise<ActiveExam> {
  const { active: exam, notices } = await readExams();
  for (const n of notices) note(n);
  if (!exam) throw new UserError('no exam in progress: start one with `ica-trainer exam start`');
  return exam;
}

function taskIndex(exam: ActiveExam, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > exam.plan.tasks.length) {
    throw new UserError(`task must be a number from 1 to ${exam.plan.tasks.length}, not "${raw}"`);
  }
  return n - 1;
}

async function dispatch(exam: ActiveExam, action: ExamAction): Promise<ActiveExam> {
  const next = { ...examReducer(exam, action), workspace: exam.workspace };
  for (const n of await saveActiveExam(next)) note(n);
  return next;
}

export async function runExamStart(opts: {
  minutes: string;
  seed?: string;
  pass: string;
  labs: string;
  questions?: string;
  dir: string;
}): Promise<number> {
  const { active: existing } = await readExams();
  if (existing) {
    throw new UserError(
      `an exam is already in progress (${existing.plan.id}): see \`ica-trainer exam status\`, or end it with \`exam submit\` or \`exam abandon\``,
    );
  }
  const minutes = positiveInt('--minutes', opts.minutes, 24 * 60);
  const passPercent = Number(opts.pass);
  if (!Number.isFinite(passPercent) || passPercent < 0 || passPercent > 100) {
    throw new UserError(`--pass must be a percentage from 0 to 100, not "${opts.pass}"`);
  }
  const seed = opts.seed === undefined ? Math.floor(Math.random() * 1_000_000) : Number(opts.seed);
  if (!Number.isInteger(seed)) throw new UserError(`--seed must be a whole number, not "${opts.seed}"`);
  const c = await content();
  const plan = assembleExam([...c.labs.values()], [...c.questions.values()], {
    seed,
    minutes,
    passPercent,
    labs: positiveInt('--labs', opts.labs, 50),
    ...(opts.questions !== undefined
      ? { questions: nonNegativeInt('--questions', opts.questions, 100) }
      : {}),
    seen: await labsSeen(),
  });
  if (plan.tasks.length === 0) throw new UserError('there is no content to build an exam from');
  const workspace = resolve(opts.dir, plan.id);
  for (const t of plan.tasks) {
    const lab = t.kind === 'lab' ? c.labs.get(t.id) : undefined;
    if (lab) await startWorkspace(lab, taskDir(workspace, plan, t.index));
  }
  const exam: ActiveExam = { ...startSession(plan, Date.now()), workspace };
  for (const n of await saveActiveExam(exam)) note(n);
  const p = palette();
  const lines = [
    p.bold(`Mock exam ${plan.id}`),
    `${plan.tasks.length} task${plan.tasks.length === 1 ? '' : 's'}, ${minutes} minute${minutes === 1 ? '' : 's'}, pass line ${passPercent}%, seed ${seed}.`,
    coverageNote(plan),
    '',
    ...plan.tasks.map((t) => taskLine(exam, t.index)),
    '',
    `Lab tasks: write your YAML in each task's folder under ${shownPath(workspace, 'full')};`,
    'grade one with `ica-trainer exam check N` (or `ica-trainer lab check ID` inside its folder).',
    'Hints and solutions of these labs are locked until you submit or abandon the exam.',
    'Read a task with `ica-trainer exam show N`, answer questions with `exam answer N b`,',
    'flag with `exam flag N`, and finish with `ica-trainer exam submit`.',
  ];
  await write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

export async function runExamStatus(opts: { output: 'text' | 'json' }): Promise<number> {
  const exam = await active();
  const left = remainingMs(exam, Date.now());
  if (opts.output === 'json') {
    await write(
      `${JSON.stringify(
        {
          id: exam.plan.id,
          remainingSeconds: Math.round(left / 1000),
          timeUp: left === 0,
          workspace: exam.workspace,
          tasks: exam.plan.tasks.map((t) => ({
            ...t,
            number: t.index + 1,
            points: roundPoints(taskPoints(exam.plan, t)),
            ...exam.tasks[t.index],
          })),
        },
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  const p = palette();
  const clock = left === 0 ? p.red('time is up: submit now') : `${formatRemaining(left)} left`;
  await write(
    `${p.bold(exam.plan.id)}  ${clock}\n${exam.plan.tasks.map((t) => taskLine(exam, t.index)).join('\n')}\n`,
  );
  return EXIT.ok;
}

export async function runExamShow(task: string): Promise<number> {
  const exam = await active();
  const index = taskIndex(exam, task);
  const t = exam.plan.tasks[index];
  if (!t) return EXIT.usage;
  const c = await content();
  const p = palette();
  const head = `${p.bold(`Task ${index + 1} of ${exam.plan.tasks.length}`)} [${t.domain}]`;
  if (t.kind === 'lab') {
    const lab = c.labs.get(t.id);
    const dir = taskDir(exam.workspace, exam.plan, index);
    const shown = shownPath(dir, 'full');
    await write(
      `${head}\n\n${lab?.readme.trimEnd() ?? t.title}\n\n${p.bold(`Your workspace: ${shown}`)}\nGrade this task: ica-trainer exam check ${index + 1}  (or, in ${shellQuote(shown)}: ica-trainer lab check ${t.id})\n`,
    );
  } else {
    const q = c.questions.get(t.id);
    await write(`${head}\n\n${q ? questionText(q) : t.title}\n`);
  }
  return EXIT.ok;
}

export async function runExamAnswer(task: string, answer: string): Promise<number> {
  const exam = await active();
  const index = taskIndex(exam, task);
  const t = exam.plan.tasks[index];
  if (t?.kind !== 'question')
    throw new UserError(`task ${index + 1} is a lab: write your YAML in its workspace folder`);
  if (timeUp(exam, Date.now()))
    throw new UserError('time is up: answers are closed; run `ica-trainer exam submit`');
  const q = (await content()).questions.get(t.id);
  if (!q) throw new UserError(`question ${t.id} is no longer available`);
  try {
    parseChoiceAnswer(q, answer);
  } catch (e) {
    if (e instanceof AnswerFormatError) throw new UserError(e.message);
    throw e;
  }
  await dispatch(exam, { type: 'answer', index, answer });
  await write(`Task ${index + 1}: answer "${answer}" saved (graded when you submit).\n`);
  return EXIT.ok;
}

export async function runExamFlag(task: string): Promise<number> {
  const exam = await active();
  const index = taskIndex(exam, task);
  const next = await dispatch(exam, { type: 'toggle-flag', index });
  await write(`Task ${index + 1} ${next.tasks[index]?.flagged ? 'flagged for review' : 'unflagged'}.\n`);
  return EXIT.ok;
}

export async function runExamSkip(task: string): Promise<number> {
  const exam = await active();
  const index = taskIndex(exam, task);
  await dispatch(exam, { type: 'skip', index });
  await write(`Task ${index + 1} skipped; you can come back to it.\n`);
  return EXIT.ok;
}

export async function runExamCheck(task: string, opts: { output: 'text' | 'json' }): Promise<number> {
  const exam = await active();
  const index = taskIndex(exam, task);
  const t = exam.plan.tasks[index];
  if (t?.kind !== 'lab')
    throw new UserError(
      `task ${index + 1} is a question: it is graded when you submit (answer it with \`exam answer ${index + 1} ...\`)`,
    );
  const graded = await gradeTask(exam, exam.workspace, await content(), t);
  await write(
    opts.output === 'json' ? `${JSON.stringify(graded, null, 2)}\n` : taskGradeText(graded, exam.plan),
  );
  return graded.score >= 1 ? EXIT.ok : EXIT.fail;
}

export async function runExamReview(task: string | undefined): Promise<number> {
  const { history, notices } = await readExams();
  for (const n of notices) note(n);
  const last = history.at(-1);
  if (!last) throw new UserError('no exam submitted yet: the review comes after `ica-trainer exam submit`');
  const c = await content();
  const wanted =
    task === undefined ? last.outcomes : [last.outcomes[reviewIndex(last.outcomes.length, task)]];
  const parts: string[] = [palette().bold(`Review of ${last.id}: ${last.score.percent}%`), ''];
  for (const o of wanted) {
    if (!o) continue;
    const lab = o.kind === 'lab' ? c.labs.get(o.id) : undefined;
    const question = o.kind === 'question' ? c.questions.get(o.id) : undefined;
    const solution = lab ? await readSolutionFiles(lab) : undefined;
    parts.push(
      reviewText(o, lab?.title ?? question?.prompt.split('\n')[0] ?? o.id, {
        ...(question ? { question } : {}),
        ...(solution ? { solution } : {}),
      }),
    );
  }
  await write(parts.join('\n'));
  return EXIT.ok;
}

function reviewIndex(count: number, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > count)
    throw new UserError(`task must be a number from 1 to ${count}, not "${raw}"`);
  return n - 1;
}

async function readSolutionFiles(lab: import('../core/content/exercise-loader.ts').LoadedExercise) {
  const { readFile } = await import('node:fs/promises');
  const { solutionFiles } = await import('../core/labs/workspace.ts');
  const out: { file: string; text: string }[] = [];
  for (const f of await solutionFiles(lab)) out.push({ file: f.file, text: await readFile(f.path, 'utf8') });
  return out;
}

export async function runExamSubmit(opts: { output: 'text' | 'json'; yes?: boolean }): Promise<number> {
  const exam = await active();
  const open = exam.plan.tasks.filter(
    (t) => t.kind === 'question' && exam.tasks[t.index]?.status !== 'answered',
  );
  if (open.length > 0 && !opts.yes && !timeUp(exam, Date.now())) {
    throw new UserError(
      `${open.length} question task(s) not answered (${open.map((t) => t.index + 1).join(', ')}): answer them, or submit with --yes`,
    );
  }
  const submitted = { ...examReducer(exam, { type: 'submit' }), workspace: exam.workspace };
  const result = await gradeExam(submitted, exam.workspace, await content(), new Date());
  for (const n of await recordExamResult(result)) note(n);
  await write(
    opts.output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : examResultToText(result, exam.plan),
  );
  return result.score.passed ? EXIT.ok : EXIT.fail;
}

export async function runExamAbandon(opts: { yes?: boolean }): Promise<number> {
  const exam = await active();
  if (!opts.yes)
    throw new UserError(`this throws away exam ${exam.plan.id} (its folders stay): run again with --yes`);
  for (const n of await saveActiveExam(undefined)) note(n);
  await write(
    `Exam ${exam.plan.id} abandoned; its workspace ${shownPath(exam.workspace, 'full')} was kept.\n`,
  );
  return EXIT.ok;
}

export async function runExamHistory(opts: { output: 'text' | 'json' }): Promise<number> {
  const { history, notices } = await readExams();
  for (const n of notices) note(n);
  if (opts.output === 'json') {
    await write(`${JSON.stringify(history, null, 2)}\n`);
    return EXIT.ok;
  }
  if (history.length === 0) {
    await write('No exams taken yet: `ica-trainer exam start`.\n');
    return EXIT.ok;
  }
  const p = palette();
  const lines = history.map(
    (r) =>
      `${r.submittedAt.slice(0, 16).replace('T', ' ')}  ${String(r.score.percent).padStart(5)}%  ${r.score.passed ? p.green('passed') : p.red('not passed')}  ${r.score.domains
        .filter((d) => d.percent !== undefined)
        .map((d) => `${d.domain} ${d.percent}%`)
        .join(', ')}`,
  );
  await write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
