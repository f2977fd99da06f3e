// A valid spec is handed to the rules, graders and simulator as it was loaded, not
// copied (schemas/fast-parse.ts): that is safe only while nothing changes a spec.
// Here every parsed spec is frozen, so a change throws (ES modules are strict), and
// every lab answer and rule fixture must grade and analyse exactly as unfrozen.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { analyzeLoaded } from '../../src/core/analysis/analyze.ts';
import { type LoadResult, loadText } from '../../src/core/config/load.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';
import type { LabResult } from '../../src/core/grading/types.ts';

const state = vi.hoisted(() => ({ freeze: false, frozen: 0 }));

function deepFreeze(v: unknown): void {
  if (!v || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  state.frozen++;
  for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
}

vi.mock('../../src/core/config/schemas/index.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/core/config/schemas/index.ts')>();
  return {
    ...m,
    parseSpec: (...args: Parameters<typeof m.parseSpec>) => {
      const r = m.parseSpec(...args);
      if (state.freeze) deepFreeze(r.spec);
      return r;
    },
  };
});

const labsRoot = new URL('../labs/', import.meta.url).pathname;
const fixtures = new URL('../fixtures/rules/', import.meta.url).pathname;

function summary(r: LabResult): string {
  return r.criteria.map((c) => `${c.pass} ${c.id}: ${c.reason} [${c.codes.join(',')}]`).join('\n');
}

function analyzed(file: string): string {
  const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
  loadText(readFileSync(file, 'utf8'), file, load);
  return analyzeLoaded(load)
    .findings.map((f) => `${f.code} ${f.message}`)
    .join('\n');
}

/** Something computed with specs as parsed, then with every spec frozen. */
async function bothWays<T>(run: () => T | Promise<T>): Promise<{ plain: T; frozen: T }> {
  state.freeze = false;
  const plain = await run();
  state.freeze = true;
  try {
    return { plain, frozen: await run() };
  } finally {
    state.freeze = false;
  }
}

describe('nothing changes a spec after loading', () => {
  it('every lab answer (solution, starter, correct and wrong variants) grades the same with frozen specs', async () => {
    state.frozen = 0;
    for (const e of loadExercises().exercises) {
      let dirs = [e.solutionDir, e.starterDir];
      try {
        dirs = dirs.concat(
          readdirSync(join(labsRoot, e.id))
            .filter((d) => d.startsWith('correct-') || d.startsWith('wrong-'))
            .map((d) => join(labsRoot, e.id, d)),
        );
      } catch {
        // a lab without variants: its solution and starter
      }
      for (const dir of dirs) {
        const { plain, frozen } = await bothWays(async () => summary(await gradeLab(e, { dir })));
        expect(frozen, dir).toBe(plain);
      }
    }
    expect(state.frozen).toBeGreaterThan(1000);
  }, 600_000);

  it('every rule fixture analyses the same with frozen specs', async () => {
    state.frozen = 0;
    for (const dir of readdirSync(fixtures))
      for (const f of readdirSync(join(fixtures, dir)).filter((n) => n.endsWith('.yaml'))) {
        const { plain, frozen } = await bothWays(() => analyzed(join(fixtures, dir, f)));
        expect(frozen, `${dir}/${f}`).toBe(plain);
      }
    expect(state.frozen).toBeGreaterThan(100);
  });
});
