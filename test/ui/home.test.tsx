// Home: progress at a glance and the way into every screen, driven by keys.
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURE_QUIZZES, KEY, renderTui, type Tui } from './helpers/render.tsx';

let tui: Tui | undefined;
afterEach(async () => {
  await tui?.cleanup();
  tui = undefined;
});

describe('home screen', () => {
  it('shows progress per curriculum domain, the counters and every entry at 80×24', async () => {
    tui = await renderTui({ env: { quizDir: FIXTURE_QUIZZES } });
    const f = await tui.waitFor('Progress by curriculum domain');
    for (const domain of [
      'Traffic Management',
      'Securing Workloads',
      'Troubleshooting',
      'Installation, Upgrades',
    ])
      expect(f).toContain(domain);
    expect(f).toMatch(/0 reviews due · labs passed 0\/\d+ · streak 0 days/);
    for (const entry of ['Quiz', 'Review', 'Labs', 'Mock exam', 'Progress', 'Cluster', 'Help'])
      expect(f).toContain(entry);
    expect(f).toContain('offline');
    expect(f).toMatch(/↑↓ move .*Enter open .*q quit .*\? help/);
    const lines = f.split('\n');
    expect(lines).toHaveLength(24);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('shows the same counts as Progress, labelled: questions seen and labs passed per domain', async () => {
    tui = await renderTui({ env: { quizDir: FIXTURE_QUIZZES } });
    await tui.waitFor('› 1 Quiz');
    await tui.press(KEY.enter);
    await tui.waitFor('question 1 of 3');
    await tui.press(KEY.number(2), KEY.enter);
    await tui.waitFor('✓ Right.');
    await tui.press(KEY.back);
    const home = await tui.waitFor(/1\/3 questions seen/);
    const row = /Traffic Management\s+35% \S+ (\d+)\/(\d+) seen · (\d+)\/(\d+) labs/.exec(home);
    expect(row).not.toBeNull();
    expect(Number(row?.[1])).toBeGreaterThan(0);
    await tui.press(KEY.number(5));
    const progress = await tui.waitFor('By curriculum domain');
    expect(progress).toMatch(/Domain\s+weight\s+seen\s+right\s+due\s+labs/);
    expect(progress).toMatch(
      new RegExp(
        `Traffic Management\\s+35%\\s+${row?.[1]}/${row?.[2]}\\s+\\S+\\s+\\d+\\s+${row?.[3]}/${row?.[4]}`,
      ),
    );
    // domain names are not cut where the width allows them
    expect(home).toContain('Installation, Upgrades, and Configuration');
    expect(progress).toContain('Installation, Upgrades, and Configuration');
  });

  it('moves with the arrows and opens the entry under the cursor; q goes back', async () => {
    tui = await renderTui({ env: { quizDir: FIXTURE_QUIZZES } });
    await tui.waitFor('› 1 Quiz');
    await tui.press(KEY.down, KEY.down, KEY.down, KEY.down);
    await tui.waitFor('› 5 Progress');
    await tui.press(KEY.enter);
    await tui.waitFor('By curriculum domain');
    await tui.press(KEY.back);
    await tui.waitFor('› 5 Progress');
  });

  it('opens an entry by its number and shows help on ?', async () => {
    tui = await renderTui({ env: { quizDir: FIXTURE_QUIZZES } });
    await tui.waitFor('› 1 Quiz');
    await tui.press(KEY.number(6));
    await tui.waitFor(/Cluster[\s\S]*No lab cluster is recorded/);
    await tui.press(KEY.help);
    const help = await tui.waitFor('Keys');
    expect(help).toContain('Help');
    await tui.press(KEY.pageDown);
    await tui.waitFor('Show the next hint of the lab.');
    await tui.press(KEY.escape);
    await tui.waitFor('No lab cluster is recorded');
    await tui.press(KEY.back);
    await tui.waitFor('Progress by curriculum domain');
  });

  it('shows the recorded kind context on the cluster entry', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const home = await mkdtemp(join(tmpdir(), 'ica-tui-home-'));
    await writeFile(
      join(home, 'cluster.json'),
      JSON.stringify({
        version: 1,
        name: 'ica',
        context: 'kind-ica',
        istioProfile: 'demo',
        updatedAt: new Date().toISOString(),
      }),
    );
    tui = await renderTui({ home, env: { quizDir: FIXTURE_QUIZZES } });
    await tui.waitFor('kind context kind-ica');
    await tui.press(KEY.number(6));
    await tui.waitFor(/kubeconfig context\s+kind-ica/);
  });

  it('follows a resize: every row fits the new width and the screen fills the new height', async () => {
    tui = await renderTui({ env: { quizDir: FIXTURE_QUIZZES } });
    await tui.waitFor('Progress by curriculum domain');
    await tui.resize(120, 40);
    expect(tui.frame().split('\n')).toHaveLength(40);
    await tui.resize(60, 20);
    const f = tui.frame();
    expect(f.split('\n')).toHaveLength(20);
    expect(f).toContain('Quiz');
    await tui.resize(80, 24);
  });
});
