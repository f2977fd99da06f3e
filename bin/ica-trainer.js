#!/usr/bin/env node
// Entry point. Runs the compiled CLI from dist/ when it exists (fast start);
// otherwise runs the TypeScript sources directly through Node's type stripping.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Cache compiled code between runs (Node >= 22.1): start-up is most of a short command.
module.enableCompileCache?.();

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `ica-trainer needs Node.js 22.12 or newer (Node 24 LTS recommended); this is ${process.version}.\n`,
  );
  process.exit(2);
}

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
// ICA_TRAINER_FROM_SOURCE=1 runs the sources even when dist/ exists (tests, development).
if (existsSync(compiled) && !process.env.ICA_TRAINER_FROM_SOURCE) {
  await import(compiled.href);
} else {
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
