// Grading a lab's reference solution (what `lab check` and each `lab watch`
// re-grade cost, before the watch's debounce).
import { loadExercises } from '../src/core/content/exercise-loader.ts';
import { gradeLab } from '../src/core/grading/grade.ts';
import { type BenchResult, medianMs } from './types.ts';

export default async function bench(): Promise<BenchResult[]> {
  const { exercises } = loadExercises();
  const times: { id: string; ms: number }[] = [];
  for (const e of exercises) {
    times.push({ id: e.id, ms: await medianMs(3, () => gradeLab(e, { dir: e.solutionDir })) });
  }
  times.sort((a, b) => a.ms - b.ms);
  const median = times[Math.floor(times.length / 2)];
  const slowest = times[times.length - 1];
  return [
    {
      name: 'grade a lab solution, median over labs',
      value: median?.ms ?? 0,
      unit: 'ms',
      note: `${times.length} labs`,
    },
    {
      name: 'grade a lab solution, slowest lab',
      value: slowest?.ms ?? 0,
      unit: 'ms',
      note: slowest?.id ?? '',
    },
  ];
}
