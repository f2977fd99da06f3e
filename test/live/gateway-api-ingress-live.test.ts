// Ingress through the Gateway API read from the real API server: a Gateway of class
// istio and HTTPRoutes, with Bookinfo, listed once per kind at the served version (v1)
// and simulated from the gateway istiod would deploy (`<name>-istio`). Every request
// must go where the same objects read from files send it (test/sim/gateway-api-ingress
// tests the offline side in detail). No istiod runs here: the Deployment, Service and
// Pod it would make for the Gateway are created as it makes them.
import { dump } from 'js-yaml';
import { expect, it } from 'vitest';
import { analyzeLoaded } from '../../src/core/analysis/analyze.ts';
import { loadCluster } from '../../src/core/cluster/live-source.ts';
import type { Snapshot } from '../../src/core/config/snapshot.ts';
import { routeRequest, simulate } from '../../src/core/sim/index.ts';
import { describeLive } from '../helpers/apiserver.ts';
import { snapshotOf } from '../sim/helpers.ts';
import { bookinfoObjects, gatewayObjects, type Obj, RUN } from './objects.ts';
import { sharedCluster } from './steps.ts';

const NS = `gwi-${RUN}`;
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** The Gateway API objects and the Services the weighted route needs, in `ns`. */
function ingress(ns: string): Obj[] {
  const service = (version: string): Obj => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `reviews-${version}`, namespace: ns },
    spec: { selector: { app: 'reviews', version }, ports: [{ name: 'http', port: 9080 }] },
  });
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'bookinfo-gateway', namespace: ns },
      spec: {
        gatewayClassName: 'istio',
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com' },
          { name: 'admin', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
        ],
      },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'bookinfo', namespace: ns },
      spec: {
        parentRefs: [{ name: 'bookinfo-gateway', sectionName: 'http' }],
        hostnames: ['bookinfo.example.com'],
        rules: [
          {
            matches: [
              { path: { type: 'Exact', value: '/productpage' } },
              { path: { type: 'PathPrefix', value: '/api/v1/products' } },
            ],
            backendRefs: [{ name: 'productpage', port: 9080 }],
          },
          {
            matches: [{ path: { type: 'PathPrefix', value: '/legacy' } }],
            filters: [
              {
                type: 'RequestRedirect',
                requestRedirect: {
                  path: { type: 'ReplaceFullPath', replaceFullPath: '/productpage' },
                  statusCode: 301,
                },
              },
            ],
          },
        ],
      },
    },
    service('v1'),
    service('v3'),
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'reviews', namespace: ns },
      spec: {
        parentRefs: [{ name: 'bookinfo-gateway', sectionName: 'admin' }],
        hostnames: ['reviews.example.com'],
        rules: [
          {
            backendRefs: [
              { name: 'reviews-v1', port: 9080, weight: 75 },
              { name: 'reviews-v3', port: 9080, weight: 25 },
            ],
          },
        ],
      },
    },
  ];
}

/** What istiod deploys for the Gateway: Deployment, Service and (no controllers here) its Pod. */
function deployedGateway(ns: string): Obj[] {
  const labels = { [GATEWAY_NAME_LABEL]: 'bookinfo-gateway', 'istio.io/gateway-name': 'bookinfo-gateway' };
  const containers = [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.26.0' }];
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bookinfo-gateway-istio', namespace: ns, labels },
      spec: {
        selector: { matchLabels: { [GATEWAY_NAME_LABEL]: 'bookinfo-gateway' } },
        template: { metadata: { labels }, spec: { containers } },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'bookinfo-gateway-istio', namespace: ns, labels },
      spec: {
        selector: { [GATEWAY_NAME_LABEL]: 'bookinfo-gateway' },
        ports: [
          { name: 'http', port: 80 },
          { name: 'admin', port: 8080 },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bookinfo-gateway-istio-0', namespace: ns, labels },
      spec: { automountServiceAccountToken: false, containers },
    },
  ];
}

/** One request's outcome, the namespace written as `default` (the offline model's). */
function outcome(snapshot: Snapshot, ns: string, to: string): string {
  const from = 'bookinfo-gateway-istio';
  const r = simulate(snapshot, { to, from, namespace: ns, requests: 200, seed: 7 });
  const statuses = r.summary.statuses.map(
    (s) => `${s.status}${s.flags !== '-' ? ` ${s.flags}` : ''} x${s.count}`,
  );
  const byVersion = new Map<string, number>();
  for (const u of r.summary.upstream)
    if (u.pod.startsWith('reviews')) byVersion.set(u.version, (byVersion.get(u.version) ?? 0) + u.requests);
  const versions = [...byVersion].map(([v, n]) => `${v}: ${n}`).sort();
  const reason = routeRequest(snapshot, { to, from, namespace: ns }).reason;
  return [to, statuses.join(', '), versions.join(', '), reason].join(' | ').replaceAll(ns, 'default');
}

const REQUESTS = [
  'http://bookinfo.example.com/productpage',
  'http://bookinfo.example.com/api/v1/products/0',
  'http://bookinfo.example.com/legacy/x',
  'http://bookinfo.example.com/other',
  'http://shop.example.com/productpage',
  // the admin listener takes only the reviews route; the http listener does not
  'http://bookinfo.example.com:8080/productpage',
  'http://reviews.example.com:8080/reviews/0',
  'http://reviews.example.com/reviews/0',
];

describeLive('Gateway API ingress (class istio) read from the cluster', () => {
  const shared = sharedCluster(async (scratch) => {
    await scratch.namespace('istio-system');
    await scratch.apply(gatewayObjects());
    await scratch.namespace(NS);
    await scratch.apply([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: NS, labels: { 'istio-injection': 'enabled' } },
      },
      ...bookinfoObjects(NS),
      ...ingress(NS),
      ...deployedGateway(NS),
    ]);
  });

  it('reads the Gateway and both HTTPRoutes at v1, one LIST each', async () => {
    const live = await loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} });
    expect(live.gatewayApiVersions).toEqual({ Gateway: 'v1', HTTPRoute: 'v1' });
    expect(live.load.kubernetesGateways?.map((g) => `${g.namespace}/${g.name} ${g.className}`)).toEqual([
      `${NS}/bookinfo-gateway istio`,
    ]);
    expect(live.load.httpRoutes?.map((r) => `${r.namespace}/${r.name}`).sort()).toEqual([
      `${NS}/bookinfo`,
      `${NS}/reviews`,
    ]);
    // as analyze-live.test.ts counts them: the kinds not served (GRPCRoute ...) are not listed
    expect(live.requests).toBe(30);
  });

  it('routes every request as the same objects read from files do', async () => {
    const live = await loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} });
    const { snapshot, findings } = analyzeLoaded(live.load, { bookinfo: false });
    const files = snapshotOf(
      ingress('default')
        .map((o) => dump(o))
        .join('---\n'),
    );
    const got = REQUESTS.map((to) => outcome(snapshot.applied(), NS, to));
    expect(got).toEqual(REQUESTS.map((to) => outcome(files.applied(), 'default', to)));
    // and what that is: the page through the route (productpage then calls reviews v1-v3),
    // the redirect, the 75/25 split on the admin listener, 404 NR for what no route takes
    expect(got).toEqual([
      expect.stringMatching(
        / \| 200 x200 \| v1: \d+, v2: \d+, v3: \d+ \| routed by HTTPRoute default\/bookinfo rules\[0\]$/,
      ),
      expect.stringMatching(/ \| 200 x200 \| {2}\| routed by HTTPRoute default\/bookinfo rules\[0\]$/),
      expect.stringMatching(
        / \| 301 x200 \| {2}\| HTTPRoute default\/bookinfo rules\[1\] answers itself with a redirect \(301\)$/,
      ),
      expect.stringMatching(
        / \| 404 NR x200 \| {2}\| no HTTP rule matches the request at Gateway default\/bookinfo-gateway-istio-autogenerated-k8s-gateway-http /,
      ),
      expect.stringMatching(
        / \| 404 NR x200 \| {2}\| listener http .* no HTTPRoute attached to it has host shop\.example\.com/,
      ),
      expect.stringMatching(
        / \| 404 NR x200 \| {2}\| listener admin .*HTTPRoute default\/bookinfo names another listener/,
      ),
      expect.stringMatching(
        / \| 200 x200 \| v1: 1[3-7]\d, v3: [3-7]\d \| routed by HTTPRoute default\/reviews rules\[0\]$/,
      ),
      expect.stringMatching(
        / \| 404 NR x200 \| {2}\| listener http .*HTTPRoute default\/reviews names another listener/,
      ),
    ]);
    // the analyzer finds nothing wrong with them, live as from files
    const mine = findings.filter((f) => f.resource?.namespace === NS).map((f) => `${f.code} ${f.origin}`);
    expect(mine).toEqual([]);
  });
});
