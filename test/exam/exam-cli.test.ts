// A mock exam taken end to end through the real binary, answers fed by the test.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
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
    expect(start.stdout).toMatch(/This exam covers/);
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
