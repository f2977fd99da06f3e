// Analysing a large mesh (VS/DR/GW/SE) against parsing the same YAML with
// js-yaml, at two sizes to show that cost grows linearly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meshYaml } from './generate.ts';
import type { BenchResult } from './types.ts';

interface Run {
  ms: number;
  count: number;
  maxRssMb: number;
}

function once(file: string, mode: 'parse' | 'analyze'): Run {
  const script = new URL('./analyze-once.ts', import.meta.url).pathname;
  const r = spawnSync(process.execPath, [script, file, mode], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Run;
}

function median(file: string, mode: 'parse' | 'analyze', runs = 5): Run {
  const all = Array.from({ length: runs }, () => once(file, mode)).sort((a, b) => a.ms - b.ms);
  return all[Math.floor(runs / 2)] as Run;
}

export default async function bench(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ica-bench-'));
  const out: BenchResult[] = [];
  const results: Record<number, { parse: Run; analyze: Run }> = {};
  for (const hosts of [625, 2500]) {
    const file = join(dir, `mesh-${hosts}.yaml`);
    const text = meshYaml(hosts);
    writeFileSync(file, text);
    const parse = median(file, 'parse');
    const analyze = median(file, 'analyze');
    results[hosts] = { parse, analyze };
    const size = `${hosts * 4} resources, ${hosts} hosts, ${(text.length / 1e6).toFixed(1)} MB`;
    out.push({ name: `parse only (js-yaml loadAll), ${hosts * 4}`, value: parse.ms, unit: 'ms', note: size });
    out.push({
      name: `analyze (load+schemas+rules), ${hosts * 4}`,
      value: analyze.ms,
      unit: 'ms',
      note: `${analyze.count} findings; ${(analyze.ms / parse.ms).toFixed(2)}x the bare parse`,
    });
    out.push({ name: `analyze peak RSS, ${hosts * 4}`, value: analyze.maxRssMb, unit: 'MB' });
  }
  const small = results[625];
  const large = results[2500];
  if (small && large) {
    out.push({
      name: 'growth 2,500 -> 10,000 resources',
      value: large.analyze.ms / small.analyze.ms,
      unit: 'x',
      note: '4x means linear',
    });
  }
  return out;
}
