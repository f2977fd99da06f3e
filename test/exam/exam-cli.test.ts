// A mock exam taken end to end through the real binary, answers fed by the test.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { keyedLetters } from '../../src/core/content/quiz-grade.ts';
import { loadQuizBank } from '../../src/core/content/quiz-loader.ts';
import { runCli } from '../helpers/cli.ts';

interface Status {
  workspace: string;
  tasks: { number: number; kind: 'lab' | 'question'; id: string; domain: string }[];
}

describe('ica-trainer exam', () => {
  it('is taken end to end: start, answer, write lab solutions, submit, scored by domain, kept in history', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ica-exam-'));
    const env = { ICA_TRAINER_HOME: join(cwd, 'home') };
    const exam = (...args: string[]) => runCli(['exam', ...args], { cwd, env });
    const start = exam('start', '--seed', '11', '--labs', '2', '--questions', '3', '--minutes', '30');
    expect(start.code).toBe(0);
    expect(start.stdout).toMatch(/This exam: /);
    expect(exam('start').code).toBe(2); // one exam at a time

    const status = JSON.parse(exam('status', '-o', 'json').stdout) as Status;
    const bank = await loadQuizBank();
    const labs = new Map(loadExercises().exercises.map((e) => [e.id, e]));
    const questions = status.tasks.filter((t) => t.kind === 'question');
    expect(questions.length).toBe(3);
    // the first question wrong, the others right
    questions.forEach((t, i) => {
      const q = bank.byId.get(t.id);
      if (!q) throw new Error(`unknown question ${t.id}`);
      const right = q.type === 'truefalse' ? String(q.answer) : keyedLetters(q).join(',');
      const wrong = q.type === 'truefalse' ? String(!q.answer) : right === 'a' ? 'b' : 'a';
      expect(exam('answer', String(t.number), i === 0 ? wrong : right).code).toBe(0);
    });
    expect(exam('answer', String(questions[0]?.number), 'zz').code).toBe(2);
    expect(exam('flag', String(questions[1]?.number)).stdout).toMatch(/flagged/);
    for (const t of status.tasks.filter((x) => x.kind === 'lab')) {
      const lab = labs.get(t.id);
      if (!lab) throw new Error(`unknown lab ${t.id}`);
      const dir = join(status.workspace, `${String(t.number).padStart(2, '0')}-${t.id}`);
      // the learner replaces the starter files with their answer
      rmSync(dir, { recursive: true, force: true });
      cpSync(lab.solutionDir, dir, { recursive: true });
    }
    const submit = exam('submit', '-o', 'json');
    const result = JSON.parse(submit.stdout) as {
      score: { percent: number; domains: { domain: string; percent?: number; tasks: number }[] };
      outcomes: { index: number; score: number; flagged: boolean }[];
    };
    expect(result.outcomes.filter((o) => o.score === 1)).toHaveLength(status.tasks.length - 1);
    expect(result.outcomes.find((o) => o.index === (questions[1]?.number ?? 0) - 1)?.flagged).toBe(true);
    const covered = result.score.domains.filter((d) => d.tasks > 0);
    expect(covered.every((d) => d.percent !== undefined)).toBe(true);
    expect(result.score.percent).toBeGreaterThan(0);
    expect(result.score.percent).toBeLessThan(100);
    expect(submit.code).toBe(result.score.percent >= 68 ? 0 : 1);
    const history = JSON.parse(exam('history', '-o', 'json').stdout) as unknown[];
    expect(history).toHaveLength(1);
    expect(exam('status').code).toBe(2);
  });
});

describe('exam scoring gives no credit for work not done', () => {
  it('an untouched exam scores 0%; one task solved and two answers stay far below the pass line', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ica-exam-'));
    const env = { ICA_TRAINER_HOME: join(cwd, 'home') };
    const exam = (...args: string[]) => runCli(['exam', ...args], { cwd, env });
    // the default exam: the real exam's 15-20 performance tasks
    expect(exam('start', '--seed', '3').code).toBe(0);
    const status = JSON.parse(exam('status', '-o', 'json').stdout) as Status;
    const labTasks = status.tasks.filter((t) => t.kind === 'lab');
    expect(labTasks.length).toBeGreaterThanOrEqual(15);
    expect(labTasks.length).toBeLessThanOrEqual(20);
    const untouched = JSON.parse(exam('submit', '--yes', '-o', 'json').stdout) as {
      score: { percent: number; notScored: string[] };
    };
    expect(untouched.score.percent).toBe(0);

    // a second exam: the whole of one lab task (more than one weight change) and two right answers
    expect(exam('start', '--seed', '4').code).toBe(0);
    const s2 = JSON.parse(exam('status', '-o', 'json').stdout) as Status;
    const first = s2.tasks.find((t) => t.kind === 'lab');
    const lab = loadExercises().exercises.find((e) => e.id === first?.id);
    if (!first || !lab) throw new Error('no lab task');
    const dir = join(s2.workspace, `${String(first.number).padStart(2, '0')}-${first.id}`);
    rmSync(dir, { recursive: true, force: true });
    cpSync(lab.solutionDir, dir, { recursive: true });
    const bank = await loadQuizBank();
    for (const t of s2.tasks.filter((x) => x.kind === 'question').slice(0, 2)) {
      const q = bank.byId.get(t.id);
      if (!q) throw new Error(`unknown question ${t.id}`);
      expect(
        exam(
          'answer',
          String(t.number),
          q.type === 'truefalse' ? String(q.answer) : keyedLetters(q).join(','),
        ).code,
      ).toBe(0);
    }
    const submit = exam('submit', '--yes', '-o', 'json');
    const r = JSON.parse(submit.stdout) as { score: { percent: number; passed: boolean } };
    expect(submit.code).toBe(1);
    expect(r.score.passed).toBe(false);
    expect(r.score.percent).toBeGreaterThan(0);
    expect(r.score.percent).toBeLessThan(15);
  });
});

describe('exam integrity and grading one task', () => {
  it("locks the exam labs' hints and solutions, grades a task's folder on demand and from inside it, reviews after submitting", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ica-exam-'));
    const env = { ICA_TRAINER_HOME: join(cwd, 'home') };
    const run = (args: string[], at = cwd) => runCli(args, { cwd: at, env });
    expect(run(['exam', 'start', '--seed', '8', '--labs', '2', '--questions', '0']).code).toBe(0);
    const status = JSON.parse(run(['exam', 'status', '-o', 'json']).stdout) as Status;
    const task = status.tasks[0];
    if (task?.kind !== 'lab') throw new Error('expected a lab task first');
    const lab = loadExercises().exercises.find((e) => e.id === task.id);
    if (!lab) throw new Error(`unknown lab ${task.id}`);

    // locked everywhere on the command line
    const hint = run(['lab', 'hint', task.id]);
    expect(hint.code).toBe(2);
    expect(hint.stderr).toMatch(new RegExp(`lab ${task.id} is task 1 of the exam in progress .*locked`));
    expect(hint.stdout).toBe('');
    const solution = run(['lab', 'solution', task.id]);
    expect(solution.code).toBe(2);
    expect(solution.stderr).toMatch(/solution is locked until you submit or abandon/);
    expect(solution.stdout).toBe('');

    // the task text names the command that grades it
    expect(run(['exam', 'show', '1']).stdout).toMatch(/Grade this task: ica-trainer exam check 1/);
    const before = run(['exam', 'check', '1']);
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/\(met at the start: earns nothing\)|0 of [\d.]+ points so far/);

    // solve it; `lab check` from inside the task's folder grades that folder, with no hint on failure
    const dir = join(status.workspace, `01-${task.id}`);
    rmSync(dir, { recursive: true, force: true });
    cpSync(lab.solutionDir, dir, { recursive: true });
    const inside = run(['lab', 'check', task.id], dir);
    expect(inside.code).toBe(0);
    expect(inside.stdout).toMatch(/PASS/);
    const after = run(['exam', 'check', '1']);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/all \d+ criteria met|the 1 criterion to meet is met/);
    // the second lab, untouched, fails without a hint even through `lab check`
    const second = status.tasks[1];
    if (second?.kind === 'lab') {
      const other = run(['lab', 'check', second.id], join(status.workspace, `02-${second.id}`));
      expect(other.code).toBe(1);
      expect(other.stdout).not.toMatch(/Hint:/);
    }

    // after submitting, the review shows what was checked and the reference answer, and the locks lift
    expect(run(['exam', 'submit', '--yes']).code).toBeLessThan(2);
    const review = run(['exam', 'review', '1']);
    expect(review.code).toBe(0);
    expect(review.stdout).toMatch(/What was checked/);
    expect(review.stdout).toMatch(/Reference answer/);
    expect(review.stdout).toContain(readdirSync(lab.solutionDir)[0] ?? '');
    expect(run(['lab', 'hint', task.id]).code).toBe(0);
  });

  it("keeps the exam's questions out of quiz answer until it ends", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ica-exam-'));
    const env = { ICA_TRAINER_HOME: join(cwd, 'home') };
    const run = (args: string[]) => runCli(args, { cwd, env });
    expect(run(['exam', 'start', '--seed', '2', '--labs', '1', '--questions', '2']).code).toBe(0);
    const q = (JSON.parse(run(['exam', 'status', '-o', 'json']).stdout) as Status).tasks.find(
      (t) => t.kind === 'question',
    );
    if (!q) throw new Error('no question task');
    const question = (await loadQuizBank()).byId.get(q.id);
    if (!question) throw new Error(`unknown question ${q.id}`);
    const right = question.type === 'truefalse' ? String(question.answer) : keyedLetters(question).join(',');
    const refused = run(['quiz', 'answer', q.id, right]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`task ${q.number} of the exam in progress`);
    expect(refused.stdout).toBe('');
    expect(run(['exam', 'abandon', '--yes']).code).toBe(0);
    expect(run(['quiz', 'answer', q.id, right]).code).toBe(0);
  });

  it('abandoning asks for --yes, then lifts the locks', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ica-exam-'));
    const env = { ICA_TRAINER_HOME: join(cwd, 'home') };
    const run = (args: string[]) => runCli(args, { cwd, env });
    const started = run([
      'exam',
      'start',
      '--seed',
      '9',
      '--labs',
      '1',
      '--questions',
      '0',
      '--minutes',
      '1',
    ]);
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(/^1 task, 1 minute, pass line 68%, seed 9\.$/m);
    const id = (JSON.parse(run(['exam', 'status', '-o', 'json']).stdout) as Status).tasks[0]?.id ?? '';
    expect(run(['lab', 'solution', id]).code).toBe(2);
    expect(run(['exam', 'abandon']).code).toBe(2);
    expect(run(['exam', 'abandon', '--yes']).code).toBe(0);
    expect(run(['lab', 'solution', id]).code).toBe(0);
  });
});

describe('exam readiness', () => {
  it('shows the exam per domain and names the missed lab as the one to do next', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ica-exam-'));
    const env = { ICA_TRAINER_HOME: join(cwd, 'home') };
    const run = (args: string[]) => runCli(args, { cwd, env });
    expect(run(['exam', 'readiness']).stdout).toMatch(/none yet/);
    expect(run(['exam', 'start', '--seed', '5', '--labs', '1', '--questions', '0']).code).toBe(0);
    const id = (JSON.parse(run(['exam', 'status', '-o', 'json']).stdout) as Status).tasks[0]?.id ?? '';
    expect(run(['exam', 'submit', '--yes']).code).toBe(1);
    const text = run(['exam', 'readiness']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Traffic Management 0%|Troubleshooting 0%/);
    expect(text.stdout).toContain(`do this lab next: ${id} (missed in a recent exam)`);
    const json = JSON.parse(run(['exam', 'readiness', '-o', 'json']).stdout) as {
      trend: { percent: number }[];
      nextLabs: { id: string }[];
    };
    expect(json.trend).toHaveLength(1);
    expect(json.nextLabs.map((n) => n.id)).toContain(id);
  });
});

describe('lab watch during an exam', () => {
  it("watches the exam task's folder when run inside it, without hints", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ica-exam-'));
    const env = { ICA_TRAINER_HOME: join(cwd, 'home') };
    expect(
      runCli(['exam', 'start', '--seed', '8', '--labs', '1', '--questions', '0'], { cwd, env }).code,
    ).toBe(0);
    const status = JSON.parse(runCli(['exam', 'status', '-o', 'json'], { cwd, env }).stdout) as Status;
    const id = status.tasks[0]?.id ?? '';
    const dir = join(status.workspace, `01-${id}`);
    const bin = new URL('../../bin/ica-trainer.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [bin, 'lab', 'watch', id], {
      cwd: dir,
      env: { ...process.env, ...env, NO_COLOR: '1', ICA_TRAINER_FROM_SOURCE: '1' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      const deadline = Date.now() + 15_000;
      while (!/FAIL: /.test(out)) {
        if (Date.now() > deadline) throw new Error(`timed out; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // the folder it stands in, not ica-labs/<id>
      expect(out).toContain(`Watching ${dir} for ${id}`);
      expect(out).not.toMatch(/Hint:/);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
  });
});

describe('exam draw', () => {
  it('leaves out labs whose solution the learner revealed while others are left', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ica-exam-'));
    const env = { ICA_TRAINER_HOME: join(cwd, 'home') };
    const run = (args: string[]) => runCli(args, { cwd, env });
    const traffic = loadExercises().exercises.filter((e) => e.domain === 'Traffic Management');
    const revealed = traffic.slice(0, 5).map((e) => e.id);
    for (const id of revealed) expect(run(['lab', 'solution', id]).code).toBe(0);
    expect(run(['exam', 'start', '--seed', '1']).code).toBe(0);
    const drawn = (JSON.parse(run(['exam', 'status', '-o', 'json']).stdout) as Status).tasks
      .filter((t) => t.kind === 'lab' && t.domain === 'Traffic Management')
      .map((t) => t.id);
    // enough unrevealed Traffic Management labs remain for its share of the 17 tasks
    expect(traffic.length - revealed.length).toBeGreaterThanOrEqual(drawn.length);
    expect(drawn.filter((id) => revealed.includes(id))).toEqual([]);
  });
});

describe('an exam started before curriculum weighting', () => {
  it('loads and scores from a state file whose tasks carry no weights: by curriculum weight, out of 100 points', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ica-exam-old-'));
    const env = { ICA_TRAINER_HOME: join(cwd, 'home') };
    const exam = (...args: string[]) => runCli(['exam', ...args], { cwd, env });
    expect(exam('start', '--seed', '3').code).toBe(0);
    // the state file as an older trainer wrote it: no weight on the tasks
    const file = join(cwd, 'home', 'state.json');
    const state = JSON.parse(readFileSync(file, 'utf8')) as {
      exams: { active: { plan: { tasks: Record<string, unknown>[] } } };
    };
    for (const t of state.exams.active.plan.tasks) delete t.weight;
    writeFileSync(file, JSON.stringify(state));
    const status = exam('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/\(lab, [\d.]+ points?\)/);
    const submit = exam('submit', '--yes', '-o', 'json');
    expect(submit.stderr).not.toMatch(/Error|at .*\.ts:/);
    expect(submit.code).toBe(1);
    const r = JSON.parse(submit.stdout) as {
      score: { percent: number; points: number; domains: { weight: number; points?: number }[] };
    };
    expect(r.score.percent).toBe(0);
    expect(r.score.points).toBe(100);
    for (const d of r.score.domains) expect(d.points).toBe(d.weight);
  });
});
