// `lab check --live` and `lab watch --live` against the real API server: the same
// graders on the cluster's state, the same explanations as offline.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';
import { describeLive } from '../helpers/apiserver.ts';
import { runCli } from '../helpers/cli.ts';
import { yamlObjects } from '../helpers/yaml-objects.ts';
import {
  curlOut,
  loadJson,
  makeProbeEnv,
  PLAIN_PAGE,
  reviewsBody,
  STARRED_PAGE,
  statsText,
} from '../probes/probe-env.ts';
import { bookinfoObjects, type Obj, RUN } from './objects.ts';
import { sharedCluster, startLabWatch } from './steps.ts';

const NS = `lab-${RUN}`;
const lab = loadExercises().exercises.find((e) => e.id === 'canary-20');
if (!lab) throw new Error('lab canary-20 is missing');
const wrongDir = new URL('../labs/canary-20/wrong-80-10/', import.meta.url).pathname;

const istioObjects = (dir: string, ns: string): Obj[] => yamlObjects<Obj>(dir, ns);

interface Json {
  pass: boolean;
  criteria: { id: string; pass: boolean; reason: string; codes: string[] }[];
}

describeLive('lab check --live', () => {
  const shared = sharedCluster(async (scratch) => {
    await scratch.namespace(NS);
    await scratch.apply(bookinfoObjects(NS));
  }, 120_000);

  const check = () =>
    runCli(
      [
        'lab',
        'check',
        'canary-20',
        '--live',
        '--kubeconfig',
        shared.cluster.kubeconfig.admin,
        '-n',
        NS,
        '-o',
        'json',
      ],
      {
        env: { ICA_TRAINER_HOME: join(process.env.TMPDIR ?? '/tmp', `ica-lab-live-${RUN}`) },
      },
    );

  it('a wrong answer applied to the cluster fails with the same explanation as offline', async () => {
    await shared.scratch.apply(istioObjects(wrongDir, NS));
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
    await shared.scratch.apply(istioObjects(lab.solutionDir, NS));
    const r = check();
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect((JSON.parse(r.stdout) as Json).pass).toBe(true);
  });

  it('--probe measures the behaviour criteria through fortio, counting every request at its sidecar', async () => {
    await shared.scratch.apply(istioObjects(lab.solutionDir, NS));
    const v1 = reviewsBody('reviews-v1-6cf9c9d8b4-2kq7m');
    const v2 = reviewsBody('reviews-v2-5b667bcbf8-x7xzs', 'black');
    const starred = STARRED_PAGE;
    const plain = PLAIN_PAGE;
    const reviews = { reviews: { v1: 797, v2: 203 } };
    const probes = makeProbeEnv({
      rules: [
        {
          // read before and after the reviews probe, then before and after the /productpage one
          when: ['pilot-agent'],
          answers: [
            { stdout: statsText({}, NS) },
            { stdout: statsText(reviews, NS) },
            { stdout: statsText(reviews, NS) },
            { stdout: statsText({ ...reviews, productpage: { v1: 1000 } }, NS) },
          ],
        },
        { when: ['load'], answers: [{ stdout: loadJson({ '200': 1000 }) }] },
        {
          when: ['curl', 'http://reviews:9080/reviews/0'],
          answers: [{ stdout: curlOut(200, v1) }, { stdout: curlOut(200, v2) }],
        },
        {
          when: ['curl', 'http://productpage:9080/productpage'],
          // one view in five with stars (the samples run 4 at a time, so only roughly in this order)
          answers: [plain, plain, starred, plain, plain, plain, plain, starred, plain, plain].map((b) => ({
            stdout: curlOut(200, b),
          })),
        },
      ],
    });
    try {
      const r = runCli(
        [
          'lab',
          'check',
          'canary-20',
          '--live',
          '--probe',
          '--kubeconfig',
          shared.cluster.kubeconfig.admin,
          '-n',
          NS,
          '-o',
          'json',
        ],
        {
          env: {
            ...probes.env,
            ICA_TRAINER_HOME: join(process.env.TMPDIR ?? '/tmp', `ica-lab-live-${RUN}`),
          },
        },
      );
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stderr).toMatch(/probing: requests to reviews:9080\/reviews\/0/);
      const split = (JSON.parse(r.stdout) as Json).criteria.find((c) => c.id === 'split');
      expect(split?.reason).toMatch(
        /^requests to reviews for \/reviews\/0: v1 79\.7%, v2 20\.3% \(expected v1 80%, v2 20% \(±5% on 1000 answers\)\) \[measured: 1000 requests, counted by the fortio client's sidecar\]$/,
      );
      const load = probes.calls().find((c) => c.includes('load')) ?? [];
      expect(load.slice(0, 8)).toEqual([
        '--kubeconfig',
        shared.cluster.kubeconfig.admin,
        '--context',
        expect.any(String),
        '-n',
        NS,
        'exec',
        'deploy/fortio-deploy',
      ]);
    } finally {
      probes.cleanup();
    }
  });

  it('watch re-grades when something is applied', async () => {
    await shared.scratch.apply(istioObjects(wrongDir, NS));
    const watch = startLabWatch(shared.cluster.kubeconfig.admin, 'canary-20', NS);
    try {
      await watch.waitFor(/FAIL: /, 0);
      const mark = watch.mark();
      await shared.scratch.apply(istioObjects(lab.solutionDir, NS));
      await watch.waitFor(/PASS: all 4 criteria met/, mark);
    } finally {
      watch.stop();
    }
  }, 60_000);

  it('watch says when the API server goes away and picks up again when it returns', async (ctx) => {
    if (!shared.cluster.restartApiServer) ctx.skip(); // an existing cluster (ICA_TEST_KUBECONFIG) cannot be restarted
    await shared.scratch.apply(istioObjects(wrongDir, NS));
    const watch = startLabWatch(shared.cluster.kubeconfig.admin, 'canary-20', NS);
    try {
      await watch.waitFor(/FAIL: /, 0);
      let mark = watch.mark();
      await shared.cluster.restartApiServer?.({ downMs: 1500 });
      await watch.waitFor(/lost the watch on \w+/, mark);
      await watch.waitFor(/watching \w+ again/, mark);
      mark = watch.mark();
      await shared.scratch.apply(istioObjects(lab.solutionDir, NS));
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
      shared.cluster.kubeconfig.admin,
      '--context',
      'nope',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/context/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
