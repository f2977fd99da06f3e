// Key bindings: one table, named actions, a footer generated from the scope.
import { describe, expect, it } from 'vitest';
import { createKeyRegistry } from '../../src/ui/key-registry.ts';
import { ACTION_NAMES, BINDINGS, fitFooter, footerItems, keysText, resolveKey } from '../../src/ui/keys.ts';

describe('resolveKey', () => {
  it('maps keys to the named actions of a scope', () => {
    expect(resolveKey('', { downArrow: true }, ['up', 'down'])).toEqual({ name: 'down' });
    expect(resolveKey('j', {}, ['up', 'down'])).toEqual({ name: 'down' });
    expect(resolveKey('q', {}, ['back'])).toEqual({ name: 'back' });
    expect(resolveKey('', { escape: true }, ['back'])).toEqual({ name: 'back' });
    expect(resolveKey('3', {}, ['choose'])).toEqual({ name: 'choose', index: 2 });
    expect(resolveKey('\t', { tab: true }, ['nextPane', 'prevPane'])).toEqual({ name: 'nextPane' });
    expect(resolveKey('', { tab: true, shift: true }, ['nextPane', 'prevPane'])).toEqual({
      name: 'prevPane',
    });
  });

  it('ignores keys outside the scope and characters typed with Ctrl', () => {
    expect(resolveKey('h', {}, ['up', 'down'])).toBeUndefined();
    expect(resolveKey('q', { ctrl: true }, ['back'])).toBeUndefined();
    expect(resolveKey('0', {}, ['choose'])).toBeUndefined();
  });

  it('has no key bound to two actions that a screen uses together', () => {
    const screens: (typeof ACTION_NAMES)[number][][] = [
      ['up', 'down', 'select', 'choose', 'back', 'help'],
      [
        'nextPane',
        'prevPane',
        'up',
        'down',
        'pageUp',
        'pageDown',
        'hint',
        'solution',
        'edit',
        'regrade',
        'back',
        'help',
      ],
      [
        'left',
        'right',
        'up',
        'down',
        'choose',
        'toggle',
        'select',
        'flag',
        'skip',
        'done',
        'submit',
        'back',
        'help',
      ],
      ['yes', 'no'],
    ];
    for (const scope of screens) {
      const seen = new Map<string, string>();
      for (const name of scope) {
        for (const p of BINDINGS[name].keys) {
          const id = JSON.stringify(p);
          expect(seen.get(id), `${id} is bound to ${seen.get(id)} and ${name}`).toBeUndefined();
          seen.set(id, name);
        }
      }
    }
  });

  it('describes every action for the help screen', () => {
    for (const name of ACTION_NAMES) {
      expect(BINDINGS[name].help.length).toBeGreaterThan(3);
      expect(keysText(name)).not.toBe('');
    }
    expect(keysText('back')).toBe('q Esc');
    expect(keysText('prevPane')).toBe('Shift-Tab');
  });
});

describe('footerItems', () => {
  it('pairs arrows, hides keys the help lists, renames per screen', () => {
    expect(footerItems(['up', 'down', 'pageUp', 'pageDown', 'select', 'back'], { back: 'quit' })).toEqual([
      { keys: '↑↓', does: 'move' },
      { keys: 'Enter', does: 'open' },
      { keys: 'q', does: 'quit' },
    ]);
    expect(footerItems(['nextPane', 'prevPane', 'yes', 'no']).map((i) => i.keys)).toEqual(['Tab', 'y/n']);
  });

  it('keeps q and ? when the row is too narrow; other keys give way from the end', () => {
    const items = footerItems(
      ['nextPane', 'up', 'down', 'hint', 'solution', 'edit', 'regrade', 'source', 'back', 'help'],
      { back: 'leave lab', edit: 'edit file' },
    );
    const fit = fitFooter(items, 60);
    expect(fit.map((i) => i.keys)).toEqual(['Tab', '↑↓', 'h', 's', 'q', '?']);
    const width = fit.reduce((n, i, k) => n + i.keys.length + 1 + i.does.length + (k ? 2 : 0), 0);
    expect(width).toBeLessThanOrEqual(60);
    expect(fitFooter(items, 200)).toEqual(items);
  });
});

describe('key registry', () => {
  it('routes a press to the newest handler of the highest layer; false falls through', () => {
    const reg = createKeyRegistry();
    const log: string[] = [];
    reg.register({
      layer: 'global',
      scope: ['back', 'help'],
      handler: (a) => void log.push(`global ${a.name}`),
    });
    const off = reg.register({
      layer: 'screen',
      scope: ['back', 'down'],
      handler: (a) => (a.name === 'back' ? false : void log.push(`screen ${a.name}`)),
    });
    reg.dispatch('j', {});
    reg.dispatch('q', {});
    reg.dispatch('?', {});
    expect(log).toEqual(['screen down', 'global back', 'global help']);
    off();
    reg.dispatch('j', {});
    expect(log).toHaveLength(3);
  });

  it('gives a modal every key: nothing below it sees a press', () => {
    const reg = createKeyRegistry();
    const log: string[] = [];
    reg.register({ layer: 'global', scope: ['back'], handler: () => void log.push('global') });
    reg.register({ layer: 'modal', scope: ['yes', 'no'], handler: (a) => void log.push(a.name) });
    expect(reg.dispatch('q', {})).toBe(false);
    reg.dispatch('y', {});
    expect(log).toEqual(['yes']);
    expect(reg.active()).toHaveLength(1);
  });
});
