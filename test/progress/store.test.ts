import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAnswer } from '../../src/core/progress/quiz-progress.ts';
import { emptyState, STATE_VERSION } from '../../src/core/progress/state.ts';
import {
  loadState,
  STATE_FILE,
  StateError,
  saveState,
  stateHome,
  updateState,
} from '../../src/core/progress/store.ts';

const NOW = new Date('2025-05-06T07:08:09.010Z');
let home: string;
const opts = () => ({ home, now: () => NOW });
const file = () => join(home, STATE_FILE);

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ica-store-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('stateHome', () => {
  it('uses ICA_TRAINER_HOME when set, else the data directory of env-paths', () => {
    expect(stateHome({ ICA_TRAINER_HOME: '/tmp/x' })).toBe('/tmp/x');
    expect(stateHome({})).toBe(envPaths('ica-trainer', { suffix: '' }).data);
  });
});

describe('loadState / saveState', () => {
  it('starts empty when there is no file, without notices', async () => {
    const loaded = await loadState(opts());
    expect(loaded.notices).toEqual([]);
    expect(loaded.state.version).toBe(STATE_VERSION);
    expect(loaded.state.quiz).toEqual({ cards: {}, history: [] });
  });

  it('round-trips the state through the file', async () => {
    const state = emptyState(NOW);
    recordAnswer(state, { id: 'q1', correct: true, rating: 'Good', at: NOW, via: 'cli' });
    await saveState(state, opts());
    const text = await readFile(file(), 'utf8');
    expect(JSON.parse(text)).toMatchObject({ version: 1, updatedAt: NOW.toISOString() });
    const loaded = await loadState(opts());
    expect(loaded.state.quiz).toEqual(state.quiz);
    expect(loaded.notices).toEqual([]);
  });

  it('keeps sections it does not know (written by a later release of the same format)', async () => {
    await writeFile(file(), JSON.stringify({ version: 1, labs: { 'lab-1': { passed: true } } }));
    const { result } = await updateState((s) => s.quiz.cards, opts());
    expect(result).toEqual({});
    const saved = JSON.parse(await readFile(file(), 'utf8'));
    expect(saved.labs).toEqual({ 'lab-1': { passed: true } });
    expect(saved.quiz).toEqual({ cards: {}, history: [] });
  });

  it('writes atomically: concurrent readers never see a partial file, no temp files remain', async () => {
    const big = emptyState(NOW);
    for (let i = 0; i < 400; i++)
      recordAnswer(big, { id: `q${i}`, correct: i % 2 === 0, rating: 'Good', at: NOW });
    await saveState(emptyState(NOW), opts());
    const writes = Array.from({ length: 10 }, (_, i) => saveState(i % 2 ? big : emptyState(NOW), opts()));
    const reads: Promise<void>[] = [];
    for (let i = 0; i < 30; i++) {
      reads.push(
        readFile(file(), 'utf8').then((t) => {
          expect(() => JSON.parse(t)).not.toThrow();
        }),
      );
    }
    await Promise.all([...writes, ...reads]);
    expect(await readdir(home)).toEqual([STATE_FILE]);
  });

  it('moves a corrupt file aside, reports it, and never overwrites it', async () => {
    await writeFile(file(), '{"version": 1, "quiz": {"cards": ');
    const loaded = await loadState(opts());
    const aside = `${STATE_FILE}.corrupt-2025-05-06T07-08-09-010Z`;
    expect(loaded.notices).toHaveLength(1);
    expect(loaded.notices[0]).toMatch(/not valid JSON/);
    expect(loaded.notices[0]).toContain(aside);
    expect(loaded.state.quiz.cards).toEqual({});
    expect((await readdir(home)).sort()).toEqual([aside]);
    expect(await readFile(join(home, aside), 'utf8')).toBe('{"version": 1, "quiz": {"cards": ');
    // Saving afterwards writes a fresh file and leaves the kept one alone.
    await saveState(loaded.state, opts());
    expect((await readdir(home)).sort()).toEqual([STATE_FILE, aside]);
  });

  it('moves aside a file whose content does not fit the format', async () => {
    await writeFile(file(), JSON.stringify({ version: 1, quiz: { cards: 5 } }));
    const loaded = await loadState(opts());
    expect(loaded.notices[0]).toMatch(/content is invalid \(quiz\.cards/);
    expect((await readdir(home)).some((n) => n.startsWith(`${STATE_FILE}.corrupt-`))).toBe(true);
  });

  it('moves aside a file without a format version', async () => {
    await writeFile(file(), JSON.stringify({ quiz: {} }));
    const loaded = await loadState(opts());
    expect(loaded.notices[0]).toMatch(/no format version/);
  });

  it('reports an unknown (newer) version and leaves the file untouched', async () => {
    const text = JSON.stringify({ version: 7, quiz: { cards: {} } });
    await writeFile(file(), text);
    await expect(loadState(opts())).rejects.toThrow(StateError);
    await expect(loadState(opts())).rejects.toThrow(/format version 7, but this ica-trainer reads version 1/);
    await expect(updateState(() => undefined, opts())).rejects.toThrow(StateError);
    expect(await readFile(file(), 'utf8')).toBe(text);
    expect(await readdir(home)).toEqual([STATE_FILE]);
  });

  it('moves aside a file it cannot read as a file (a directory in its place)', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(file());
    const loaded = await loadState(opts());
    expect(loaded.notices[0]).toMatch(/could not be read \(EISDIR\)/);
  });

  it('creates the state folder when saving', async () => {
    const nested = join(home, 'a', 'b');
    await saveState(emptyState(NOW), { home: nested, now: () => NOW });
    expect(await readdir(nested)).toEqual([STATE_FILE]);
  });
});

describe('concurrent writers', () => {
  it('two processes recording at once both keep their change (the lock serialises them)', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { updateState, loadState } = await import('../../src/core/progress/store.ts');
    const home = await mkdtemp(join(tmpdir(), 'ica-lock-'));
    const tag = (n: number) => (state: Record<string, unknown>) => {
      const s = state as { tags?: number[] };
      s.tags = [...(s.tags ?? []), n];
    };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        updateState((st) => tag(i)(st as unknown as Record<string, unknown>), { home }),
      ),
    );
    const { state } = await loadState({ home });
    expect(((state as unknown as { tags: number[] }).tags ?? []).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
  });

  it('a lock left by a killed process is taken over', async () => {
    const { mkdtemp, writeFile, utimes } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { updateState } = await import('../../src/core/progress/store.ts');
    const home = await mkdtemp(join(tmpdir(), 'ica-lock-'));
    const lock = join(home, 'state.json.lock');
    await writeFile(lock, '99999');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    await expect(updateState(() => 1, { home })).resolves.toMatchObject({ result: 1 });
  });

  it('a fresh lock whose process is gone is taken over at once; a live one is waited for', async () => {
    const { mkdtemp, writeFile, readdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { spawnSync } = await import('node:child_process');
    const { updateState, withStateLock } = await import('../../src/core/progress/store.ts');
    const home = await mkdtemp(join(tmpdir(), 'ica-lock-'));
    const lock = join(home, 'state.json.lock');
    // the pid of a process that has just exited: its lock is seconds old, not stale by age
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    await writeFile(lock, gone);
    // (a lock younger than the 10 s staleness would have been "busy" before)
    await expect(updateState(() => 1, { home })).resolves.toMatchObject({ result: 1 });
    expect((await readdir(home)).sort()).toEqual(['state.json']);
    // a lock held by a live process (this one's parent) is not taken
    await writeFile(lock, String(process.ppid));
    await expect(withStateLock(async () => 1, { home })).rejects.toThrow(/busy/);
  }, 20_000);

  it('temp files of a killed write are removed by the next write', async () => {
    const { mkdtemp, writeFile, readdir, utimes } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { updateState } = await import('../../src/core/progress/store.ts');
    const home = await mkdtemp(join(tmpdir(), 'ica-tmp-'));
    // ours from a process that is gone, an old one of write-file-atomic, and a young foreign one
    await writeFile(join(home, 'state.json.tmp-999999999-0a1b2c3d'), '{"half');
    await writeFile(join(home, 'state.json.123456789'), '{"half');
    const old = new Date(Date.now() - 120_000);
    await utimes(join(home, 'state.json.123456789'), old, old);
    await writeFile(join(home, 'notes.txt'), 'mine');
    await updateState(() => 1, { home });
    expect((await readdir(home)).sort()).toEqual(['notes.txt', 'state.json']);
  });
});
