// NO_COLOR: no colour codes at all, while marks (✓ ✗ ›) carry the meaning.
import { afterEach, describe, expect, it, vi } from 'vitest';

// colour output must be possible in the first place (tests do not run in a terminal)
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import { colorFromEnv } from '../../src/ui/theme.ts';
import { KEY, renderTui, type Tui } from './helpers/render.tsx';

// foreground colours: ESC[3xm, ESC[9xm and 256/true-colour forms
// biome-ignore lint/suspicious/noControlCharactersInRegex: colour escape codes
const COLOUR = /\u001B\[(3[0-79]|9[0-7]|38;[25];[0-9;]+)m/;

let tui: Tui | undefined;
afterEach(async () => {
  await tui?.cleanup();
  tui = undefined;
});

describe('colour', () => {
  it('reads NO_COLOR as the standard says: any non-empty value', () => {
    expect(colorFromEnv({ NO_COLOR: '1' })).toBe(false);
    expect(colorFromEnv({ NO_COLOR: '' })).toBe(true);
    expect(colorFromEnv({})).toBe(true);
  });

  it('uses colour when allowed', async () => {
    tui = await renderTui({ route: { name: 'lab', id: 'canary-20' }, color: true });
    await tui.waitFor('✗ 1/4 criteria');
    await tui.press(KEY.tab);
    await tui.waitFor('FAIL: 1 of 4');
    expect(tui.rawFrame()).toMatch(COLOUR);
  });

  it('prints no colour code under NO_COLOR, on any screen', async () => {
    tui = await renderTui({ route: { name: 'lab', id: 'canary-20' }, color: false });
    await tui.waitFor('✗ 1/4 criteria');
    await tui.press(KEY.tab);
    await tui.waitFor('FAIL: 1 of 4');
    expect(tui.rawFrame()).not.toMatch(COLOUR);
    await tui.press(KEY.back);
    await tui.waitFor('› 1 Quiz');
    expect(tui.rawFrame()).not.toMatch(COLOUR);
    for (const f of tui.frames()) expect(f).not.toMatch(COLOUR);
    expect(tui.frames().join('')).not.toMatch(COLOUR);
  });
});
