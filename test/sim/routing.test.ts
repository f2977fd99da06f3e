// Routing: first match, weights, subsets, matches of every kind, and the
// local replies (404 NR, 503 NC, 503 UH, 502 BlackHoleCluster).
import { describe, expect, it } from 'vitest';
import { fixture, run, statusPercent, versionPercent } from './helpers.ts';
import * as istio from './yaml.ts';

describe('weighted routing', () => {
  it('80/20 over 10,000 requests gives 80±2% / 20±2%', () => {
    const { summary } = run(fixture('reviews-80-20.yaml'), { to: 'reviews', requests: 10_000 });
    expect(versionPercent(summary, 'reviews', 'v1')).toBeGreaterThanOrEqual(78);
    expect(versionPercent(summary, 'reviews', 'v1')).toBeLessThanOrEqual(82);
    expect(versionPercent(summary, 'reviews', 'v2')).toBeGreaterThanOrEqual(18);
    expect(versionPercent(summary, 'reviews', 'v2')).toBeLessThanOrEqual(22);
    expect(statusPercent(summary, 200, '-')).toBe(100);
    expect(summary.destinations.map((d) => d.subset).sort()).toEqual(['v1', 'v2']);
  });

  it('normalizes weights that do not add up to 100 (80 + 10 is 88.9% / 11.1%)', () => {
    const { summary } = run(istio.reviewsVs(istio.routeTo('reviews', ['v1', 80], ['v2', 10])), {
      to: 'reviews',
      requests: 10_000,
    });
    expect(Math.abs(versionPercent(summary, 'reviews', 'v1') - 88.9)).toBeLessThan(2);
  });

  it('sends everything to a lone destination whatever its weight, and drops 0-weight ones', () => {
    const lone = run(istio.reviewsVs(istio.routeTo('reviews', ['v3', 5])), {
      to: 'reviews',
      requests: 200,
    });
    expect(versionPercent(lone.summary, 'reviews', 'v3')).toBe(100);
    const zero = run(istio.reviewsVs(istio.routeTo('reviews', ['v1', 0], ['v2', 50])), {
      to: 'reviews',
      requests: 200,
    });
    expect(versionPercent(zero.summary, 'reviews', 'v2')).toBe(100);
  });

  it('balances a host without a VirtualService across all its pods', () => {
    const { summary } = run('', { to: 'reviews', requests: 3000 });
    for (const v of ['v1', 'v2', 'v3']) {
      expect(Math.abs(versionPercent(summary, 'reviews', v) - 33.3)).toBeLessThan(3);
    }
  });
});

describe('matching', () => {
  it('sends every jason request to v2 and no one else', () => {
    const yaml = fixture('reviews-jason.yaml');
    const jason = run(yaml, { to: 'reviews', headers: { 'end-user': 'jason' }, requests: 2000 });
    expect(versionPercent(jason.summary, 'reviews', 'v2')).toBe(100);
    const others = run(yaml, { to: 'reviews', headers: { 'end-user': 'alice' }, requests: 2000 });
    expect(versionPercent(others.summary, 'reviews', 'v2')).toBe(0);
    expect(versionPercent(others.summary, 'reviews', 'v1')).toBe(100);
    const anonymous = run(yaml, { to: 'reviews', requests: 500 });
    expect(versionPercent(anonymous.summary, 'reviews', 'v1')).toBe(100);
  });

  it('applies the first matching rule and ORs the match entries', () => {
    const yaml = istio.reviewsVs(`  - match:
    - uri: {prefix: /api/v1/reviews}
    - uri: {regex: "/api/v[0-9]+/ratings"}
    route:
    - destination: {host: reviews, subset: v2}
  - match:
    - uri: {prefix: /api}
    route:
    - destination: {host: reviews, subset: v3}
  - route:
    - destination: {host: reviews, subset: v1}`);
    const version = (path: string) =>
      run(yaml, { to: 'reviews', path, requests: 20 }).summary.destinations[0]?.version;
    expect(version('/api/v1/reviews/0')).toBe('v2');
    expect(version('/api/v12/ratings')).toBe('v2');
    expect(version('/api/v1/ratings/extra')).toBe('v3'); // the regex must match the whole path
    expect(version('/api/other')).toBe('v3');
    expect(version('/productpage')).toBe('v1');
  });

  it('matches exact URIs, methods, query parameters, authority, withoutHeaders and ignoreUriCase', () => {
    const yaml = istio.reviewsVs(`  - match:
    - uri: {exact: /Reviews}
      ignoreUriCase: true
      method: {exact: POST}
    route:
    - destination: {host: reviews, subset: v2}
  - match:
    - queryParams:
        canary: {exact: "true"}
      authority: {prefix: reviews}
    route:
    - destination: {host: reviews, subset: v3}
  - match:
    - withoutHeaders:
        x-test: {}
    route:
    - destination: {host: reviews, subset: v1}
  - route:
    - destination: {host: reviews, subset: v2}`);
    const version = (o: { path?: string; method?: string; headers?: Record<string, string> }) =>
      run(yaml, { to: 'reviews', requests: 10, ...o }).summary.destinations[0]?.version;
    expect(version({ path: '/reviews', method: 'POST' })).toBe('v2');
    expect(version({ path: '/reviews', method: 'GET' })).toBe('v1');
    expect(version({ path: '/x?canary=true&a=1' })).toBe('v3');
    expect(version({ path: '/x?canary=false' })).toBe('v1');
    expect(version({ path: '/x', headers: { 'X-Test': 'anything' } })).toBe('v2');
  });

  it('matches the caller by sourceLabels', () => {
    const yaml = istio.reviewsVs(`  - match:
    - sourceLabels: {app: productpage}
    route:
    - destination: {host: reviews, subset: v3}
  - route:
    - destination: {host: reviews, subset: v1}`);
    const fromPage = run(yaml, { to: 'reviews', from: 'productpage-v1', requests: 50 });
    expect(versionPercent(fromPage.summary, 'reviews', 'v3')).toBe(100);
    const fromLabels = run(yaml, { to: 'reviews', from: 'app=productpage,version=v9', requests: 50 });
    expect(versionPercent(fromLabels.summary, 'reviews', 'v3')).toBe(100);
    const fromClient = run(yaml, { to: 'reviews', requests: 50 });
    expect(versionPercent(fromClient.summary, 'reviews', 'v1')).toBe(100);
  });

  it('answers 404 NR when no rule matches', () => {
    const { summary } = run(
      istio.reviewsVs(
        `  - match:\n    - uri: {exact: /only}\n    route:\n    - destination: {host: reviews, subset: v1}`,
      ),
      { to: 'reviews', path: '/other', requests: 20 },
    );
    expect(statusPercent(summary, 404, 'NR')).toBe(100);
  });
});

describe('gateways', () => {
  const ingress = istio.bookinfoGateway('"bookinfo.example.com"', [
    '{exact: /productpage}',
    '{prefix: /static}',
  ]);

  it('routes ingress traffic by the VirtualService bound to the gateway', () => {
    const { summary } = run(ingress, {
      to: 'bookinfo.example.com',
      from: 'ingress',
      path: '/productpage',
      requests: 50,
    });
    expect(versionPercent(summary, 'productpage', 'v1')).toBe(100);
    expect(summary.target.from).toContain('gateway');
  });

  it('gives 404 NR at the gateway for unknown paths and hosts the Gateway does not serve', () => {
    const path = run(ingress, { to: 'bookinfo.example.com', from: 'ingress', path: '/admin', requests: 5 });
    expect(statusPercent(path.summary, 404, 'NR')).toBe(100);
    const host = run(ingress, {
      to: 'other.example.com',
      from: 'ingress',
      path: '/productpage',
      requests: 5,
    });
    expect(statusPercent(host.summary, 404, 'NR')).toBe(100);
  });

  it('does not apply gateway-only rules to sidecars, nor mesh rules at the gateway', () => {
    const productpage = `  - match:
    - gateways: [bookinfo-gateway]
    route:
    - destination: {host: productpage, subset: v1}
  - route:
    - destination: {host: productpage, subset: nope}`;
    const yaml = istio.documents(ingress, istio.virtualService('productpage', productpage));
    const { summary } = run(istio.documents(istio.DR_ALL, yaml), { to: 'productpage', requests: 5 });
    expect(statusPercent(summary, 503, 'NC')).toBe(100); // the mesh falls through to the second rule
  });
});

describe('local replies', () => {
  it('gives 503 NC for a subset no DestinationRule defines', () => {
    const yaml = istio.virtualService('reviews', istio.routeTo('reviews', 'v2'));
    const { summary } = run(yaml, { to: 'reviews', requests: 100 });
    expect(statusPercent(summary, 503, 'NC')).toBe(100);
    expect(summary.destinations[0]?.reachedPod).toBe(false);
  });

  it('gives 503 UH for a subset whose labels match no pod', () => {
    const yaml = istio.documents(
      istio.destinationRule('reviews', ['v4']),
      istio.virtualService('reviews', istio.routeTo('reviews', 'v4')),
    );
    const { summary } = run(yaml, { to: 'reviews', requests: 100 });
    expect(statusPercent(summary, 503, 'UH')).toBe(100);
  });

  it('blocks unregistered external hosts with REGISTRY_ONLY (502, BlackHoleCluster) and lets a ServiceEntry through', () => {
    const blocked = run('', { to: 'api.example.com', requests: 10 }, { outboundMode: 'REGISTRY_ONLY' });
    expect(statusPercent(blocked.summary, 502)).toBe(100);
    expect(blocked.records[0]?.cluster).toBe('BlackHoleCluster');
    const allowed = run('', { to: 'api.example.com', requests: 10 });
    expect(statusPercent(allowed.summary, 200)).toBe(100);
    expect(allowed.records[0]?.cluster).toBe('PassthroughCluster');
    const se = istio.serviceEntry(
      'api',
      'api.example.com',
      [80, 'http', 'HTTP'],
      '  resolution: DNS\n  location: MESH_EXTERNAL',
    );
    const registered = run(se, { to: 'api.example.com', requests: 10 }, { outboundMode: 'REGISTRY_ONLY' });
    expect(statusPercent(registered.summary, 200)).toBe(100);
    expect(registered.records[0]?.cluster).toBe('outbound|80||api.example.com');
  });
});

describe('callers on a cluster', () => {
  it('names a Pod by its Deployment name, as `--from productpage-v1` does offline', async () => {
    const { Snapshot } = await import('../../src/core/config/snapshot.ts');
    const { simulate } = await import('../../src/core/sim/index.ts');
    const pod = (name: string, labels: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Pod' as const,
      name,
      namespace: 'default',
      labels,
      spec: {},
      raw: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels } },
      origin: { cluster: 'kind-ica' },
      locate: () => ({}),
    });
    const svc = {
      apiVersion: 'v1',
      kind: 'Service' as const,
      name: 'reviews',
      namespace: 'default',
      labels: {},
      spec: {},
      raw: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'reviews' },
        spec: { selector: { app: 'reviews' }, ports: [{ port: 9080, name: 'http' }] },
      },
      origin: { cluster: 'kind-ica' },
      locate: () => ({}),
    };
    const snapshot = new Snapshot({
      resources: [
        pod('productpage-v1-5d9b8c7f6-abcde', { app: 'productpage', version: 'v1' }),
        pod('reviews-v1-7f9c6b5d4-fghij', { app: 'reviews', version: 'v1' }),
        svc,
      ],
      bookinfo: false,
    });
    const r = simulate(snapshot, {
      to: 'reviews',
      from: 'productpage-v1',
      requests: 10,
      bookinfoApps: false,
    });
    expect(r.summary.destinations.map((d) => d.version)).toEqual(['v1']);
  });
});
