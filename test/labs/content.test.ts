// The labs check themselves (DESIGN convention 3): every lab loads and is valid;
// its starter FAILS, its reference solution PASSES; at least two alternative
// correct answers (test/labs/<id>/correct-*/) pass, and at least three typical
// wrong answers (test/labs/<id>/wrong-*/) fail with an explanation naming the cause.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LoadedExercise, loadExercises } from '../../src/core/content/exercise-loader.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';
import type { LabResult } from '../../src/core/grading/types.ts';

const variantsRoot = new URL('./', import.meta.url).pathname;
const { exercises, problems } = loadExercises();

/** test/labs/ID/wrong-NAME/expect.json (JSON, so that the grader does not read it as input) */
interface WrongExpectation {
  /** what the mistake is (documentation) */
  why?: string;
  /** criteria ids that must fail */
  fail: string[];
  /** codes that must appear behind the failure (any failing criterion) */
  codes?: string[];
  /** regex that must match a failing criterion's reason or one of its findings' messages */
  reason?: string;
}

function summary(r: LabResult): string {
  return r.criteria
    .map((c) => `${c.pass ? '✓' : '✗'} ${c.id}: ${c.reason} [${c.codes.join(',')}]`)
    .join('\n');
}

function variants(id: string, prefix: 'correct-' | 'wrong-'): string[] {
  const dir = join(variantsRoot, id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => d.startsWith(prefix))
    .map((d) => join(dir, d));
}

describe('lab content', () => {
  it('every lab loads without problems', () => {
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([]);
    expect(exercises.length).toBeGreaterThan(0);
  });

  it('every lab links the istio.io page that covers it', () => {
    const without = exercises.filter((e) => !e.docs?.startsWith('https://istio.io/')).map((e) => e.id);
    expect(without).toEqual([]);
  });

  it('every grader has a check for each criterion and no other', async () => {
    const { loadGrader } = await import('../../src/core/grading/grade.ts');
    for (const e of exercises) {
      const g = await loadGrader(e.grader);
      expect(Object.keys(g.checks).sort(), e.id).toEqual(e.criteria.map((c) => c.id).sort());
    }
  });
});

for (const e of exercises as LoadedExercise[]) {
  describe(`lab ${e.id}`, () => {
    let solution: LabResult;
    beforeAll(async () => {
      solution = await gradeLab(e, { dir: e.solutionDir });
    });

    it('the reference solution passes', () => {
      expect(solution.pass, summary(solution)).toBe(true);
    });

    it('the starter fails', async () => {
      const r = await gradeLab(e, { dir: e.starterDir });
      expect(r.pass, summary(r)).toBe(false);
    });

    const correct = variants(e.id, 'correct-');
    it('has at least two alternative correct answers', () => {
      expect(correct.length).toBeGreaterThanOrEqual(2);
    });
    for (const dir of correct) {
      it(`alternative ${dir.split('/').pop()} passes`, async () => {
        const r = await gradeLab(e, { dir });
        expect(r.pass, summary(r)).toBe(true);
      });
    }

    const wrong = variants(e.id, 'wrong-');
    it('has at least three typical wrong answers', () => {
      expect(wrong.length).toBeGreaterThanOrEqual(3);
    });
    for (const dir of wrong) {
      it(`wrong answer ${dir.split('/').pop()} fails and says why`, async () => {
        const expectation = JSON.parse(readFileSync(join(dir, 'expect.json'), 'utf8')) as WrongExpectation;
        const r = await gradeLab(e, { dir });
        const text = summary(r);
        expect(r.pass, text).toBe(false);
        const failed = r.criteria.filter((c) => !c.pass);
        for (const id of expectation.fail)
          expect(
            failed.map((c) => c.id),
            text,
          ).toContain(id);
        for (const code of expectation.codes ?? [])
          expect(
            failed.flatMap((c) => c.codes),
            text,
          ).toContain(code);
        if (expectation.reason) {
          const re = new RegExp(expectation.reason);
          const texts = failed.flatMap((c) => [c.reason, ...c.findings.map((f) => f.message)]);
          expect(
            texts.some((t) => re.test(t)),
            `${text}\n${texts.join('\n')}`,
          ).toBe(true);
        }
      });
    }
  });
}
