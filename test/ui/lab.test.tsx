// The lab screen driven by keys: the task, live grading on every save with
// criteria and findings, the traffic picture, hints, the solution behind a
// confirmation; and the lab list with its content problems.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { taskLines } from '../../src/ui/screens/lab-view.ts';
import { lineText } from '../../src/ui/text/lines.ts';
import { KEY, renderTui, type Tui } from './helpers/render.tsx';

const EXERCISES = new URL('../../exercises/', import.meta.url).pathname;
const CANARY = join(EXERCISES, '01-traffic-shifting', 'canary-20');

let tui: Tui | undefined;
const extra: string[] = [];
afterEach(async () => {
  await tui?.cleanup();
  tui = undefined;
  for (const d of extra.splice(0)) await rm(d, { recursive: true, force: true });
});

async function labState(home: string, id: string): Promise<Record<string, unknown> | undefined> {
  const state = JSON.parse(await readFile(join(home, 'state.json'), 'utf8')) as {
    labs?: Record<string, Record<string, unknown>>;
  };
  return state.labs?.[id];
}

describe('lab screen', () => {
  it("the task pane ends with the lab's istio.io page", () => {
    const lab = loadExercises().exercises.find((e) => e.id === 'canary-20');
    expect(lab).toBeDefined();
    const text = taskLines(lab as NonNullable<typeof lab>, 80).map(lineText);
    expect(text.at(-1)).toBe('Docs: https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/');
    // the criteria listed are the ones graded ("✗ 1/4 criteria"): the validity gate and the lab's three
    const listed = text.slice(text.indexOf('What is checked') + 1).filter((l) => l.startsWith('  • '));
    expect(listed).toHaveLength(4);
    expect(listed[0]).toContain('The configuration is valid');
  });

  it('grades on every save: the starter fails, the solution passes, the traffic picture follows', async () => {
    tui = await renderTui({ route: { name: 'lab', id: 'canary-20' } });
    let f = await tui.waitFor('✗ 1/4 criteria');
    expect(f).toContain('Canary release: 20% of reviews traffic to v2');
    expect(f).toContain('Workspace ica-labs/canary-20');
    expect(f).toContain('• 80% of the requests for reviews go to v1,'); // README rendered: list items
    await tui.press(KEY.tab);
    f = await tui.waitFor('FAIL: 1 of 4 criteria met.');
    expect(f).toContain('✗ Subsets for reviews v1 and v2 exist');
    await tui.press(KEY.tab);
    f = await tui.waitFor('Where the requests went');
    expect(f).toMatch(/reviews v3 .*%/); // no routing yet: all three versions answer

    // the learner saves the solution
    await cp(
      join(CANARY, 'solution', 'reviews.yaml'),
      join(tui.cwd, 'ica-labs', 'canary-20', 'reviews.yaml'),
    );
    f = await tui.waitFor('✓ PASS 4/4');
    expect(f).toContain('✓ Passed: every criterion is met.');
    // the header says what the save changed
    expect(f).toContain('Workspace ica-labs/canary-20  last save: 1 → 4 of 4 criteria met (3 newly met)');
    expect(f).toMatch(/reviews v1 \(subset v1\) .* 8\d\.\d%/);
    expect(f).toMatch(/reviews v2 \(subset v2\) .* 1\d\.\d%/);
    expect(f).not.toContain('reviews v3');
    expect(f).toMatch(/reviews v2, black stars/);
    await tui.press(KEY.shiftTab);
    await tui.waitFor('PASS: all 4 criteria met.');
    await tui.saved();
    expect((await labState(tui.home, 'canary-20'))?.status).toBe('passed');
  });

  it('shows findings with file:line for a broken file, and keeps the last grade while re-grading', async () => {
    tui = await renderTui({ route: { name: 'lab', id: 'canary-20' } });
    await tui.waitFor('✗ 1/4 criteria');
    await tui.press(KEY.tab);
    await tui.waitFor('FAIL: 1 of 4 criteria met.');
    const file = join(tui.cwd, 'ica-labs', 'canary-20', 'reviews.yaml');
    await writeFile(
      file,
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews, subset: v9}\n',
    );
    const f = await tui.waitFor(/reviews\.yaml:\d+:\d+/);
    expect(f).toContain('✗ The configuration is valid');
    expect(f).toMatch(/IST\d{4}|ICA\d{4}/);
    expect(f).toContain('docs: https://istio.io/latest/docs/reference/config/analysis/ist0101/');
    // no flicker: once graded, every frame shows a result, also while the next grade runs
    const frames = tui.frames();
    const first = frames.findIndex((x) => x.includes('✗ 1/4 criteria'));
    expect(first).toBeGreaterThanOrEqual(0);
    for (const x of frames.slice(first)) expect(x).toMatch(/✗ \d\/4 criteria|✓ PASS/);
    expect(frames.slice(first).some((x) => x.includes('grading'))).toBe(true);
  });

  it('gives hints one by one and shows the solution only after a confirmation', async () => {
    tui = await renderTui({ route: { name: 'lab', id: 'canary-20' } });
    await tui.waitFor('✗ 1/4 criteria');
    await tui.press(KEY.hint);
    await tui.waitFor('Hint 1 of 3: Weighted routing needs two things');
    await tui.press(KEY.hint);
    await tui.waitFor('Hint 2 of 3');
    await tui.press(KEY.solution);
    await tui.waitFor('Show the reference solution?');
    await tui.press(KEY.no);
    await tui.waitFor((f) => !f.includes('Show the reference solution?'));
    expect(tui.frame()).not.toContain('# reviews.yaml');
    await tui.press(KEY.solution);
    await tui.waitFor('Show the reference solution?');
    await tui.press(KEY.yes);
    const f = await tui.waitFor('# reviews.yaml');
    expect(f).toContain('kind: DestinationRule');
    await tui.saved();
    const p = await labState(tui.home, 'canary-20');
    expect(p?.hintsUsed).toBe(2);
    expect(p?.revealed).toBe(true);
    await tui.press(KEY.back);
    await tui.waitFor('Progress by curriculum domain');
  });

  it('opens the editor on the lab file and grades when it returns', async () => {
    tui = await renderTui({
      route: { name: 'lab', id: 'canary-20' },
      editorWrites: async (file) => {
        await cp(join(CANARY, 'solution', 'reviews.yaml'), file);
      },
    });
    await tui.waitFor('✗ 1/4 criteria');
    await tui.press(KEY.edit);
    await tui.waitFor('✓ PASS 4/4');
    expect(tui.edited[0]).toBe(join(tui.cwd, 'ica-labs', 'canary-20', 'reviews.yaml'));
  });

  it('keeps q and ? in the footer at 80 columns, and never cuts a lab id', async () => {
    tui = await renderTui({ route: { name: 'lab', id: 'canary-20' } });
    const f = await tui.waitFor('✗ 1/4 criteria');
    const footer = f.split('\n').at(-1) ?? '';
    expect(footer).toContain('q leave lab');
    expect(footer).toContain('? help');
    expect(footer.length).toBeLessThanOrEqual(80);
    await tui.press(KEY.back);
    await tui.cleanup();
    tui = await renderTui({ route: { name: 'labs' } });
    await tui.waitFor('canary-20');
    for (let i = 0; i < 25; i++) await tui.press(KEY.down);
    const list = await tui.waitFor('egress-gateway-passthrough');
    expect(list).not.toMatch(/egress-gateway-passthr…/);
  });

  it('Home and End jump to the first and last lab; "more ↓" only while labs remain below', async () => {
    tui = await renderTui({ route: { name: 'labs' } });
    let f = await tui.waitFor('› route-all-v1');
    expect(f.split('\n')[0]).toMatch(/passed · more ↓$/);
    await tui.press(KEY.end);
    f = await tui.waitFor(`› ${loadExercises().exercises.at(-1)?.id}`);
    expect(f.split('\n')[0]).not.toContain('more ↓');
    expect(f.split('\n')[0]).toMatch(/more ↑$/);
    await tui.press(KEY.home);
    await tui.waitFor('› route-all-v1');
  });

  it('l without a cluster says in one line what is missing and how to get it, not "connecting…"', async () => {
    tui = await renderTui({
      route: { name: 'lab', id: 'canary-20' },
      env: { cluster: { kubeconfig: join(tmpdir(), 'ica-no-such-dir', 'no-such.kubeconfig') } },
    });
    await tui.waitFor('✗ 1/4 criteria');
    await tui.press(KEY.source);
    const f = await tui.waitFor('not connected');
    expect(f).toMatch(/Cluster not connected {2}l: back to the files/);
    expect(f).toMatch(/No cluster: no kubeconfig\. `ica-trainer cluster up` makes one/);
    expect(f).not.toContain('connecting…');
    await tui.press(KEY.source);
    await tui.waitFor('Workspace ica-labs/canary-20');
  });

  it('says so when a lab does not exist, instead of crashing', async () => {
    tui = await renderTui({ route: { name: 'lab', id: 'no-such-lab' } });
    await tui.waitFor('lab no-such-lab could not be opened: there is no lab "no-such-lab"');
    await tui.press(KEY.back);
    await tui.waitFor('Progress by curriculum domain');
  });
});

describe('lab list', () => {
  it('lists labs by topic with their status, reports broken lab content, and opens a lab', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ica-tui-exercises-'));
    extra.push(root);
    await cp(CANARY, join(root, '01-traffic-shifting', 'canary-20'), { recursive: true });
    await mkdir(join(root, '01-traffic-shifting', 'broken-lab'), { recursive: true });
    await writeFile(
      join(root, '01-traffic-shifting', 'broken-lab', 'exercise.yaml'),
      'id: broken-lab\ntitle: x\n',
    );
    tui = await renderTui({ route: { name: 'labs' }, env: { exercisesDir: root } });
    const f = await tui.waitFor('content problem');
    expect(f).toContain('traffic shifting');
    expect(f).toMatch(/› canary-20 +· not started/);
    expect(f).toContain('broken-lab');
    await tui.press(KEY.enter);
    await tui.waitFor('✗ 1/4 criteria');
    await tui.press(KEY.back);
    await tui.waitFor(/canary-20 +… attempted/);
  });
});

describe('the one line for a missing cluster', () => {
  it('names the cause, cluster up and the tools it still needs', async () => {
    const { noClusterLine } = await import('../../src/ui/services/lab-cluster.ts');
    expect(noClusterLine('no kubeconfig: KUBECONFIG is not set', ['kind', 'istioctl'], 'ica-trainer')).toBe(
      'No cluster: no kubeconfig. `ica-trainer cluster up` makes one; it needs kind, istioctl, not installed here.',
    );
    expect(noClusterLine('connect ECONNREFUSED 127.0.0.1:6443', [], 'npx ica-trainer')).toBe(
      'No cluster: the cluster does not answer. `npx ica-trainer cluster up` makes one.',
    );
    expect(noClusterLine('forbidden: User cannot list', [], 'ica-trainer')).toBeUndefined();
  });
});
