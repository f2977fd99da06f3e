// The README's set-up gives a working `ica-trainer`, and the commands the
// trainer prints work as printed: `ica-trainer …` once it is on PATH, `npx
// ica-trainer …` when npx started it and it is not.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const root = new URL('../../', import.meta.url).pathname;
let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ica-setup-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('set-up', () => {
  it("the README's first lines install with npm link and then run ica-trainer", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const first = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = first.split('\n').map((l) => l.replace(/#.*$/, '').trim());
    expect(commands[0]).toBe('npm install && npm link');
    expect(commands[1]).toBe('ica-trainer');
  });

  it('git ignores the folders the trainer writes into a checkout: ica-labs/ and ica-exam/', () => {
    const r = spawnSync(
      'git',
      ['check-ignore', 'ica-labs/canary-20/reviews.yaml', 'ica-exam/task-1/x.yaml'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(r.stdout.trim().split('\n')).toEqual([
      'ica-labs/canary-20/reviews.yaml',
      'ica-exam/task-1/x.yaml',
    ]);
  });

  it('npm link puts a working ica-trainer on PATH', () => {
    const prefix = join(tmp, 'prefix');
    const env = { ...process.env, npm_config_prefix: prefix, npm_config_update_notifier: 'false' };
    const link = spawnSync('npm', ['link', '--offline', '--no-audit', '--no-fund'], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(link.status, link.stderr).toBe(0);
    const path = `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`;
    const run = spawnSync('ica-trainer', ['lab', 'list'], {
      cwd: tmp,
      env: { PATH: path, HOME: tmp, ICA_TRAINER_HOME: join(tmp, 'home'), NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('canary-20');
    expect(run.stdout).toContain('Start one with `ica-trainer lab start ID`');
  }, 150_000);

  it('prints npx ica-trainer when npx started it and ica-trainer is not on PATH', () => {
    const env = { ICA_TRAINER_HOME: join(tmp, 'home'), npm_command: 'exec' };
    // node alone, not its folder: after the README's `npm link` that folder may hold ica-trainer
    const nodeBin = join(tmp, 'node-bin');
    mkdirSync(nodeBin);
    symlinkSync(process.execPath, join(nodeBin, 'node'));
    const viaNpx = runCli(['lab', 'start', 'canary-20'], {
      cwd: tmp,
      env: { ...env, PATH: `${nodeBin}:/usr/bin:/bin` },
    });
    expect(viaNpx.code).toBe(0);
    expect(viaNpx.stdout).toContain('Check your work: npx ica-trainer lab check canary-20');
    // with ica-trainer on PATH (npm link), the short command works: it is printed
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'ica-trainer'), '#!/bin/sh\n');
    chmodSync(join(bin, 'ica-trainer'), 0o755);
    const linked = runCli(['lab', 'start', 'canary-20'], {
      cwd: tmp,
      env: { ...env, PATH: `${bin}:${nodeBin}:/usr/bin:/bin` },
    });
    expect(linked.stdout).toContain('Check your work: ica-trainer lab check canary-20');
  });
});
