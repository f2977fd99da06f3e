// The command runner: argument arrays, timeouts, failures that carry their output.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  clusterRecordPath,
  forgetClusterRecord,
  readClusterRecord,
  recordedContext,
  writeClusterRecord,
} from '../../src/core/cluster/cluster-state.ts';
import { missingTools } from '../../src/core/cluster/cluster-up-preflight.ts';
import {
  CommandError,
  execaRunner,
  findOnPath,
  formatCommandLine,
  formatDuration,
  goDuration,
  runChecked,
  tailLines,
} from '../../src/core/cluster/exec.ts';
import { istioVersionFromImage } from '../../src/core/cluster/istioctl.ts';
import { clusterNameProblem } from '../../src/core/cluster/kind.ts';

const dir = mkdtempSync(join(tmpdir(), 'ica-exec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, PATH: dirname(process.execPath) };
const run = execaRunner({ env });

describe('command lines for messages', () => {
  it('quotes only what a shell would need quoted', () => {
    expect(formatCommandLine('docker', ['info', '--format', '{{.ServerVersion}}'])).toBe(
      "docker info --format '{{.ServerVersion}}'",
    );
    expect(formatCommandLine('kubectl', ['--context', 'kind-ica', 'apply', '-f', '-'])).toBe(
      'kubectl --context kind-ica apply -f -',
    );
    expect(formatCommandLine('sh', ['-c', "echo 'hi' there"])).toBe(`sh -c 'echo '\\''hi'\\'' there'`);
    expect(formatCommandLine('x', [''])).toBe("x ''");
  });

  it('formats durations for people and for Go flags', () => {
    expect(formatDuration(600_000)).toBe('10m');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(1_000)).toBe('1s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(250)).toBe('250ms');
    expect(goDuration(600_000)).toBe('600s');
    expect(goDuration(1)).toBe('1s');
  });

  it('keeps the tail of long output', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const tail = tailLines(text, 5);
    expect(tail).toEqual([
      '(45 earlier lines not shown)',
      'line 45',
      'line 46',
      'line 47',
      'line 48',
      'line 49',
    ]);
    expect(tailLines('')).toEqual([]);
  });
});

describe('execaRunner', () => {
  it('passes arguments as an array (no shell), with stdin, and captures both streams', async () => {
    const r = await run({
      file: 'node',
      args: [
        '-e',
        'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{console.log(JSON.stringify([process.argv.slice(1),s]));console.error("to stderr")})',
        '$HOME; rm -rf /',
        '*',
      ],
      input: 'hello',
      timeoutMs: 10_000,
    });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([['$HOME; rm -rf /', '*'], 'hello']);
    expect(r.stderr).toBe('to stderr\n');
    expect(r.command).toContain("'$HOME; rm -rf /' '*'");
  });

  it('reports a non-zero exit without throwing; runChecked throws it with the output', async () => {
    const spec = {
      file: 'node',
      args: ['-e', 'console.log("out");console.error("bad thing");process.exit(3)'],
      timeoutMs: 10_000,
    };
    const r = await run(spec);
    expect(r).toMatchObject({ exitCode: 3, timedOut: false, notFound: false });
    const e = await runChecked(run, spec).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CommandError);
    const ce = e as CommandError;
    expect(ce.message).toMatch(/^`node -e .*` failed with exit code 3$/);
    expect(ce.result.stderr).toBe('bad thing\n');
    expect(ce.result.stdout).toBe('out\n');
  });

  it('stops a command at its timeout', async () => {
    const started = Date.now();
    const r = await run({ file: 'node', args: ['-e', 'setTimeout(()=>{}, 30000)'], timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.timedOut).toBe(true);
    expect(new CommandError(r, 300).message).toContain('did not finish within 300ms and was stopped');
  });

  it('reports a program that is not on PATH', async () => {
    const r = await run({ file: 'no-such-tool-ica', args: [], timeoutMs: 5_000 });
    expect(r.notFound).toBe(true);
    expect(new CommandError(r, 5_000).message).toContain('no-such-tool-ica is not on PATH');
  });
});

describe('finding tools on PATH without running them', () => {
  it('finds executables only', () => {
    const bin = join(dir, 'bin');
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin);
    writeFileSync(join(bin, 'kind'), '#!/bin/sh\n');
    chmodSync(join(bin, 'kind'), 0o755);
    writeFileSync(join(bin, 'kubectl'), 'not executable');
    symlinkSync(join(bin, 'kind'), join(bin, 'docker'));
    const e = { PATH: `${join(dir, 'nowhere')}:${bin}` };
    expect(findOnPath('kind', e)).toBe(join(bin, 'kind'));
    expect(findOnPath('docker', e)).toBe(join(bin, 'docker'));
    expect(findOnPath('kubectl', e)).toBeUndefined();
    expect(missingTools(['docker', 'kind', 'kubectl', 'istioctl'], e).map((t) => t.name)).toEqual([
      'kubectl',
      'istioctl',
    ]);
  });
});

describe('small parsers', () => {
  it('validates kind cluster names', () => {
    expect(clusterNameProblem('ica')).toBeUndefined();
    expect(clusterNameProblem('lab-2.x')).toBeUndefined();
    expect(clusterNameProblem('ICA')).toContain('not a valid kind cluster name');
    expect(clusterNameProblem('-x')).toBeDefined();
    expect(clusterNameProblem('a b')).toBeDefined();
  });

  it('reads the Istio version from the istiod image', () => {
    expect(istioVersionFromImage('docker.io/istio/pilot:1.26.2')).toBe('1.26.2');
    expect(istioVersionFromImage('gcr.io/istio-release/pilot:1.26.0-distroless@sha256:abc')).toBe(
      '1.26.0-distroless',
    );
    expect(istioVersionFromImage('istio/pilot')).toBeUndefined();
  });
});

describe('the recorded cluster', () => {
  it('is written atomically, read back, and forgotten only for its own name', async () => {
    const home = join(dir, 'home');
    expect(await readClusterRecord(home)).toBeUndefined();
    const path = await writeClusterRecord(
      { name: 'ica', context: 'kind-ica', istioProfile: 'demo' },
      { home, now: new Date('2025-06-01T10:00:00Z') },
    );
    expect(path).toBe(clusterRecordPath(home));
    expect(await readClusterRecord(home)).toEqual({
      version: 1,
      name: 'ica',
      context: 'kind-ica',
      istioProfile: 'demo',
      updatedAt: '2025-06-01T10:00:00.000Z',
    });
    expect(await recordedContext(home)).toBe('kind-ica');
    expect(await forgetClusterRecord('other', home)).toBe(false);
    expect(await recordedContext(home)).toBe('kind-ica');
    expect(await forgetClusterRecord('ica', home)).toBe(true);
    expect(await readClusterRecord(home)).toBeUndefined();
  });

  it('treats an unusable file as no record', async () => {
    const home = join(dir, 'bad');
    mkdirSync(home, { recursive: true });
    writeFileSync(clusterRecordPath(home), '{ not json');
    expect(await readClusterRecord(home)).toBeUndefined();
    writeFileSync(clusterRecordPath(home), JSON.stringify({ version: 2, name: 'x' }));
    expect(await readClusterRecord(home)).toBeUndefined();
  });
});
