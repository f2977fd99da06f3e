// Live probes against a recording fake of kubectl that answers as fortio would.
import { afterEach, describe, expect, it } from 'vitest';
import { LiveProbe, ProbeError } from '../../src/core/probes/index.ts';
import { curlOut, fixture, loadJson, makeProbeEnv, type ProbeEnv, reviewsBody } from './probe-env.ts';

let env: ProbeEnv | undefined;
afterEach(() => {
  env?.cleanup();
  env = undefined;
});

const PREFIX = [
  '--kubeconfig',
  '/tmp/kc',
  '--context',
  'kind-ica',
  '-n',
  'bookinfo',
  'exec',
  'deploy/fortio-deploy',
  '-c',
  'fortio',
  '--',
  'fortio',
];

describe('LiveProbe', () => {
  it('runs fortio load and fortio curl through kubectl exec with exact argument arrays', async () => {
    env = makeProbeEnv({
      rules: [
        {
          when: ['load'],
          answers: [
            { stdout: loadJson({ '200': 200 }), stderr: 'Fortio 1.66.5 running at 0 queries per second\n' },
          ],
        },
        {
          when: ['curl'],
          answers: [{ stdout: curlOut(200, reviewsBody('reviews-v2-5b667bcbf8-x7xzs', 'black')) }],
        },
      ],
    });
    const probe = new LiveProbe({
      run: env.run,
      kubeconfig: '/tmp/kc',
      context: 'kind-ica',
      namespace: 'bookinfo',
      bodySamples: 2,
    });
    await probe.probe({
      to: 'reviews',
      path: '/reviews/0',
      headers: { 'end-user': 'jason' },
      requests: 4000,
      concurrency: 2,
    });
    const calls = env.calls();
    // the sidecar's counters are read first (this fake has none to give), then load and samples
    expect(calls).toHaveLength(4);
    expect(calls[0]).toEqual([
      ...PREFIX.slice(0, 9),
      'istio-proxy',
      '--',
      'pilot-agent',
      'request',
      'GET',
      'stats/prometheus',
    ]);
    expect(calls.find((c) => c.includes('load'))).toEqual([
      ...PREFIX,
      'load',
      '-json',
      '-',
      '-qps',
      '0',
      '-n',
      '1000',
      '-c',
      '2',
      '-p',
      '50,90,99',
      '-timeout',
      '30s',
      '-allow-initial-errors',
      '-H',
      'end-user:jason',
      'http://reviews:9080/reviews/0',
    ]);
    expect(calls.filter((c) => c.includes('curl'))).toEqual([
      [...PREFIX, 'curl', '-timeout', '30s', '-H', 'end-user:jason', 'http://reviews:9080/reviews/0'],
      [...PREFIX, 'curl', '-timeout', '30s', '-H', 'end-user:jason', 'http://reviews:9080/reviews/0'],
    ]);
  });

  it("counts every request through the fortio sidecar's metrics: versions, statuses, Envoy flags, retries", async () => {
    env = makeProbeEnv({
      rules: [
        {
          when: ['pilot-agent'],
          answers: [{ stdout: fixture('stats-before.prom') }, { stdout: fixture('stats-after.prom') }],
        },
        { when: ['load'], answers: [{ stdout: loadJson({ '200': 203, '503': 5 }) }] },
        { when: ['curl'], answers: [{ stdout: curlOut(200, reviewsBody('reviews-v1-6cf9c9d8b4-2kq7m')) }] },
      ],
    });
    const probe = new LiveProbe({ run: env.run, namespace: 'default', bodySamples: 10 });
    const result = await probe.probe({ to: 'reviews', path: '/reviews/0' });
    expect(result.records).toHaveLength(208); // the load's requests, as the sidecar counted them
    expect(result.summary.destinations).toEqual([
      { service: 'reviews', version: 'v1', reachedPod: true, count: 162, percent: 77.88 },
      { service: 'reviews', version: 'v2', reachedPod: true, count: 41, percent: 19.71 },
      { service: 'reviews', version: '-', reachedPod: false, count: 5, percent: 2.4 },
    ]);
    expect(result.summary.statuses).toEqual([
      { status: 200, flags: '-', count: 201, percent: 96.63 },
      { status: 503, flags: 'FI', count: 5, percent: 2.4 },
      { status: 200, flags: 'DI', count: 2, percent: 0.96 },
    ]);
    expect(result.summary.retries.retries).toBe(5);
    expect(result.summary.notes).toEqual(["measured: 208 requests, counted by the fortio client's sidecar"]);
    expect(env.calls().filter((c) => c.includes('pilot-agent'))).toHaveLength(2);
  });

  it('falls back to sampled answers, and says why, when the sidecar cannot be read', async () => {
    env = makeProbeEnv({
      rules: [
        {
          when: ['pilot-agent'],
          answers: [
            { code: 1, stderr: 'error: container istio-proxy not found in pod fortio-deploy-7c9d\n' },
          ],
        },
        { when: ['load'], answers: [{ stdout: loadJson({ '200': 200 }) }] },
        { when: ['curl'], answers: [{ stdout: curlOut(200, reviewsBody('reviews-v1-6cf9c9d8b4-2kq7m')) }] },
      ],
    });
    const probe = new LiveProbe({ run: env.run, namespace: 'default', bodySamples: 3 });
    const result = await probe.probe({ to: 'reviews', path: '/reviews/0' });
    expect(result.records).toHaveLength(3);
    expect(result.summary.destinations).toEqual([
      { service: 'reviews', version: 'v1', reachedPod: true, count: 3, percent: 100 },
    ]);
    expect(result.summary.notes?.[0]).toMatch(
      /^measured: 200 requests; versions and Envoy flags from 3 sampled answers \(the sidecar's counters could not be read: `kubectl -n default exec deploy\/fortio-deploy -c istio-proxy -- pilot-agent request GET stats\/prometheus` failed with exit code 1: error: container istio-proxy not found/,
    );
  });

  it('reads the port of a short host from portOf, and keeps URLs and explicit ports', () => {
    const probe = new LiveProbe({
      namespace: 'default',
      portOf: (s) => (s === 'httpbin' ? 8000 : undefined),
    });
    expect(probe.target({ to: 'httpbin', path: '/status/200' }).url).toBe('http://httpbin:8000/status/200');
    expect(probe.target({ to: 'reviews:9090' }).url).toBe('http://reviews:9090/');
    expect(probe.target({ to: 'ratings.default.svc.cluster.local', path: '/ratings/0' }).service).toBe(
      'ratings',
    );
    expect(probe.target({ to: 'http://httpbin.org/headers' })).toMatchObject({
      url: 'http://httpbin.org/headers',
      service: 'httpbin.org',
    });
  });

  it("turns fortio's JSON and the reviews bodies into the simulator's SimResult shape", async () => {
    env = makeProbeEnv({
      rules: [
        { when: ['load'], answers: [{ stdout: loadJson({ '200': 200 }) }] },
        {
          when: ['curl'],
          answers: [
            { stdout: curlOut(200, reviewsBody('reviews-v1-6cf9c9d8b4-2kq7m')) },
            { stdout: curlOut(200, reviewsBody('reviews-v2-5b667bcbf8-x7xzs', 'black')) },
            { stdout: curlOut(200, reviewsBody('reviews-v1-6cf9c9d8b4-2kq7m')) },
            { stdout: curlOut(200, reviewsBody('reviews-v3-7b9b6c8d6f-4qlzn', 'red')) },
          ],
        },
      ],
    });
    const probe = new LiveProbe({ run: env.run, namespace: 'default', bodySamples: 4, parallel: 1 });
    const r = await probe.probe({ to: 'reviews', path: '/reviews/0', requests: 200 });
    expect(r.summary.requests).toBe(200);
    expect(r.summary.statuses).toEqual([{ status: 200, flags: '-', count: 200, percent: 100 }]);
    expect(r.summary.latencyMs).toEqual({
      min: 2.581,
      mean: 4.846,
      p50: 4.057,
      p90: 8.636,
      p99: 24.5,
      max: 31.774,
    });
    expect(r.summary.simulatedMs).toBeCloseTo(484.497, 3);
    expect(r.summary.destinations).toEqual([
      { service: 'reviews', version: 'v1', reachedPod: true, count: 2, percent: 50 },
      { service: 'reviews', version: 'v2', reachedPod: true, count: 1, percent: 25 },
      { service: 'reviews', version: 'v3', reachedPod: true, count: 1, percent: 25 },
    ]);
    expect(r.records.map((x) => [x.version, x.status, x.latencyMs, x.pod])).toEqual([
      ['v1', 200, 4.057, 'reviews-v1-6cf9c9d8b4-2kq7m'],
      ['v2', 200, 4.057, 'reviews-v2-5b667bcbf8-x7xzs'],
      ['v1', 200, 4.057, 'reviews-v1-6cf9c9d8b4-2kq7m'],
      ['v3', 200, 4.057, 'reviews-v3-7b9b6c8d6f-4qlzn'],
    ]);
    expect(r.summary.upstream.map((u) => [u.pod, u.version, u.requests])).toEqual([
      ['reviews-v1-6cf9c9d8b4-2kq7m', 'v1', 2],
      ['reviews-v2-5b667bcbf8-x7xzs', 'v2', 1],
      ['reviews-v3-7b9b6c8d6f-4qlzn', 'v3', 1],
    ]);
    expect(r.summary.target).toEqual({
      host: 'reviews',
      authority: 'reviews:9080',
      path: '/reviews/0',
      method: 'GET',
      from: 'fortio-deploy in default',
    });
  });

  it('reads /productpage views (stars) from the page bodies', async () => {
    env = makeProbeEnv({
      rules: [
        { when: ['load'], answers: [{ stdout: loadJson({ '200': 20 }) }] },
        {
          when: ['curl'],
          answers: [
            {
              stdout: curlOut(200, fixture('productpage-v2.html.txt'), {
                'content-type': 'text/html; charset=utf-8',
              }),
            },
            { stdout: curlOut(200, fixture('productpage-v3-tailwind.html.txt')) },
          ],
        },
      ],
    });
    const probe = new LiveProbe({ run: env.run, namespace: 'default', bodySamples: 2, parallel: 1 });
    const r = await probe.probe({
      to: 'productpage',
      path: '/productpage',
      headers: { 'end-user': 'jason' },
      requests: 20,
    });
    expect(r.records.map((x) => x.page)).toEqual([
      {
        details: true,
        reviews: true,
        stars: 'black',
        ratings: true,
        reviewsPod: 'reviews-v2-5b667bcbf8-x7xzs',
        reviewsVersion: 'v2',
      },
      {
        details: true,
        reviews: true,
        stars: 'red',
        ratings: true,
        reviewsPod: 'reviews-v3-7b9b6c8d6f-4qlzn',
        reviewsVersion: 'v3',
      },
    ]);
    expect(r.summary.pages).toEqual([
      { view: 'reviews v2, black stars', count: 1, percent: 50 },
      { view: 'reviews v3, red stars', count: 1, percent: 50 },
    ]);
  });

  it('sets flags only where the response says so: a fault abort body is FI, the rest stay -', async () => {
    env = makeProbeEnv({
      rules: [
        { when: ['load'], answers: [{ stdout: loadJson({ '200': 100, '503': 100 }) }] },
        {
          when: ['curl'],
          answers: [
            {
              stdout: curlOut(503, 'fault filter abort'),
              stderr: 'command terminated with exit code 1\n',
              code: 1,
            },
            { stdout: curlOut(200, '{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}') },
          ],
        },
      ],
    });
    const probe = new LiveProbe({
      run: env.run,
      namespace: 'default',
      bodySamples: 2,
      parallel: 1,
      versionOf: () => 'v1',
    });
    const r = await probe.probe({ to: 'ratings', path: '/ratings/0', from: 'reviews-v2', requests: 200 });
    expect(r.summary.statuses).toEqual([
      { status: 200, flags: '-', count: 100, percent: 50 },
      { status: 503, flags: 'FI', count: 100, percent: 50 },
    ]);
    expect(r.records.map((x) => [x.status, x.flags, x.version])).toEqual([
      [503, 'FI', undefined],
      [200, '-', 'v1'],
    ]);
    expect(r.summary.destinations).toEqual([
      { service: 'ratings', version: '-', reachedPod: false, count: 1, percent: 50 },
      { service: 'ratings', version: 'v1', reachedPod: true, count: 1, percent: 50 },
    ]);
    expect(r.summary.target.from).toBe('fortio-deploy in default (standing in for reviews-v2)');
  });

  it('bounds the count: 4000 asked, 1000 sent, fewer to a slow target; concurrency never above the count', () => {
    const probe = new LiveProbe({ namespace: 'default' });
    expect(probe.bounds({ to: 'reviews', requests: 4000, concurrency: 3 })).toEqual({
      requests: 1000,
      concurrency: 3,
    });
    // 7 s a request at -c 2: 36 s of the 60 s deadline hold 10
    expect(probe.bounds({ to: 'reviews', requests: 4000, concurrency: 2, expectedLatencyMs: 7000 })).toEqual({
      requests: 10,
      concurrency: 2,
    });
    expect(probe.bounds({ to: 'reviews', requests: 2, concurrency: 10 })).toEqual({
      requests: 2,
      concurrency: 2,
    });
    expect(probe.bounds({ to: 'reviews' })).toEqual({ requests: 1000, concurrency: 1 });
    expect(() => probe.bounds({ to: 'reviews', requests: 0 })).toThrow(ProbeError);
  });

  it('cuts a hanging kubectl at the deadline with a clear message', async () => {
    env = makeProbeEnv({
      rules: [
        { when: ['load'], answers: [{ delayMs: 60_000 }] },
        { when: ['curl'], answers: [{ stdout: curlOut(200, reviewsBody('reviews-v1-6cf9c9d8b4-2kq7m')) }] },
      ],
    });
    const probe = new LiveProbe({ run: env.run, namespace: 'default', deadlineMs: 1500, bodySamples: 1 });
    const t0 = Date.now();
    const err = await probe.probe({ to: 'reviews', path: '/reviews/0' }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(ProbeError);
    expect((err as Error).message).toMatch(
      /^live probe \(requests to reviews:9080\/reviews\/0\) did not finish within 2s and was stopped \(`kubectl -n default exec deploy\/fortio-deploy -c fortio -- fortio load -json - /,
    );
  });

  it('reports a failing kubectl with its output, and says when the fortio client is missing', async () => {
    env = makeProbeEnv({
      rules: [
        {
          when: ['exec'],
          answers: [
            { code: 1, stderr: 'Error from server (NotFound): deployments.apps "fortio-deploy" not found\n' },
          ],
        },
      ],
    });
    const probe = new LiveProbe({ run: env.run, context: 'kind-ica', namespace: 'default', bodySamples: 1 });
    const err = (await probe
      .probe({ to: 'reviews', path: '/reviews/0' })
      .catch((e: unknown) => e)) as ProbeError;
    expect(err).toBeInstanceOf(ProbeError);
    expect(err.message).toContain(
      'failed with exit code 1: Error from server (NotFound): deployments.apps "fortio-deploy" not found',
    );
    expect(err.message).toContain('`ica-trainer cluster up` deploys it');
    expect(err.message).toMatch(
      /^live probe \(requests to reviews:9080\/reviews\/0\): `kubectl --context kind-ica -n default exec /,
    );
    expect(err.result?.exitCode).toBe(1);
  });

  it('stops the other calls when one fails, and reports only once none is left running', async () => {
    env = makeProbeEnv({
      rules: [
        { when: ['load'], answers: [{ code: 1, stderr: 'error: unable to upgrade connection\n' }] },
        { when: ['curl'], answers: [{ stdout: curlOut(200, '{}'), delayMs: 60_000 }] },
      ],
    });
    const probe = new LiveProbe({ run: env.run, namespace: 'default', bodySamples: 4, parallel: 2 });
    await expect(probe.probe({ to: 'details', path: '/details/0' })).rejects.toThrow(
      'failed with exit code 1: error: unable to upgrade connection',
    );
    expect(env.calls().filter((c) => c.includes('curl')).length).toBeLessThanOrEqual(2);
    expect(env.running()).toEqual([]);
  });

  it('reports fortio output that is not JSON', async () => {
    env = makeProbeEnv({
      rules: [
        { when: ['load'], answers: [{ stdout: 'Aborting because of error 503\n' }] },
        { when: ['curl'], answers: [{ stdout: curlOut(200, '{}') }] },
      ],
    });
    const probe = new LiveProbe({ run: env.run, namespace: 'default', bodySamples: 1 });
    await expect(probe.probe({ to: 'details', path: '/details/0' })).rejects.toThrow(
      'live probe (requests to details:9080/details/0): fortio printed no JSON result: Aborting because of error 503',
    );
  });

  it('refuses requests from a gateway: they are not sent from fortio', async () => {
    const probe = new LiveProbe({
      namespace: 'default',
      run: async () => {
        throw new Error('no call expected');
      },
    });
    await expect(probe.probe({ to: 'productpage', from: 'ingress' })).rejects.toThrow(
      /requests from ingress are not probed/,
    );
  });
});
