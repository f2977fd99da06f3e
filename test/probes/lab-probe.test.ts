// `lab check --live --probe`: grading in passes, answering the graders from real probes.
import { afterEach, describe, expect, it } from 'vitest';
import { callerDependent, gradeWithProbes, ProbeSimulator, probeKey } from '../../src/cli/lab-probe.ts';
import { loadPaths } from '../../src/core/config/load.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';
import type { LabResult } from '../../src/core/grading/types.ts';
import type { SimResult } from '../../src/core/sim/index.ts';
import { snapshotOf } from '../sim/helpers.ts';
import {
  curlOut,
  loadJson,
  makeProbeEnv,
  PLAIN_PAGE,
  type ProbeEnv,
  reviewsBody,
  STARRED_PAGE,
} from './probe-env.ts';

let env: ProbeEnv | undefined;
afterEach(() => {
  env?.cleanup();
  env = undefined;
});

const ALL_V2 = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: { host: reviews, subset: v2 }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: default }
spec:
  host: reviews
  subsets:
  - { name: v2, labels: { version: v2 } }
`;

const fakeResult = (): LabResult => ({
  lab: 'x',
  title: 'x',
  mode: 'live',
  pass: true,
  criteria: [],
  findings: [],
  files: [],
});

describe('gradeWithProbes', () => {
  it('notes the requests in a first pass, probes them, and answers the second pass from the probes', async () => {
    env = makeProbeEnv({
      rules: [
        { when: ['load'], answers: [{ stdout: loadJson({ '200': 200 }) }] },
        { when: ['curl'], answers: [{ stdout: curlOut(200, reviewsBody('reviews-v1-6cf9c9d8b4-2kq7m')) }] },
      ],
    });
    // the cluster answers v1, although the configuration says v2: live traffic decides
    const snapshot = snapshotOf(ALL_V2);
    const seen: SimResult[][] = [];
    const probed: string[] = [];
    const result = await gradeWithProbes(
      async (simulate) => {
        seen.push([
          simulate(snapshot, {
            to: 'reviews',
            path: '/reviews/0',
            requests: 4000,
            namespace: 'default',
            seed: 1,
          }),
        ]);
        return fakeResult();
      },
      { run: env.run, namespace: 'default', bodySamples: 2, onProbe: (d) => probed.push(d) },
    );
    expect(result.pass).toBe(true);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.[0]?.summary.destinations[0]).toMatchObject({ version: 'v2' }); // the simulator, pass 1
    expect(seen[1]?.[0]?.summary.destinations).toEqual([
      { service: 'reviews', version: 'v1', reachedPod: true, count: 2, percent: 100 },
    ]);
    expect(probed).toEqual(['requests to reviews:9080/reviews/0']);
    expect(env.calls().filter((c) => c.includes('load'))).toHaveLength(1);
  });

  it('makes a failed probe the error of its criterion, with the kubectl output', async () => {
    env = makeProbeEnv({
      rules: [
        {
          when: ['exec'],
          answers: [{ code: 1, stderr: 'error: You must be logged in to the server (Unauthorized)\n' }],
        },
      ],
    });
    const snapshot = snapshotOf(ALL_V2);
    const errors: string[] = [];
    await gradeWithProbes(
      async (simulate) => {
        try {
          simulate(snapshot, { to: 'reviews', path: '/reviews/0' });
        } catch (e) {
          errors.push((e as Error).message);
        }
        return fakeResult();
      },
      { run: env.run, namespace: 'default', bodySamples: 1 },
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /failed with exit code 1: error: You must be logged in to the server \(Unauthorized\)$/,
    );
  });

  it('passes a correct canary whose ten sampled answers came out 7/3 and 3 in 10 stars: luck is not a mistake', async () => {
    const v1 = reviewsBody('reviews-v1-6cf9c9d8b4-2kq7m');
    const v2 = reviewsBody('reviews-v2-5b667bcbf8-x7xzs', 'black');
    const starred = STARRED_PAGE;
    const plain = PLAIN_PAGE;
    env = makeProbeEnv({
      rules: [
        { when: ['load'], answers: [{ stdout: loadJson({ '200': 200 }) }] },
        {
          when: ['curl', 'http://reviews:9080/reviews/0'],
          answers: [v1, v2, v1, v1, v2, v1, v1, v2, v1, v1].map((b) => ({ stdout: curlOut(200, b) })),
        },
        {
          when: ['curl', 'http://productpage:9080/productpage'],
          answers: [plain, starred, plain, plain, starred, plain, plain, starred, plain, plain].map((b) => ({
            stdout: curlOut(200, b),
          })),
        },
      ],
    });
    const lab = loadExercises().exercises.find((e) => e.id === 'canary-20');
    if (!lab) throw new Error('lab canary-20 is missing');
    const load = await loadPaths([
      new URL('../../exercises/01-traffic-shifting/canary-20/solution', import.meta.url).pathname,
    ]);
    const result = await gradeWithProbes((simulate) => gradeLab(lab, { dir: 'cluster', load, simulate }), {
      run: env.run,
      namespace: 'default',
      bodySamples: 10,
    });
    const split = result.criteria.find((c) => c.id === 'split');
    expect(split?.reason).toMatch(/v1 70%, v2 30% \(expected v1 80%, v2 20% \(±\d+% on 10 answers\)\)/);
    expect(result.criteria.find((c) => c.id === 'stars')?.reason).toMatch(
      /30% of \/productpage views show stars/,
    );
    expect(result.pass).toBe(true);
  });

  it('sizes a slow probe to fit its deadline, by the latency the cluster configuration predicts', async () => {
    env = makeProbeEnv({
      rules: [
        { when: ['load'], answers: [{ stdout: loadJson({ '200': 11 }) }] },
        { when: ['curl'], answers: [{ stdout: curlOut(200, '{"id": 0}') }] },
      ],
    });
    const delayed = snapshotOf(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings, namespace: default }
spec:
  hosts: [ratings]
  http:
  - fault: { delay: { fixedDelay: 3s, percentage: { value: 100 } } }
    route: [{ destination: { host: ratings } }]
`);
    const sim = new ProbeSimulator({ run: env.run, namespace: 'default', bodySamples: 4 });
    sim.simulate(delayed, { to: 'ratings', path: '/ratings/0', requests: 400, concurrency: 1 });
    // the check leaves the concurrency open and no pool can overflow: 16 at a time
    sim.simulate(delayed, { to: 'ratings', path: '/ratings/0', requests: 400 });
    await sim.fetch();
    const loads = env.calls().filter((c) => c.includes('load'));
    const arg = (call: string[] | undefined, flag: string) => call?.[call.lastIndexOf(flag) + 1];
    // 60 s per probe, 60% of it for the load: 36 s / ~3 s per request at -c 1, 16 times that at -c 16
    expect(loads.map((c) => [arg(c, '-n'), arg(c, '-c')])).toEqual([
      ['11', '1'],
      ['191', '16'],
    ]);
    expect(env.calls().filter((c) => c.includes('curl'))).toHaveLength(8);
    // and the criterion's reason will say how they were sent (11: what this fake's fortio reports)
    const wide = sim.simulate(delayed, { to: 'ratings', path: '/ratings/0', requests: 400 });
    expect(wide.summary.notes?.[0]).toMatch(
      /^measured: 11 requests, 16 at a time; versions and Envoy flags from 4 sampled answers/,
    );
  });

  it('simulates what a probe cannot send (a caller-dependent route, a bad day of the pods), and says so', () => {
    const bySource = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings, namespace: default }
spec:
  hosts: [ratings]
  http:
  - match: [{ sourceLabels: { app: reviews, version: v2 } }]
    fault: { abort: { httpStatus: 500, percentage: { value: 100 } } }
    route: [{ destination: { host: ratings } }]
  - route: [{ destination: { host: ratings } }]
`;
    const snapshot = snapshotOf(bySource);
    expect(callerDependent(snapshot, { to: 'ratings', from: 'reviews-v2' }, 'default')).toMatch(
      /VirtualService default\/ratings routes ratings by the calling workload/,
    );
    expect(callerDependent(snapshot, { to: 'ratings' }, 'default')).toBeUndefined();
    expect(
      callerDependent(snapshotOf(ALL_V2), { to: 'reviews', from: 'productpage-v1' }, 'default'),
    ).toBeUndefined();
    const sim = new ProbeSimulator({
      namespace: 'default',
      run: async () => {
        throw new Error('no call expected');
      },
    });
    // simulated on the cluster's configuration instead, and said so: no probe is noted
    const r = sim.simulate(snapshot, { to: 'ratings', from: 'reviews-v2', requests: 100 });
    expect(r.summary.statuses).toEqual([{ status: 500, flags: 'FI', count: 100, percent: 100 }]);
    expect(r.summary.notes).toEqual([
      expect.stringMatching(
        /^simulated on the cluster's configuration: VirtualService default\/ratings routes ratings by the calling workload/,
      ),
    ]);
    const bad = sim.simulate(snapshotOf(ALL_V2), { to: 'reviews', fail: ['reviews:v2=50%'], requests: 100 });
    expect(bad.summary.notes).toEqual([
      "simulated on the cluster's configuration: live probes cannot make pods fail or slow down (the check plays reviews:v2=50%)",
    ]);
    expect(sim.pending()).toBe(0);
  });

  it('keys requests by what changes the traffic, with the count bounded', () => {
    const sim = new ProbeSimulator({ namespace: 'default' });
    const a = probeKey(sim.probe, { to: 'reviews', requests: 4000, headers: { b: '1', a: '2' } });
    const b = probeKey(sim.probe, { to: 'reviews', requests: 1500, headers: { a: '2', b: '1' }, seed: 7 });
    expect(a).toBe(b);
    expect(probeKey(sim.probe, { to: 'reviews', concurrency: 3 })).not.toBe(a);
  });
});
