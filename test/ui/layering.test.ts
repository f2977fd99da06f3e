// DESIGN convention 1: the core is usable without a terminal. Nothing under
// src/core imports ink or React; the CLI loads the UI only through a lazy import.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .map((f) => join(dir, f));
}

const UI_PACKAGES =
  /(?:from\s+|import\s*\(\s*)['"](ink|react|react-dom|@inkjs\/ui|ink-testing-library)(?:\/[^'"]*)?['"]/;

describe('layering', () => {
  it('keeps ink and React out of src/core', () => {
    const offenders = sources('src/core').filter((f) =>
      UI_PACKAGES.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the core from importing the UI', () => {
    const offenders = sources('src/core').filter((f) =>
      /from\s+['"][./]*ui\//.test(readFileSync(join(root, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('loads ink and React in src/ui/run.ts only after it is called', () => {
    const run = readFileSync(join(root, 'src/ui/run.ts'), 'utf8');
    expect(run).not.toMatch(/^import [^\n]*['"](ink|react)['"]/m);
    expect(run).not.toMatch(/^import [^\n]*['"]\.\/app\.ts['"]/m);
  });
});
