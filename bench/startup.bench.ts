// Cold start of the CLI against the floor of any Node program (`node -e 0`).
// Runs the compiled dist/ (built by `npm install`/`npm run build`) as users do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { BenchResult } from './types.ts';

const bin = new URL('../bin/ica-trainer.js', import.meta.url).pathname;
const dist = new URL('../dist/src/cli/main.js', import.meta.url).pathname;

function medianWall(args: string[], runs = 15): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] ?? 0;
}

export default async function bench(): Promise<BenchResult[]> {
  const floor = medianWall(['-e', '0']);
  const out: BenchResult[] = [{ name: 'node -e 0', value: floor, unit: 'ms' }];
  const note = existsSync(dist) ? 'compiled dist/' : 'from sources (run npm run build first)';
  for (const args of [['--version'], ['--help'], ['analyze', '--help']]) {
    const ms = medianWall([bin, ...args]);
    out.push({
      name: `ica-trainer ${args.join(' ')}`,
      value: ms,
      unit: 'ms',
      note: `${(ms / floor).toFixed(2)}x node -e 0; ${note}`,
    });
  }
  return out;
}
