#!/usr/bin/env node
// Entry point. Runs the compiled CLI from dist/ (fast start) when it is up to
// date; in a source checkout whose sources changed since the last build, and
// when ICA_TRAINER_FROM_SOURCE=1, runs the TypeScript sources directly through
// Node's type stripping instead, so a stale build is never used.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import module from 'node:module';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `ica-trainer needs Node.js 22.12 or newer (Node 24 LTS recommended); this is ${process.version}.\n`,
  );
  process.exit(2);
}

const root = new URL('../', import.meta.url);

// `--version` alone needs nothing but package.json: answer before loading anything.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).version}\n`);
  process.exit(0);
}

// Cache compiled code between runs (Node >= 22.1): start-up is most of a short command.
module.enableCompileCache?.();
const compiled = new URL('dist/src/cli/main.js', root);

/** Newest modification time of the .ts sources (0 when there are none: an installed package). */
function newestSource() {
  let newest = 0;
  for (const dir of ['src', 'graders']) {
    const path = new URL(`${dir}/`, root);
    if (!existsSync(path)) continue;
    for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const t = statSync(`${entry.parentPath}/${entry.name}`).mtimeMs;
      if (t > newest) newest = t;
    }
  }
  return newest;
}

function compiledIsFresh() {
  if (process.env.ICA_TRAINER_FROM_SOURCE || !existsSync(compiled)) return false;
  return newestSource() <= statSync(compiled).mtimeMs;
}

const fresh = compiledIsFresh();

// `[command...] --help` on a terminal-less or any run: the text was written at build time.
const last = args[args.length - 1];
if (
  fresh &&
  (last === '--help' || last === '-h') &&
  args.slice(0, -1).every((a) => /^[a-z][a-z-]*$/.test(a))
) {
  const page = new URL(`dist/help/${args.length > 1 ? args.slice(0, -1).join(' ') : '_'}.txt`, root);
  if (existsSync(page)) {
    process.stdout.write(readFileSync(page, 'utf8'));
    process.exit(0);
  }
}

if (fresh) {
  await import(compiled.href);
} else {
  await import(new URL('src/cli/main.ts', root).href);
}
