// Every screen fits 80×24 exactly and follows a resize.
import { afterEach, describe, expect, it } from 'vitest';
import type { Route } from '../../src/ui/state/nav.ts';
import { FIXTURE_QUIZZES, renderTui, type Tui } from './helpers/render.tsx';

let tui: Tui | undefined;
afterEach(async () => {
  await tui?.cleanup();
  tui = undefined;
});

const SCREENS: { route: Route; shows: string | RegExp }[] = [
  { route: { name: 'home' }, shows: 'Progress by curriculum domain' },
  { route: { name: 'quiz', mode: 'learn' }, shows: 'question 1 of 3' },
  { route: { name: 'labs' }, shows: 'canary-20' },
  { route: { name: 'lab', id: 'canary-20' }, shows: '✗ 1/4 criteria' },
  { route: { name: 'exam' }, shows: 'Quick drill' },
  { route: { name: 'progress' }, shows: 'By curriculum domain' },
  { route: { name: 'cluster' }, shows: 'offline' },
  { route: { name: 'help' }, shows: 'ica-trainer prepares you' },
];

function fits(frame: string, columns: number, rows: number): void {
  const lines = frame.split('\n');
  expect(lines).toHaveLength(rows);
  for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(columns);
  expect((lines[lines.length - 1] ?? '').trim()).not.toBe(''); // the footer is on screen
}

describe('layout', () => {
  for (const { route, shows } of SCREENS) {
    it(`${route.name}: fits 80×24, then 120×40 and 60×20 after resizes`, async () => {
      tui = await renderTui({ route, env: { quizDir: FIXTURE_QUIZZES } });
      await tui.waitFor(shows);
      fits(tui.frame(), 80, 24);
      await tui.resize(120, 40);
      await tui.waitFor(shows);
      fits(tui.frame(), 120, 40);
      await tui.resize(60, 20);
      await tui.waitFor(shows);
      fits(tui.frame(), 60, 20);
    });
  }
});
