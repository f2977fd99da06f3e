// `npm run bench`: runs every bench/*.bench.ts (or those named on the command
// line) and prints their figures. Timings vary on shared machines: compare
// ratios from one run.
import { readdirSync } from 'node:fs';
import type { Bench, BenchResult } from './types.ts';

const dir = new URL('.', import.meta.url);
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: (BenchResult & { file: string })[] = [];
for (const file of files) {
  process.stderr.write(`bench: ${file} ...\n`);
  const mod = (await import(new URL(file, dir).href)) as { default: Bench };
  for (const r of await mod.default()) rows.push({ ...r, file });
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const width = Math.max(...rows.map((r) => r.name.length), 10);
process.stdout.write(`node ${process.version}, ${process.platform}/${process.arch}\n\n`);
for (const r of rows) {
  process.stdout.write(
    `${r.name.padEnd(width)}  ${fmt(r.value).padStart(10)} ${r.unit.padEnd(8)} ${r.note ?? ''}\n`,
  );
}
