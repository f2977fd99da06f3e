// Every bench/*.bench.ts exports a default function returning measured figures.
export interface BenchResult {
  /** what was measured */
  name: string;
  value: number;
  unit: string;
  /** context: sizes, counts, the aim */
  note?: string;
}

export type Bench = () => Promise<BenchResult[]>;

/** Median of repeated timings (ms) of `fn`, after one warm-up run. */
export async function medianMs(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}
