// The traffic simulator: simulated requests per second (plain weighted route,
// full policy, Bookinfo pages), routing decisions per second, deterministic
// routeRequest calls per second (what quiz checks use), and the time of a
// 10,000-request grading run. Aims: >= 1,000,000 routing decisions/s and a
// 10,000-request run well under 100 ms.
import { type LoadResult, loadText } from '../src/core/config/load.ts';
import { Snapshot } from '../src/core/config/snapshot.ts';
import { meshFor, pickCluster, Rng, routeRequest, simulate } from '../src/core/sim/index.ts';
// the tests' YAML builders: test/sim/yaml.ts imports nothing, so no vitest here
import { destinationRule, documents, REVIEWS_VERSIONS, routeTo, virtualService } from '../test/sim/yaml.ts';
import { type Bench, type BenchResult, medianMs } from './types.ts';

const WEIGHTED = documents(
  destinationRule('reviews', REVIEWS_VERSIONS),
  virtualService('reviews', routeTo('reviews', ['v1', 80], ['v2', 20])),
);

const POLICY = `    connectionPool:
      tcp: {maxConnections: 8}
      http: {http1MaxPendingRequests: 8, http2MaxRequests: 16, maxRetries: 4}
    outlierDetection: {consecutive5xxErrors: 5, interval: 1s, baseEjectionTime: 2s, maxEjectionPercent: 50}`;

const RULES = `  - match:
    - headers:
        end-user: {exact: jason}
    route:
    - destination: {host: reviews, subset: v2}
  - fault:
      delay: {percentage: {value: 10}, fixedDelay: 5ms}
      abort: {percentage: {value: 2}, httpStatus: 503}
    timeout: 2s
    retries: {attempts: 3, perTryTimeout: 500ms, retryOn: 5xx}
    route:
    - destination: {host: reviews, subset: v1}
      weight: 50
    - destination: {host: reviews, subset: v3}
      weight: 50
    mirror: {host: reviews, subset: v2}
    mirrorPercentage: {value: 10}`;

const FULL = documents(
  destinationRule('reviews', REVIEWS_VERSIONS, POLICY),
  virtualService('reviews', RULES),
);

function snapshot(yaml: string): Snapshot {
  const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
  loadText(yaml, 'bench.yaml', load, {});
  return new Snapshot({ resources: load.resources, meshConfigs: load.meshConfigs, bookinfo: true });
}

const bench: Bench = async () => {
  const out: BenchResult[] = [];
  const N = 10_000;

  const weighted = snapshot(WEIGHTED);
  const plainMs = await medianMs(15, () =>
    simulate(weighted, { to: 'reviews', requests: N, bookinfoApps: false }),
  );
  out.push({
    name: 'sim: plain weighted route (80/20)',
    value: (N / plainMs) * 1000,
    unit: 'req/s',
    note: `${N} requests in ${plainMs.toFixed(1)} ms`,
  });

  const gradingMs = await medianMs(15, () => simulate(weighted, { to: 'reviews', requests: N }));
  out.push({
    name: 'sim: 10,000-request grading run',
    value: gradingMs,
    unit: 'ms',
    note: 'reviews 80/20 with the Bookinfo apps (v2 calls ratings); aim well under 100 ms',
  });

  const full = snapshot(FULL);
  const fullMs = await medianMs(15, () =>
    simulate(full, {
      to: 'reviews',
      requests: N,
      concurrency: 10,
      fail: ['reviews:v1=10%', 'reviews:v3=5%:503'],
    }),
  );
  out.push({
    name: 'sim: full policy (faults, retries, pools, outlier, mirror)',
    value: (N / fullMs) * 1000,
    unit: 'req/s',
    note: `${N} requests, -c 10, 10%/5% failing pods, in ${fullMs.toFixed(1)} ms`,
  });

  const pagesMs = await medianMs(9, () =>
    simulate(weighted, { to: 'productpage', path: '/productpage', requests: N }),
  );
  out.push({
    name: 'sim: /productpage (details, reviews, ratings)',
    value: (N / pagesMs) * 1000,
    unit: 'pages/s',
    note: `${N} pages in ${pagesMs.toFixed(1)} ms`,
  });

  // routing decisions: first match over the header rule, then the weighted pick
  const mesh = meshFor(full);
  const caller = mesh.caller(undefined);
  const requests = [
    mesh.request(caller, 'reviews', '/reviews/0', { 'end-user': 'jason' }),
    mesh.request(caller, 'reviews', '/reviews/0', { 'end-user': 'alice' }),
    mesh.request(caller, 'reviews', '/reviews/0', {}),
  ];
  const rng = new Rng(1);
  const D = 1_000_000;
  let sink = 0;
  const decideMs = await medianMs(7, () => {
    for (let i = 0; i < D; i++) {
      const d = mesh.decide(caller, requests[i % 3]!);
      if (d.kind === 'route') sink += pickCluster(d.rule, rng.next()).id;
    }
  });
  if (sink === 0) throw new Error('the routing benchmark made no decisions');
  out.push({
    name: 'sim: routing decisions',
    value: (D / decideMs) * 1000,
    unit: 'dec/s',
    note: `header match + weighted pick, ${D} decisions in ${decideMs.toFixed(0)} ms (aim >= 1,000,000/s)`,
  });

  // routeRequest: one request described (rule, shares, policies), as a quiz check asks
  const R = 20_000;
  const probes: Record<string, string>[] = [{ 'end-user': 'jason' }, { 'end-user': 'alice' }, {}];
  const routeMs = await medianMs(7, () => {
    for (let i = 0; i < R; i++) {
      const r = routeRequest(full, { to: 'reviews', path: '/reviews/0', headers: probes[i % 3]! });
      sink += r.destinations.length;
    }
  });
  out.push({
    name: 'sim: routeRequest (deterministic)',
    value: (R / routeMs) * 1000,
    unit: 'calls/s',
    note: `${R} calls in ${routeMs.toFixed(0)} ms`,
  });
  return out;
};

export default bench;
