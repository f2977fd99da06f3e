// `lab check --live --probe` on every lab: on a cluster whose mesh behaves as the
// simulator says (emulated-cluster.ts), each reference solution must pass when its
// behaviour criteria are measured by live traffic, and each starter must still fail;
// so must the wrong answers of test/labs/<id>/wrong-*, and the correct-* pass.
// A correct answer is never failed on the luck of a small sample, on what a probe
// cannot see, or on a probe too slow for its deadline.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradeWithProbes } from '../../src/cli/lab-probe.ts';
import { analyzeLoaded } from '../../src/core/analysis/analyze.ts';
import { loadPaths } from '../../src/core/config/load.ts';
import { type LoadedExercise, loadExercises } from '../../src/core/content/exercise-loader.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';
import type { LabResult } from '../../src/core/grading/types.ts';
import { emulatedCluster } from './emulated-cluster.ts';

const { exercises } = loadExercises();

async function gradeProbed(lab: LoadedExercise, dir: string): Promise<LabResult> {
  const load = await loadPaths([dir]);
  const { snapshot } = analyzeLoaded(load, {
    bookinfo: true,
    ...(lab.outboundMode ? { outboundMode: lab.outboundMode } : {}),
  });
  const cluster = emulatedCluster(snapshot);
  return gradeWithProbes((simulate) => gradeLab(lab, { dir, load, simulate }), {
    run: cluster.run,
    namespace: 'default',
  });
}

const failures = (r: LabResult) => r.criteria.filter((c) => !c.pass).map((c) => `${c.id}: ${c.reason}`);

const VARIANTS = new URL('../labs/', import.meta.url).pathname;

function variants(id: string): string[] {
  try {
    return readdirSync(`${VARIANTS}${id}`).filter((d) => /^(correct|wrong)-/.test(d));
  } catch {
    return [];
  }
}

describe('labs graded by live probes', () => {
  for (const lab of exercises.filter((e) => e.modes.includes('live'))) {
    it(`${lab.id}: the solution and the correct variants pass, the starter and the wrong ones fail`, async () => {
      const solution = await gradeProbed(lab, lab.solutionDir);
      expect(failures(solution)).toEqual([]);
      const starter = await gradeProbed(lab, lab.starterDir);
      expect(starter.pass).toBe(false);
      for (const v of variants(lab.id)) {
        const r = await gradeProbed(lab, `${VARIANTS}${lab.id}/${v}`);
        if (v.startsWith('correct-')) expect(failures(r), v).toEqual([]);
        else expect(r.pass, v).toBe(false);
      }
    });
  }
});
