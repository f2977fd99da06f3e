// Words a newcomer knows: the trainer stands alone, so nothing a learner reads
// refers to a course text they may not have ("the module", "§ 4.1", "war story").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQuizBank } from '../../src/core/content/quiz-loader.ts';
import { SECTIONS, sectionLabel } from '../../src/core/content/quiz-schema.ts';

const root = new URL('../../', import.meta.url).pathname;
const JARGON = /\bthe module\b|\bmodule 1\.2\b|§|\bwar story\b|\bthe course\b|\bcourse's\b/i;

function files(dir: string, match: RegExp): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => match.test(f))
    .map((f) => join(dir, f));
}

/** The lines a learner reads in a source file: not comments. */
function visibleLines(file: string): string[] {
  return readFileSync(join(root, file), 'utf8')
    .split('\n')
    .filter((l) => !/^\s*(\/\/|\*|\/\*|#)/.test(l));
}

describe('words a newcomer knows', () => {
  it('no question, lab, finding text or screen refers to a course text', () => {
    const sources = [
      ...files('quizzes', /\.yaml$/),
      ...files('exercises', /(README\.md|exercise\.yaml)$/),
      ...files('src/core/analysis/catalog', /\.ts$/),
      ...files('src/ui/screens', /\.ts$/),
      ...files('src/cli', /\.ts$/),
    ];
    const hits = sources.flatMap((f) =>
      visibleLines(f)
        .filter((l) => JARGON.test(l) && !/^\s*section: /.test(l))
        .map((l) => `${f}: ${l.trim()}`),
    );
    expect(hits).toEqual([]);
  });

  it('sections are shown as topics in plain words', async () => {
    for (const s of SECTIONS) {
      expect(sectionLabel(s), s).not.toMatch(JARGON);
      expect(sectionLabel(s), s).not.toMatch(/^\d/);
    }
    expect(sectionLabel('4.2 Retries')).toBe('Retries');
    expect(sectionLabel('War Story', true)).toBe('Topic: From a real incident');
    const bank = await loadQuizBank();
    expect(bank.questions.length).toBeGreaterThan(0);
  });

  it("lab texts give Envoy's JWT 401 body per reason, not one body for every failure", () => {
    for (const f of files('exercises', /README\.md$/))
      expect(readFileSync(join(root, f), 'utf8'), f).not.toMatch(
        /\(signature, issuer, expiry, audience\)\s+gets `401 Jwt verification fails`/,
      );
  });
});
