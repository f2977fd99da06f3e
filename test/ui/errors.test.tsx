// Failures become messages on the screen, never a crash: a corrupt or newer
// progress file, a workspace that cannot be created, a screen that throws.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURE_QUIZZES, KEY, renderTui, type Tui } from './helpers/render.tsx';

let tui: Tui | undefined;
afterEach(async () => {
  await tui?.cleanup();
  tui = undefined;
});

describe('errors in the UI', () => {
  it('keeps a corrupt progress file aside and says so on the home screen', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ica-tui-home-'));
    await writeFile(join(home, 'state.json'), '{ not json');
    tui = await renderTui({ home, env: { quizDir: FIXTURE_QUIZZES } });
    const f = await tui.waitFor('was unusable');
    expect(f).toContain('Progress by curriculum domain');
    expect((await readdir(home)).some((n) => n.startsWith('state.json.corrupt-'))).toBe(true);
    // the notice stays while moving around
    await tui.press(KEY.number(5));
    await tui.waitFor('By curriculum domain');
    await tui.press(KEY.back);
    await tui.waitFor('was unusable');
  });

  it('opens with a progress file from a newer release, and tells why nothing can be saved', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ica-tui-home-'));
    await writeFile(join(home, 'state.json'), JSON.stringify({ version: 99 }));
    tui = await renderTui({
      home,
      route: { name: 'quiz', mode: 'learn' },
      env: { quizDir: FIXTURE_QUIZZES },
    });
    await tui.waitFor('format version 99');
    await tui.waitFor('question 1 of 3');
    await tui.press(KEY.number(2), KEY.enter);
    await tui.waitFor(/not saved:[\s\S]*format\s+version 99/);
  });

  it('reports a lab workspace that cannot be created', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'ica-tui-cwd-'));
    await writeFile(join(cwd, 'ica-labs'), 'a file where the folder should be');
    tui = await renderTui({ cwd, route: { name: 'lab', id: 'canary-20' } });
    await tui.waitFor(/lab canary-20 could not be opened:[\s\S]*is\s+a\s+file,\s+not\s+a\s+folder/);
    await tui.press(KEY.back);
    await tui.waitFor('Progress by curriculum domain');
  });

  it('reports a workspace that cannot be read while grading, and keeps going', async () => {
    tui = await renderTui({ route: { name: 'lab', id: 'canary-20' } });
    await tui.waitFor('✗ 1/4 criteria');
    await rm(join(tui.cwd, 'ica-labs', 'canary-20'), { recursive: true, force: true });
    await tui.press(KEY.regrade, KEY.tab);
    await tui.waitFor(/no resources found in .*ica-labs\/canary-20/);
    expect(tui.frame()).toContain('✗ 0/4 criteria');
  });

  it('turns a screen that throws while rendering into a message; q still goes back', async () => {
    tui = await renderTui({
      route: { name: 'exam' },
      env: {
        now: () => {
          throw new Error('the clock is broken');
        },
      },
    });
    const f = await tui.waitFor('The exam screen ran into a problem');
    expect(f).toContain('the clock is broken');
    expect(f).toContain('Press q to go back');
    await tui.press(KEY.back);
    await tui.waitFor('› 1 Quiz');
  });
});
