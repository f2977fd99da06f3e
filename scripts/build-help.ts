// Writes the --help text of every command into dist/help/ at build time, so that
// `ica-trainer [command...] --help` can answer without loading commander and the
// command definitions (help is static: it changes only with the sources).
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildProgram } from '../src/cli/program.ts';

const out = new URL('../dist/help/', import.meta.url);
mkdirSync(out, { recursive: true });

function write(cmd: Command, path: string[]): void {
  // exactly what commander prints for `--help` (with the help texts added before and after)
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s), getOutHelpWidth: () => 80 });
  cmd.outputHelp();
  writeFileSync(new URL(`${path.length ? path.join(' ') : '_'}.txt`, out), text);
  for (const sub of cmd.commands) write(sub, [...path, sub.name()]);
}

write(buildProgram(), []);
