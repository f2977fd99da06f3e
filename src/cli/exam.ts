// `ica-trainer exam ...`: a timed mock exam that scripts (and tests) can take
// step by step; the TUI drives the same session. Implementations load lazily.
import { type Command, Option } from 'commander';

const outputOption = () =>
  new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text');

export function registerExam(program: Command): void {
  const exam = program
    .command('exam')
    .description(
      'Timed mock exam: performance tasks (labs) drawn across the curriculum domains, scored by curriculum weight (35/25/20/20 of 100 points); without a subcommand, the exam screen',
    )
    .action(async () => {
      const { runExamTui } = await import('../ui/run.ts');
      process.exitCode = await runExamTui();
    });

  exam
    .command('start')
    .description('Start a new exam: creates a workspace folder per lab task and starts the clock')
    .option('--minutes <n>', 'length of the exam in minutes', '120')
    .option('--seed <n>', 'choose the tasks with this seed (default: random; printed)')
    .option('--pass <percent>', 'pass line in percent', '68')
    .option('--labs <n>', 'number of performance tasks (labs); the real exam has 15 to 20', '17')
    .option(
      '--questions <n>',
      'number of quick questions (default: only as stand-ins for domains without labs)',
    )
    .option('--dir <dir>', 'folder for the lab workspaces', 'ica-exam')
    .action(async (opts) => {
      const { runExamStart } = await import('./exam-actions.ts');
      process.exitCode = await runExamStart(opts);
    });

  exam
    .command('status')
    .description('Time left and every task with its status and flag')
    .addOption(outputOption())
    .action(async (opts: { output: 'text' | 'json' }) => {
      const { runExamStatus } = await import('./exam-actions.ts');
      process.exitCode = await runExamStatus(opts);
    });

  exam
    .command('show')
    .description('Show a task: the lab task and its workspace, or the question and its options')
    .argument('<task>', 'task number (1, 2, ...)')
    .action(async (task: string) => {
      const { runExamShow } = await import('./exam-actions.ts');
      process.exitCode = await runExamShow(task);
    });

  exam
    .command('check')
    .description(
      "Grade one lab task's folder now: each criterion ✓/✗ with the reason, and the task's points so far (no hints)",
    )
    .argument('<task>', 'task number')
    .addOption(outputOption())
    .addHelpText('after', '\nExit codes: 0 full marks, 1 not yet, 2 no exam in progress or not a lab task.')
    .action(async (task: string, opts: { output: 'text' | 'json' }) => {
      const { runExamCheck } = await import('./exam-actions.ts');
      process.exitCode = await runExamCheck(task, opts);
    });

  exam
    .command('answer')
    .description(
      'Answer a question task (letters like "b" or "a,c", or true/false); lab tasks are graded from their workspace',
    )
    .argument('<task>', 'task number')
    .argument('<answer>', 'the answer')
    .action(async (task: string, answer: string) => {
      const { runExamAnswer } = await import('./exam-actions.ts');
      process.exitCode = await runExamAnswer(task, answer);
    });

  exam
    .command('flag')
    .description('Flag a task for review (again to unflag)')
    .argument('<task>', 'task number')
    .action(async (task: string) => {
      const { runExamFlag } = await import('./exam-actions.ts');
      process.exitCode = await runExamFlag(task);
    });

  exam
    .command('skip')
    .description('Mark a task as skipped (you can come back to it)')
    .argument('<task>', 'task number')
    .action(async (task: string) => {
      const { runExamSkip } = await import('./exam-actions.ts');
      process.exitCode = await runExamSkip(task);
    });

  exam
    .command('submit')
    .description('Grade the exam: a score per domain and the pass line; the result joins your history')
    .addOption(outputOption())
    .option('-y, --yes', 'submit even if tasks are still open')
    .addHelpText(
      'after',
      '\nExit codes: 0 passed, 1 not passed, 2 no exam in progress or open tasks without --yes.',
    )
    .action(async (opts: { output: 'text' | 'json'; yes?: boolean }) => {
      const { runExamSubmit } = await import('./exam-actions.ts');
      process.exitCode = await runExamSubmit(opts);
    });

  exam
    .command('abandon')
    .description('Throw away the exam in progress (its workspace folders are kept)')
    .option('-y, --yes', 'confirm')
    .action(async (opts: { yes?: boolean }) => {
      const { runExamAbandon } = await import('./exam-actions.ts');
      process.exitCode = await runExamAbandon(opts);
    });

  exam
    .command('review')
    .description(
      'After submitting: each task of the last exam with what was checked, what failed and why, and the reference answer',
    )
    .argument('[task]', 'one task number (default: every task)')
    .action(async (task: string | undefined) => {
      const { runExamReview } = await import('./exam-actions.ts');
      process.exitCode = await runExamReview(task);
    });

  exam
    .command('readiness')
    .description(
      'The last exams per domain over time, weak areas by topic (faults, egress, mirroring ...) each with the lab to do next',
    )
    .addOption(outputOption())
    .action(async (opts: { output: 'text' | 'json' }) => {
      const { runExamReadiness } = await import('./exam-readiness.ts');
      process.exitCode = await runExamReadiness(opts);
    });

  exam
    .command('history')
    .description('Past exam results')
    .addOption(outputOption())
    .action(async (opts: { output: 'text' | 'json' }) => {
      const { runExamHistory } = await import('./exam-actions.ts');
      process.exitCode = await runExamHistory(opts);
    });
}
