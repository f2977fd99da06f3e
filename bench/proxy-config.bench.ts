// proxy-config on a large mesh: 10,000 resources (2,500 hosts with a
// VirtualService, DestinationRule, Gateway and ServiceEntry each). The command
// in a fresh process (load + compile + table), and the tables alone on a
// loaded snapshot, for a sidecar and for the ingress gateway (every Gateway
// selects it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePaths } from '../src/core/analysis/analyze.ts';
import * as envoy from '../src/core/envoy/index.ts';
import { SimMesh } from '../src/core/sim/mesh.ts';
import { meshYaml } from './generate.ts';
import { type BenchResult, medianMs } from './types.ts';

const bin = new URL('../bin/ica-trainer.js', import.meta.url).pathname;

function cliMs(args: string[]): { ms: number; lines: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ICA_TRAINER_FROM_SOURCE: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(r.stderr);
  return { ms, lines: r.stdout.split('\n').length - 1 };
}

export default async function bench(): Promise<BenchResult[]> {
  const hosts = 2500;
  const dir = mkdtempSync(join(tmpdir(), 'ica-bench-pc-'));
  const file = join(dir, 'mesh.yaml');
  writeFileSync(file, meshYaml(hosts));
  const out: BenchResult[] = [];
  const size = `${hosts * 4} resources`;
  for (const [type, proxy] of [
    ['routes', 'deploy/productpage-v1'],
    ['clusters', 'deploy/productpage-v1'],
    ['routes', 'istio-ingressgateway'],
  ] as const) {
    const runs = [0, 1, 2].map(() => cliMs(['proxy-config', type, proxy, file])).sort((a, b) => a.ms - b.ms);
    const mid = runs[1]!;
    out.push({
      name: `proxy-config ${type} ${proxy}, fresh process`,
      value: mid.ms,
      unit: 'ms',
      note: `${size}, ${mid.lines} lines; median of 3; aim < 1000 ms`,
    });
  }
  const { snapshot } = await analyzePaths([file], { rules: [] });
  for (const name of ['deploy/productpage-v1', 'istio-ingressgateway']) {
    const ms = await medianMs(5, () => {
      // a freshly compiled mesh each time: nothing cached from the previous run
      const view = new envoy.EnvoyView(snapshot, new SimMesh(snapshot));
      const proxy = envoy.resolveProxy(view.mesh, name, 'default');
      envoy.routesTable(envoy.routeConfigs(view, proxy));
      envoy.clustersTable(envoy.clusterEntries(view, proxy));
      envoy.endpointsTable(envoy.endpointAssignments(view, proxy));
      envoy.listenersTable(envoy.listeners(view, proxy));
    });
    out.push({
      name: `proxy-config tables (routes+clusters+endpoints+listeners) ${name}, compiling the mesh`,
      value: ms,
      unit: 'ms',
      note: `${size}; median of 5`,
    });
  }
  return out;
}
