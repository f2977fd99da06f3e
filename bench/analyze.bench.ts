// Analysing large inputs against parsing the same YAML with js-yaml (the floor: the
// analyzer parses with positions, then checks), in fresh processes. Shapes: the mesh
// (VS/DR/GW/SE per host) at 2,500, 10,000 and 100,000 resources to show linear
// growth; gateway-heavy (a Gateway per service, as chart generators write) and
// hosts-heavy (twenty hosts per resource, wildcards) at 10,000; one VirtualService
// with 300,000 hosts; 5,000 VirtualServices for one host. The analysis runs as the
// CLI does: loading 1 MiB or more keeps V8's young generation from growing and
// skips TurboFan (config/v8-flags-for-large-inputs.ts); the bare parse runs with Node's
// defaults (the same settings leave its CPU time unchanged and lower its memory). Compare the CPU
// ratio on a busy machine: wall time there mostly measures waiting for a core.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayHeavyYaml, hostsHeavyYaml, meshYaml, oneVsManyHostsYaml, sameHostYaml } from './generate.ts';
import type { BenchResult } from './types.ts';

interface Run {
  ms: number;
  cpuMs: number;
  count: number;
  maxRssMb: number;
  startRssMb: number;
}

function once(file: string, mode: 'parse' | 'analyze'): Run {
  const script = new URL('./analyze-once.ts', import.meta.url).pathname;
  const r = spawnSync(process.execPath, [script, file, mode], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Run;
}

/** Each figure's median over the runs. */
function median(runs: Run[]): Run {
  const mid = <K extends keyof Run>(key: K): Run[K] =>
    runs.map((r) => r[key]).sort((a, b) => (a as number) - (b as number))[
      Math.floor(runs.length / 2)
    ] as Run[K];
  return {
    ms: mid('ms'),
    cpuMs: mid('cpuMs'),
    count: mid('count'),
    maxRssMb: mid('maxRssMb'),
    startRssMb: mid('startRssMb'),
  };
}

/** Parse and analysis runs taken in turn, so that a busy spell on a shared machine hits both alike. */
function measure(file: string, runs: number): { parse: Run; analyze: Run } {
  const parses: Run[] = [];
  const analyses: Run[] = [];
  for (let i = 0; i < runs; i++) {
    parses.push(once(file, 'parse'));
    analyses.push(once(file, 'analyze'));
  }
  return { parse: median(parses), analyze: median(analyses) };
}

interface Shape {
  name: string;
  resources: number;
  yaml: () => string;
  runs: number;
}

const SHAPES: Shape[] = [
  { name: 'mesh', resources: 2_500, yaml: () => meshYaml(625), runs: 5 },
  { name: 'mesh', resources: 10_000, yaml: () => meshYaml(2_500), runs: 5 },
  { name: 'gateway-heavy', resources: 10_000, yaml: () => gatewayHeavyYaml(2_500), runs: 3 },
  { name: 'hosts-heavy', resources: 10_000, yaml: () => hostsHeavyYaml(10_000), runs: 3 },
  { name: 'mesh', resources: 100_000, yaml: () => meshYaml(25_000), runs: 1 },
  { name: 'one VS, 300,000 hosts', resources: 1, yaml: () => oneVsManyHostsYaml(300_000), runs: 1 },
  { name: '5,000 VS for one host', resources: 5_000, yaml: () => sameHostYaml(5_000), runs: 1 },
];

export default async function bench(): Promise<BenchResult[]> {
  const only = process.env.ICA_BENCH_SHAPES?.split(',');
  const dir = mkdtempSync(join(tmpdir(), 'ica-bench-'));
  const out: BenchResult[] = [];
  const analyzeMs = new Map<string, number>();
  try {
    for (const shape of SHAPES) {
      const label = `${shape.name}, ${shape.resources.toLocaleString('en-US')}`;
      if (only && !only.some((o) => label.includes(o))) continue;
      const file = join(dir, 'input.yaml');
      const text = shape.yaml();
      writeFileSync(file, text);
      const { parse, analyze } = measure(file, shape.runs);
      analyzeMs.set(label, analyze.ms);
      const size = `${(text.length / 1e6).toFixed(1)} MB`;
      out.push({ name: `parse only (js-yaml loadAll): ${label}`, value: parse.ms, unit: 'ms', note: size });
      out.push({
        name: `analyze: ${label}`,
        value: analyze.ms,
        unit: 'ms',
        note: `${analyze.count} findings; ${(analyze.ms / parse.ms).toFixed(2)}x the bare parse (CPU ${analyze.cpuMs.toFixed(0)} ms, ${(analyze.cpuMs / parse.cpuMs).toFixed(2)}x); peak RSS ${analyze.maxRssMb.toFixed(0)} MB (${analyze.startRssMb.toFixed(0)} MB before reading the input)`,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const small = analyzeMs.get('mesh, 2,500');
  const large = analyzeMs.get('mesh, 10,000');
  const huge = analyzeMs.get('mesh, 100,000');
  if (small && large) {
    out.push({
      name: 'growth mesh 2,500 -> 10,000',
      value: large / small,
      unit: 'x',
      note: '4x means linear',
    });
  }
  if (large && huge) {
    out.push({
      name: 'growth mesh 10,000 -> 100,000',
      value: huge / large,
      unit: 'x',
      note: '10x means linear',
    });
  }
  return out;
}
