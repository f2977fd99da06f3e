// `--help` is answered from text written at build time (dist/help/) when the build
// is up to date: it must be exactly what commander prints from the sources.
import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.ts';

const bin = new URL('../../bin/ica-trainer.js', import.meta.url).pathname;

function paths(cmd: Command, prefix: string[] = []): string[][] {
  return [prefix, ...cmd.commands.flatMap((c) => paths(c, [...prefix, c.name()]))];
}

function help(args: string[], fromSource: boolean): string {
  const env = { ...process.env, NO_COLOR: '1' } as Record<string, string>;
  delete env.ICA_TRAINER_FROM_SOURCE;
  if (fromSource) env.ICA_TRAINER_FROM_SOURCE = '1';
  return spawnSync(process.execPath, [bin, ...args, '--help'], { encoding: 'utf8', env }).stdout;
}

describe('--help', () => {
  it('every command has help, and the fast path prints what commander prints', () => {
    const all = paths(buildProgram()).filter((p) => p[p.length - 1] !== 'help');
    expect(all.length).toBeGreaterThan(30);
    for (const p of all) {
      const text = help(p, true);
      expect(text, p.join(' ')).toMatch(/^Usage: ica-trainer/);
      expect(help(p, false), p.join(' ')).toBe(text);
    }
    // two processes per command (over 40 commands) on a shared machine
  }, 180_000);
});
