// The command a learner types to run the trainer, as the trainer prints it in
// its advice ("Check your work: ica-trainer lab check canary-20"). After the
// README's set-up (`npm link`) that is `ica-trainer`; someone who ran it with
// `npx ica-trainer` and has no `ica-trainer` on PATH is told `npx ica-trainer`,
// so that every printed command works as printed.
import { statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function onPath(name: string, path: string | undefined): boolean {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      if (statSync(join(dir, name)).isFile()) return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

let cached: string | undefined;

/** `ica-trainer`, or `npx ica-trainer` when run through npx without `ica-trainer` on PATH. */
export function trainerCommand(env: NodeJS.ProcessEnv = process.env): string {
  if (env === process.env && cached) return cached;
  const viaNpx = env.npm_command === 'exec' && !onPath('ica-trainer', env.PATH);
  const command = viaNpx ? 'npx ica-trainer' : 'ica-trainer';
  if (env === process.env) cached = command;
  return command;
}
