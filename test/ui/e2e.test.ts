// End to end, in a real pseudo-terminal (tmux): open the trainer, answer a quiz
// question, open a lab, write the solution into the workspace, see the lab pass,
// quit; start again and find the progress on the home screen.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasTmux, type Pane, startPane, trainerCommand } from './helpers/tmux.ts';

const root = new URL('../../', import.meta.url).pathname;
const QUIZZES = join(root, 'test', 'ui', 'fixtures', 'quizzes');
const SOLUTION = join(root, 'exercises', '01-traffic-shifting', 'canary-20', 'solution', 'reviews.yaml');

let pane: Pane | undefined;
const dirs: string[] = [];
afterEach(async () => {
  pane?.kill();
  pane = undefined;
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function open(home: string, cwd: string): Pane {
  return startPane({
    command: trainerCommand(),
    cwd,
    env: {
      ICA_TRAINER_HOME: home,
      ICA_TRAINER_QUIZZES: QUIZZES,
      ICA_TRAINER_FROM_SOURCE: '1',
      NO_COLOR: '1',
    },
  });
}

// without tmux the test is skipped on a developer's machine, never under CI (which installs it)
describe.skipIf(!hasTmux() && !process.env.CI)('the trainer in a terminal', () => {
  it('answers a question, passes a lab on save, quits, and shows the progress on the next start', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ica-e2e-home-'));
    const cwd = await mkdtemp(join(tmpdir(), 'ica-e2e-cwd-'));
    dirs.push(home, cwd);
    pane = open(home, cwd);
    let screen = await pane.waitFor('Progress by curriculum domain');
    expect(screen).toContain('0/3 questions seen');

    // a quiz question (the fixture bank's first: the right answer is b)
    pane.type('1');
    await pane.waitFor('question 1 of 3');
    pane.type('2');
    await pane.waitFor('› 2 (•) b)');
    pane.keys('Enter');
    screen = await pane.waitFor('✓ Right.');
    expect(screen).toContain('How hard was it?');
    expect(screen).toContain('3 [Good]');
    pane.type('q');
    await pane.waitFor('1/3 questions seen');

    // the lab list, down to canary-20
    pane.type('3');
    await pane.waitFor('canary-20');
    const cursorLine = (s: string) => s.split('\n').find((l) => l.startsWith('›')) ?? '';
    for (let i = 0; i < 60 && !cursorLine(pane.capture()).includes('canary-20'); i++) {
      const before = cursorLine(pane.capture());
      pane.keys('Down');
      await pane.waitFor((s) => cursorLine(s) !== before);
    }
    await pane.waitFor('› canary-20');
    pane.keys('Enter');
    await pane.waitFor('✗ 1/4 criteria');

    // the learner saves the solution into the workspace: graded on save
    await cp(SOLUTION, join(cwd, 'ica-labs', 'canary-20', 'reviews.yaml'));
    await pane.waitFor('✓ PASS 4/4');

    pane.type('q');
    await pane.waitFor('› canary-20');
    pane.type('q');
    await pane.waitFor('Progress by curriculum domain');
    pane.type('q');
    expect(await pane.exitCode()).toBe(0);
    pane.kill();

    const state = JSON.parse(await readFile(join(home, 'state.json'), 'utf8')) as {
      quiz: { cards: Record<string, unknown> };
      labs: Record<string, { status: string }>;
    };
    expect(Object.keys(state.quiz.cards)).toEqual(['tui-single-weights']);
    expect(state.labs['canary-20']?.status).toBe('passed');

    // the next start shows it
    pane = open(home, cwd);
    screen = await pane.waitFor('Progress by curriculum domain');
    expect(screen).toContain('1/3 questions seen');
    expect(screen).toMatch(/labs passed 1\/\d+/);
    expect(screen).toContain('streak 1 day');
    pane.type('q');
    expect(await pane.exitCode()).toBe(0);
  }, 120_000);
});
