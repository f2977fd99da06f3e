// The lab validity gate: an Error fails the "valid" criterion when it changes the
// lab's traffic or the API server would reject the resource, never for an empty
// subset that no route sends traffic to (the sample "destination rule for all").
import { describe, expect, it } from 'vitest';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';

const { exercises } = loadExercises();
const lab = (id: string) => {
  const e = exercises.find((x) => x.id === id);
  if (!e) throw new Error(`no lab ${id}`);
  return e;
};
const labs = new URL('../labs/', import.meta.url).pathname;

describe('lab validity gate', () => {
  it('passes "valid" with an unrouted empty subset and names it', async () => {
    const r = await gradeLab(lab('route-all-v1'), { dir: lab('route-all-v1').solutionDir });
    const valid = r.criteria.find((c) => c.id === 'valid')!;
    expect(valid.pass).toBe(true);
    expect(valid.reason).toMatch(
      /^no Error finding that changes traffic \(IST0173 DestinationRule default\/ratings/,
    );
    expect(valid.reason).toContain('no traffic reaches it today');
    // the finding is still there for the learner to see
    expect(r.findings.filter((f) => f.code === 'IST0173').length).toBeGreaterThan(0);
  });

  it('fails "valid" when the empty subset gets traffic', async () => {
    const r = await gradeLab(lab('canary-20'), { dir: `${labs}canary-20/wrong-canary-to-empty-subset` });
    const valid = r.criteria.find((c) => c.id === 'valid')!;
    expect(valid.pass).toBe(false);
    expect(valid.codes).toEqual(['IST0173']);
  });
});
