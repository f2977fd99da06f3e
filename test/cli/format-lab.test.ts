// lab check's text: a finding cited by several failed criteria is explained once (its
// why/fix/docs under its first mention, "explained above" after), and the Warning that
// names the real cause (IST0174 for a DestinationRule host cut short) is shown.
import { describe, expect, it } from 'vitest';
import { labResultToText } from '../../src/cli/format-lab.ts';
import { palette } from '../../src/cli/output.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';

const plain = palette(false);

describe('lab check text', () => {
  it('explains each finding once and shows the Warning behind a missing subset', async () => {
    const lab = loadExercises().exercises.find((e) => e.id === 'fix-missing-subset')!;
    const dir = new URL('../labs/fix-missing-subset/wrong-dr-host-cut-short', import.meta.url).pathname;
    const text = labResultToText(await gradeLab(lab, { dir }), plain);
    const whys = text.split('\n').filter((l) => l.trim().startsWith('why:'));
    expect(whys).toHaveLength(new Set(whys).size); // no explanation printed twice
    expect(
      text.match(/IST0174 DestinationRule for non-existent service reviews\.default/g)?.length,
    ).toBeGreaterThan(1);
    expect(text.match(/\(explained above\)/g)?.length).toBeGreaterThan(0);
    expect(text).toContain(
      'fix: A host with a dot is taken as written, not completed like a short name: write the short name (reviews) or the full name (reviews.default.svc.cluster.local)',
    );
    // the valid criterion, failed by IST0101 host+subset, names the Warning too
    const valid = text.slice(0, text.indexOf('✗ Requests to reviews'));
    expect(valid).toContain('IST0174');
  });
});
