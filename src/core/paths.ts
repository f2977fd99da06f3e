// Where the package's own content lives (exercises/, graders/, quizzes/), from
// the sources or from dist/ alike.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder holding ica-trainer's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'ica-trainer') {
          root = dir;
          return dir;
        }
      } catch {
        // not ours: keep looking
      }
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the ica-trainer package folder');
}

/** True when this module runs from the TypeScript sources (not from dist/). */
export function runningFromSource(): boolean {
  return import.meta.url.endsWith('.ts');
}
