// The lab screen graded from the cluster (key l): what is applied to the namespace,
// re-graded on every apply, against the real API server; l again goes back to the files.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeLive, startTestCluster, type TestCluster } from '../helpers/apiserver.ts';
import { yamlObjects } from '../helpers/yaml-objects.ts';
import { bookinfoObjects, type Obj, RUN, Scratch } from '../live/objects.ts';
import { KEY, renderTui, type Tui } from './helpers/render.tsx';

const NS = `tui-${RUN}`;
const CANARY = new URL('../../exercises/01-traffic-shifting/canary-20/', import.meta.url).pathname;
const WRONG = new URL('../labs/canary-20/wrong-80-10/', import.meta.url).pathname;

const reviews = (dir: string): Obj[] => yamlObjects<Obj>(dir, NS);

describeLive('lab screen, graded from the cluster', () => {
  let cluster: TestCluster;
  let scratch: Scratch;
  let tui: Tui | undefined;

  beforeAll(async () => {
    cluster = await startTestCluster();
    scratch = new Scratch(cluster);
    await scratch.namespace(NS);
    await scratch.apply(bookinfoObjects(NS));
  }, 120_000);

  afterEach(async () => {
    await tui?.cleanup();
    tui = undefined;
  });

  afterAll(async () => {
    await scratch?.undo();
    await cluster?.stop();
  });

  it('l grades what is applied, again on every apply; l again goes back to the workspace', async () => {
    await scratch.apply(reviews(join(CANARY, 'solution')));
    tui = await renderTui({
      route: { name: 'lab', id: 'canary-20' },
      env: { cluster: { kubeconfig: cluster.kubeconfig.admin, namespace: NS }, debounceMs: 50 },
    });
    await tui.waitFor('✗ 1/4 criteria'); // the starter in the workspace
    await tui.press(KEY.source);
    let f = await tui.waitFor('✓ PASS 4/4', 30_000);
    expect(f).toMatch(new RegExp(`Cluster .*namespace ${NS}`));
    // the learner applies a wrong answer: the watch sees it
    await scratch.apply(reviews(WRONG));
    f = await tui.waitFor('✗ 2/4 criteria', 30_000);
    expect(f).not.toContain('✓ Passed');
    await tui.press(KEY.tab);
    f = await tui.waitFor('ICA1001');
    expect(f).toMatch(/expected v1 80%,\s+v2 20%/);
    await tui.press(KEY.source);
    f = await tui.waitFor('Workspace ica-labs/canary-20');
    await tui.waitFor('FAIL: 1 of 4 criteria met.');
  }, 90_000);

  it('says so when the cluster cannot be reached, and stays usable', async () => {
    tui = await renderTui({
      route: { name: 'lab', id: 'canary-20' },
      env: { cluster: { kubeconfig: '/nonexistent/no-such.kubeconfig' } },
    });
    await tui.waitFor('✗ 1/4 criteria');
    await tui.press(KEY.source);
    const f = await tui.waitFor(/No cluster: no kubeconfig\. `ica-trainer cluster up` makes one/);
    expect(f).not.toMatch(/\n\s+at /);
    await tui.press(KEY.source);
    await tui.waitFor('Workspace ica-labs/canary-20');
  });
});
