// The quiz and progress commands: in-process through a fresh commander
// program, and end to end through the real binary.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/cli/output.ts';
import { registerQuiz } from '../../src/cli/quiz.ts';
import { loadQuizBank } from '../../src/core/content/quiz-loader.ts';
import type { YamlQuestion } from '../../src/core/content/quiz-schema.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'ica-trainer.js');
const bank = await loadQuizBank();
const yamlQ = bank.byId.get('traffic-shifting-01') as YamlQuestion;
const SINGLE = 'core-resources-01'; // keyed c, domain Traffic Management

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ica-cli-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('registerQuiz on a fresh program', () => {
  async function run(...args: string[]): Promise<{ code: number | undefined; out: string }> {
    const program = new Command('ica-trainer').exitOverride().enablePositionalOptions();
    registerQuiz(program);
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const saved = { home: process.env.ICA_TRAINER_HOME, color: process.env.NO_COLOR };
    process.env.ICA_TRAINER_HOME = home;
    process.env.NO_COLOR = '1';
    process.exitCode = undefined;
    try {
      await program.parseAsync(['node', 'ica-trainer', ...args]);
      return { code: process.exitCode as number | undefined, out };
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
      if (saved.home === undefined) delete process.env.ICA_TRAINER_HOME;
      else process.env.ICA_TRAINER_HOME = saved.home;
      if (saved.color === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved.color;
    }
  }

  it('registers quiz list/show/answer and progress', () => {
    const program = new Command();
    registerQuiz(program);
    const quiz = program.commands.find((c) => c.name() === 'quiz');
    expect(quiz?.commands.map((c) => c.name()).sort()).toEqual(['answer', 'list', 'show']);
    expect(program.commands.some((c) => c.name() === 'progress')).toBe(true);
  });

  it('answers right (0) and wrong (1), explaining every option', async () => {
    const right = await run('quiz', 'answer', SINGLE, 'c');
    expect(right.code).toBe(0);
    expect(right.out).toMatch(/^✓ Right\./);
    expect(right.out).toContain('(your choice)');
    const wrong = await run('quiz', 'answer', SINGLE, 'a');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/✗ Wrong\. The answer is c; you chose a\./);
    expect(wrong.out).toContain('This swaps the roles');
    const state = JSON.parse(await readFile(join(home, 'state.json'), 'utf8'));
    expect(state.quiz.cards[SINGLE]).toMatchObject({ seen: 2, correct: 1, lastCorrect: false });
    expect(state.quiz.history.map((h: { rating: string }) => h.rating)).toEqual(['Good', 'Again']);
  });

  it('names the topic and links the istio.io page behind a question after it is answered', async () => {
    const { out } = await run('quiz', 'answer', 'mtls-01', 'b');
    expect(out).toContain('Read more: https://istio.io/latest/docs/concepts/security/#peer-authentication');
    expect(out).toMatch(/^Topic: mTLS/m);
  });

  it('lists questions as JSON without their answers', async () => {
    const { out, code } = await run('quiz', 'list', '--topic', 'mirroring', '-o', 'json');
    expect(code).toBe(0);
    const list = JSON.parse(out) as Record<string, unknown>[];
    expect(list.length).toBe(bank.questions.filter((q) => q.topic === 'mirroring').length);
    expect(list.every((q) => q.topic === 'mirroring' && !('answer' in q) && !('answers' in q))).toBe(true);
  });

  it('turns an unknown id or a bad answer into a UserError (exit 2)', async () => {
    await expect(run('quiz', 'answer', 'no-such-question', 'a')).rejects.toThrow(UserError);
    await expect(run('quiz', 'answer', SINGLE, 'z')).rejects.toThrow(
      /expected one option letter from a to d/,
    );
    await expect(run('quiz', 'list', '--topic', 'nope')).rejects.toThrow(/unknown topic "nope"/);
  });

  it('stops with exit 2 when the state file was corrupt (moved aside, nothing recorded)', async () => {
    await writeFile(join(home, 'state.json'), '{"version": 1, "quiz": ');
    await expect(run('quiz', 'answer', SINGLE, 'c')).rejects.toThrow(
      /kept as .*corrupt.*Nothing was recorded/,
    );
    await expect(run('progress')).resolves.toMatchObject({ code: 0 });
  });

  it('reports progress per domain', async () => {
    await run('quiz', 'answer', SINGLE, 'c');
    const { out } = await run('progress', '-o', 'json');
    const p = JSON.parse(out);
    const tm = p.quiz.domains.find((d: { domain: string }) => d.domain === 'Traffic Management');
    expect(tm).toMatchObject({ seen: 1, answers: 1, correct: 1, accuracy: 1, due: 0 });
    expect(p.quiz.domains.map((d: { domain: string }) => d.domain)).toEqual([
      'Installation, Upgrades, and Configuration',
      'Traffic Management',
      'Securing Workloads',
      'Troubleshooting',
    ]);
    const text = await run('progress');
    expect(text.out).toMatch(/Traffic Management\s+35%\s+1\/\d+\s+100%/);
  });
});

// The real binary, run from the sources (never a stale dist/).
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function bin(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ICA_TRAINER_HOME: home,
          NO_COLOR: '1',
          FORCE_COLOR: '0',
          ICA_TRAINER_FROM_SOURCE: '1',
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    child.stdin?.end(input ?? '');
  });
}

describe('ica-trainer quiz answer (the binary)', () => {
  it('exits 0 for a right answer and 1 for a wrong one, printing the explanation', async () => {
    const right = await bin(['quiz', 'answer', SINGLE, 'c']);
    expect(right).toMatchObject({ code: 0, stderr: '' });
    expect(right.stdout).toContain('Think of the VirtualService as the routing decision');
    const wrong = await bin(['quiz', 'answer', 'fault-injection-05', 'false']);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/The statement is true/);
  });

  it('grades a YAML answer from a file and from stdin', async () => {
    const path = join(home, 'answer.yaml');
    await writeFile(path, yamlQ.reference);
    const right = await bin(['quiz', 'answer', yamlQ.id, path]);
    expect(right.code).toBe(0);
    expect(right.stdout).toMatch(/passes every check/);
    const wrong = await bin(['quiz', 'answer', yamlQ.id, '-'], yamlQ.wrong[0]?.yaml);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/88\.9% to v1/);
    expect(wrong.stdout).toContain('A reference answer:');
  });

  it('a YAML answer that does not parse is not graded or recorded: file:line and exit 2', async () => {
    const path = join(home, 'typo.yaml');
    await writeFile(
      path,
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: x\n   bad: [\n',
    );
    const r = await bin(['quiz', 'answer', yamlQ.id, path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path}:5:`);
    expect(r.stderr).toMatch(/does not parse, so it was not graded or recorded/);
    expect(r.stdout).not.toContain('A reference answer');
    expect(await readdir(home)).not.toContain('state.json');
  });

  it('records a right answer as Good unless --rating says how hard it was; a wrong one is Again', async () => {
    expect((await bin(['quiz', 'answer', SINGLE, 'c'])).code).toBe(0);
    expect((await bin(['quiz', 'answer', SINGLE, 'c', '--rating', 'hard'])).code).toBe(0);
    expect((await bin(['quiz', 'answer', SINGLE, 'a', '--rating', 'easy'])).code).toBe(1);
    const state = JSON.parse(await readFile(join(home, 'state.json'), 'utf8'));
    expect(state.quiz.history.map((h: { rating: string }) => h.rating)).toEqual(['Good', 'Hard', 'Again']);
  });

  it('-n means a namespace, as in kubectl: the quiz refuses it and names --questions', async () => {
    const r = await bin(['quiz', '-n', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-n 5: -n means a namespace .*--questions 5/);
  });

  it('exits 2 with one clear line for an unknown id, a bad answer or a missing file', async () => {
    for (const args of [
      ['quiz', 'answer', 'no-such-id', 'a'],
      ['quiz', 'answer', SINGLE, 'a,b'],
      ['quiz', 'answer', yamlQ.id, join(home, 'missing.yaml')],
    ]) {
      const r = await bin(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^ica-trainer: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('moves a corrupt state file aside and exits 2 with one clear message; the next run starts afresh', async () => {
    await writeFile(join(home, 'state.json'), 'not json at all');
    const r = await bin(['quiz', 'answer', SINGLE, 'c']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /was unusable: it is not valid JSON.*kept as .*state\.json\.corrupt-.*run the command again/,
    );
    const names = await readdir(home);
    expect(names.some((n) => n.startsWith('state.json.corrupt-'))).toBe(true);
    expect(names).not.toContain('state.json');
    const again = await bin(['quiz', 'answer', SINGLE, 'c']);
    expect(again.code).toBe(0);
    expect(await readdir(home)).toContain('state.json');
  });

  it('exits 2 for a state file from a newer release, leaving it untouched', async () => {
    await mkdir(home, { recursive: true });
    const text = JSON.stringify({ version: 99 });
    await writeFile(join(home, 'state.json'), text);
    const r = await bin(['quiz', 'answer', SINGLE, 'c']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/format version 99/);
    expect(await readFile(join(home, 'state.json'), 'utf8')).toBe(text);
  });
});
