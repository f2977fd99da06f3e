// `lab check --live` and `lab watch --live` against the real API server: the same
// graders on the cluster's state, the same explanations as offline.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';
import { describeLive, startTestCluster, type TestCluster } from '../helpers/apiserver.ts';
import { runCli } from '../helpers/cli.ts';
import { bookinfoObjects, type Obj, RUN, Scratch } from './objects.ts';

const NS = `lab-${RUN}`;
const lab = loadExercises().exercises.find((e) => e.id === 'canary-20');
if (!lab) throw new Error('lab canary-20 is missing');
const wrongDir = new URL('../labs/canary-20/wrong-80-10/', import.meta.url).pathname;

function istioObjects(dir: string, file: string, ns: string): Obj[] {
  return (loadAll(readFileSync(join(dir, file), 'utf8')) as Obj[])
    .filter((o) => o && typeof o === 'object')
    .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: ns } }));
}

/** `lab watch --live` in a child process, with a way to wait for its output. */
function startWatch(cluster: TestCluster) {
  const bin = new URL('../../bin/ica-trainer.js', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    [
      bin,
      'lab',
      'watch',
      'canary-20',
      '--live',
      '--kubeconfig',
      cluster.kubeconfig.admin,
      '-n',
      NS,
      '--debounce',
      '100',
    ],
    { env: { ...process.env, NO_COLOR: '1', ICA_TRAINER_FROM_SOURCE: '1' } },
  );
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return {
    /** where the output is now: wait for text after this mark */
    mark: () => out.length,
    async waitFor(re: RegExp, from: number, ms = 60_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!re.test(out.slice(from))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: () => child.kill('SIGINT'),
  };
}

interface Json {
  pass: boolean;
  criteria: { id: string; pass: boolean; reason: string; codes: string[] }[];
}

describeLive('lab check --live', () => {
  let cluster: TestCluster;
  let scratch: Scratch;
  const check = () =>
    runCli(
      [
        'lab',
        'check',
        'canary-20',
        '--live',
        '--kubeconfig',
        cluster.kubeconfig.admin,
        '-n',
        NS,
        '-o',
        'json',
      ],
      {
        env: { ICA_TRAINER_HOME: join(process.env.TMPDIR ?? '/tmp', `ica-lab-live-${RUN}`) },
      },
    );

  beforeAll(async () => {
    cluster = await startTestCluster();
    scratch = new Scratch(cluster);
    await scratch.namespace(NS);
    await scratch.apply(bookinfoObjects(NS));
  }, 120_000);

  afterAll(async () => {
    await scratch?.undo();
    await cluster?.stop();
  });

  it('a wrong answer applied to the cluster fails with the same explanation as offline', async () => {
    await scratch.apply(istioObjects(wrongDir, 'reviews.yaml', NS));
    const r = check();
    expect(r.code, r.stderr).toBe(1);
    const live = JSON.parse(r.stdout) as Json;
    const offline = await gradeLab(lab, { dir: wrongDir });
    const failed = (x: { id: string; pass: boolean }[]) => x.filter((c) => !c.pass).map((c) => c.id);
    expect(failed(live.criteria)).toEqual(failed(offline.criteria));
    const split = live.criteria.find((c) => c.id === 'split');
    expect(split?.codes).toContain('ICA1001');
    expect(split?.reason).toMatch(/expected v1 80%, v2 20%/);
  });

  it('the solution applied to the cluster passes', async () => {
    await scratch.apply(istioObjects(lab.solutionDir, 'reviews.yaml', NS));
    const r = check();
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect((JSON.parse(r.stdout) as Json).pass).toBe(true);
  });

  it('watch re-grades when something is applied', async () => {
    await scratch.apply(istioObjects(wrongDir, 'reviews.yaml', NS));
    const watch = startWatch(cluster);
    try {
      await watch.waitFor(/FAIL: /, 0);
      const mark = watch.mark();
      await scratch.apply(istioObjects(lab.solutionDir, 'reviews.yaml', NS));
      await watch.waitFor(/PASS: all 4 criteria met/, mark);
    } finally {
      watch.stop();
    }
  }, 60_000);

  it('watch says when the API server goes away and picks up again when it returns', async (ctx) => {
    if (!cluster.restartApiServer) ctx.skip(); // an existing cluster (ICA_TEST_KUBECONFIG) cannot be restarted
    await scratch.apply(istioObjects(wrongDir, 'reviews.yaml', NS));
    const watch = startWatch(cluster);
    try {
      await watch.waitFor(/FAIL: /, 0);
      let mark = watch.mark();
      await cluster.restartApiServer?.({ downMs: 1500 });
      await watch.waitFor(/lost the watch on \w+/, mark);
      await watch.waitFor(/watching \w+ again/, mark);
      mark = watch.mark();
      await scratch.apply(istioObjects(lab.solutionDir, 'reviews.yaml', NS));
      await watch.waitFor(/PASS: all 4 criteria met/, mark);
    } finally {
      watch.stop();
    }
  }, 180_000);

  it('an unreachable cluster is a one-line error, not a hang', () => {
    const r = runCli([
      'lab',
      'check',
      'canary-20',
      '--live',
      '--kubeconfig',
      cluster.kubeconfig.admin,
      '--context',
      'nope',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/context/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
