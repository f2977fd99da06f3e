// A large input does not grow V8's young generation to its maximum (v8-flags-for-large-inputs.ts):
// the memory a user sees for analysing a 10,000-resource dump; nor does it compile hot
// functions with TurboFan (the CPU it costs). Checked in a fresh process, as the CLI
// runs, since the test runner's own heap has grown already.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const LOAD = new URL('../../src/core/config/load.ts', import.meta.url).pathname;
const GENERATE = new URL('../../bench/generate.ts', import.meta.url).pathname;

function newSpaceMb(env: Record<string, string> = {}): number {
  const script = `
    import v8 from 'node:v8';
    const { loadText } = await import(${JSON.stringify(LOAD)});
    const { meshYaml } = await import(${JSON.stringify(GENERATE)});
    const load = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
    loadText(meshYaml(1500), 'mesh.yaml', load);
    if (load.resources.length !== 6000) throw new Error('loaded ' + load.resources.length);
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(String(space.space_size / 1048576));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(r.stderr).toBe('');
  return Number(r.stdout);
}

describe('loading a large input', () => {
  it('keeps the young generation small; a semi-space flag of the user wins', () => {
    expect(newSpaceMb()).toBeLessThan(8);
    expect(newSpaceMb({ NODE_OPTIONS: '--max-semi-space-size=64' })).toBeGreaterThan(16);
  }, 60_000);
});

/** Does a function V8 is told to optimize after loading get TurboFan's code? */
function turbofannedAfterLoading(yaml: string, nodeArgs: string[] = []): boolean {
  const script = `
    const { loadText } = await import(${JSON.stringify(LOAD)});
    const { meshYaml } = await import(${JSON.stringify(GENERATE)});
    const load = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
    loadText(${yaml}, 'mesh.yaml', load);
    function f(x) { return x * 2 + 1; }
    %PrepareFunctionForOptimization(f); f(1); f(2); %OptimizeFunctionOnNextCall(f); f(3);
    process.stdout.write(String((%GetOptimizationStatus(f) & 64) !== 0));`;
  const r = spawnSync(
    process.execPath,
    [...nodeArgs, '--allow-natives-syntax', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
    },
  );
  expect(r.stderr).toBe('');
  return r.stdout === 'true';
}

describe('loading a large input, compilers', () => {
  it("skips TurboFan from then on (a small input does not); the user's own turbofan flag wins", () => {
    expect(turbofannedAfterLoading('meshYaml(10)')).toBe(true);
    expect(turbofannedAfterLoading('meshYaml(1500)')).toBe(false);
    expect(turbofannedAfterLoading('meshYaml(1500)', ['--turbofan'])).toBe(true);
  }, 60_000);
});
