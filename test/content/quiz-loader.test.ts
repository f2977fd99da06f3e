import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatQuizProblem, loadQuizBank } from '../../src/core/content/quiz-loader.ts';

const dir = fileURLToPath(new URL('../fixtures/quiz/bank/', import.meta.url));

describe('loadQuizBank', async () => {
  const bank = await loadQuizBank(dir);
  const messages = bank.problems.map(formatQuizProblem);

  it('loads the good files and the good questions of a bad file', () => {
    expect(bank.questions.map((q) => q.id).sort()).toEqual(['alpha-one', 'alpha-two', 'bravo-good']);
    expect(bank.byId.get('bravo-good')?.topic).toBe('bravo');
    expect(bank.byId.get('alpha-one')?.file).toMatch(/alpha\.yaml$/);
  });

  it('reports a missing field with the file and the field path', () => {
    expect(messages).toContainEqual(
      expect.stringMatching(
        /fixtures\/quiz\/bank\/bravo\.yaml: questions\[1\]\.answer: Required \(line \d+\)$/,
      ),
    );
  });

  it('reports a keyed answer that is not an option', () => {
    expect(messages).toContainEqual(
      expect.stringMatching(/bravo\.yaml: questions\[2\]\.answer: "e" is not an option/),
    );
  });

  it('reports a duplicate id and keeps the first', () => {
    expect(messages).toContainEqual(
      expect.stringMatching(/bravo\.yaml: questions\[3\]\.id: "alpha-one" is already used in .*alpha\.yaml/),
    );
    expect(bank.byId.get('alpha-one')?.type).toBe('single');
  });

  it('reports a docs link that is not an istio.io page', () => {
    expect(messages).toContainEqual(
      expect.stringMatching(/bravo\.yaml: questions\[4\]\.docs: must be an https:\/\/istio\.io\/ URL/),
    );
  });

  it('reports a YAML syntax error with its line', () => {
    expect(messages).toContainEqual(
      expect.stringMatching(/charlie\.yaml: YAML syntax error: .* \(line \d+\)/),
    );
  });

  it('reports a topic that does not match the file name', () => {
    expect(messages).toContainEqual(expect.stringMatching(/delta\.yaml: topic: is "wrong-name"/));
  });

  it('reports an unreadable folder instead of throwing', async () => {
    const missing = await loadQuizBank(`${dir}does-not-exist`);
    expect(missing.questions).toEqual([]);
    expect(missing.problems[0]?.message).toMatch(/cannot read the quiz folder/);
  });
});
