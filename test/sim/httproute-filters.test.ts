// HTTPRoute filters in the mesh (a Service parent, at the client's sidecar), as istiod
// translates them: header changes reach the application (and what it calls),
// URLRewrite changes the path the pod sees, RequestRedirect is answered by the proxy
// (302 by the CRD's default), RequestMirror copies traffic, a rule whose backends all
// weigh 0 answers 500; proxy-config routes shows each as Envoy would carry it.
import { describe, expect, it } from 'vitest';
import { envoyView, resolveProxy, routeConfigs } from '../../src/core/envoy/index.ts';
import { type SimulateOptions, simulate } from '../../src/core/sim/index.ts';
import { snapshotOf, statusPercent } from './helpers.ts';

const sim = (yaml: string, o: SimulateOptions) => simulate(snapshotOf(yaml), { requests: 200, ...o });

const route = (rules: string, name = 'productpage') => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: default}
spec:
  parentRefs: [{group: "", kind: Service, name: ${name}, port: 9080}]
  rules:
${rules}`;

const REVIEWS_BY_USER = `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - route: [{destination: {host: reviews, subset: v1}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v3, labels: {version: v3}}
`;

const stars = (r: ReturnType<typeof simulate>) => (r.summary.pages ?? []).map((p) => p.view).join('; ');

describe('HTTPRoute filters in the mesh', () => {
  it('RequestHeaderModifier: the header set at the client reaches productpage, which passes it on to reviews', () => {
    const withFilter = sim(
      REVIEWS_BY_USER +
        route(`  - filters:
    - type: RequestHeaderModifier
      requestHeaderModifier: {set: [{name: End-User, value: jason}]}
    backendRefs: [{name: productpage, port: 9080}]
`),
      { to: 'productpage', path: '/productpage' },
    );
    expect(stars(withFilter)).toMatch(/reviews v2, black stars/);
    expect(stars(withFilter)).not.toMatch(/v1/);
    const without = sim(REVIEWS_BY_USER + route('  - backendRefs: [{name: productpage, port: 9080}]\n'), {
      to: 'productpage',
      path: '/productpage',
    });
    expect(stars(without)).toMatch(/reviews v1/);
  });

  it('URLRewrite: ReplacePrefixMatch gives the pod the rewritten path (the page renders for /shop)', () => {
    const rules = (filter: string) => `  - matches: [{path: {type: PathPrefix, value: /shop}}]
${filter}    backendRefs: [{name: productpage, port: 9080}]
`;
    const rewritten = sim(
      route(
        rules(`    filters:
    - type: URLRewrite
      urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /productpage}}
`),
      ),
      { to: 'productpage', path: '/shop', requests: 50 },
    );
    expect(rewritten.summary.pages?.length ?? 0).toBeGreaterThan(0);
    const plain = sim(route(rules('')), { to: 'productpage', path: '/shop', requests: 50 });
    expect(plain.summary.pages ?? []).toEqual([]);
  });

  it('URLRewrite: ReplaceFullPath replaces the whole path; ReplacePrefixMatch "/" removes the prefix without a double slash', () => {
    const full = sim(
      route(`  - matches: [{path: {type: PathPrefix, value: /a}}]
    filters:
    - type: URLRewrite
      urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /productpage}}
    backendRefs: [{name: productpage, port: 9080}]
`),
      { to: 'productpage', path: '/a/b/c', requests: 20 },
    );
    expect(full.summary.pages?.length ?? 0).toBeGreaterThan(0);
    const strip = sim(
      route(`  - matches: [{path: {type: PathPrefix, value: /store}}]
    filters:
    - type: URLRewrite
      urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
    backendRefs: [{name: productpage, port: 9080}]
`),
      { to: 'productpage', path: '/store/productpage', requests: 20 },
    );
    expect(strip.summary.pages?.length ?? 0).toBeGreaterThan(0);
  });

  it('RequestRedirect: the client proxy answers 302 (the CRD default) or the statusCode given; no pod is reached', () => {
    const redirect = (extra: string) =>
      sim(
        route(`  - matches: [{path: {type: PathPrefix, value: /old}}]
    filters:
    - type: RequestRedirect
      requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}${extra}}
  - backendRefs: [{name: productpage, port: 9080}]
`),
        { to: 'productpage', path: '/old/x', requests: 20 },
      );
    const r302 = redirect('');
    expect(statusPercent(r302.summary, 302)).toBe(100);
    expect(r302.summary.destinations.every((d) => !d.reachedPod)).toBe(true);
    expect(statusPercent(redirect(', statusCode: 301').summary, 301)).toBe(100);
  });

  it('RequestMirror: copies go to the mirror backend, responses come from the route backend', () => {
    const r = sim(
      `---
apiVersion: v1
kind: Service
metadata: {name: reviews-v3, namespace: default}
spec: {selector: {app: reviews, version: v3}, ports: [{name: http, port: 9080}]}
${route(
  `  - filters:
    - type: RequestMirror
      requestMirror: {backendRef: {name: reviews-v3, port: 9080}, percent: 50}
    backendRefs: [{name: reviews-v1, port: 9080}]
`,
  'reviews',
)}---
apiVersion: v1
kind: Service
metadata: {name: reviews-v1, namespace: default}
spec: {selector: {app: reviews, version: v1}, ports: [{name: http, port: 9080}]}
`,
      { to: 'reviews', from: 'productpage-v1', requests: 1000, bookinfoApps: false },
    );
    const v3 = r.summary.mirrored.byDestination.find((d) => d.version === 'v3');
    expect(v3?.count ?? 0).toBeGreaterThan(430);
    expect(v3?.count ?? 0).toBeLessThan(570);
    expect(r.summary.destinations.filter((d) => d.reachedPod).map((d) => d.version)).toEqual(['v1']);
  });

  it('backendRefs whose weights are all 0: the proxy answers 500 itself', () => {
    const r = sim(route('  - backendRefs: [{name: productpage, port: 9080, weight: 0}]\n'), {
      to: 'productpage',
      requests: 20,
    });
    expect(statusPercent(r.summary, 500)).toBe(100);
  });

  it('proxy-config routes carries the header changes, rewrite and redirect the filters became', () => {
    const snap = snapshotOf(
      route(`  - matches: [{path: {type: PathPrefix, value: /old}}]
    filters:
    - type: RequestRedirect
      requestRedirect: {scheme: https, path: {type: ReplaceFullPath, replaceFullPath: /new}}
  - matches: [{path: {type: PathPrefix, value: /api}}]
    filters:
    - type: URLRewrite
      urlRewrite: {hostname: api.internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}
    - type: RequestHeaderModifier
      requestHeaderModifier: {add: [{name: x-env, value: canary}], remove: [x-debug]}
    - type: ResponseHeaderModifier
      responseHeaderModifier: {set: [{name: cache-control, value: no-store}]}
    backendRefs: [{name: productpage, port: 9080}]
`),
    );
    const view = envoyView(snap);
    const proxy = resolveProxy(view.mesh, 'reviews-v1', 'default');
    const vhost = routeConfigs(view, proxy)
      .find((c) => c.name === '9080')
      ?.virtualHosts.find((v) => v.name.startsWith('productpage.default.svc.cluster.local'));
    const [redirect, api] = vhost?.routes ?? [];
    expect(redirect?.redirect).toEqual({
      pathRedirect: '/new',
      schemeRedirect: 'https',
      responseCode: 'FOUND',
    });
    expect(api?.route).toMatchObject({ prefixRewrite: '/v2', hostRewriteLiteral: 'api.internal' });
    expect(api?.requestHeadersToAdd).toEqual([
      { header: { key: 'x-env', value: 'canary' }, appendAction: 'APPEND_IF_EXISTS_OR_ADD' },
    ]);
    expect(api?.requestHeadersToRemove).toEqual(['x-debug']);
    expect(api?.responseHeadersToAdd).toEqual([
      { header: { key: 'cache-control', value: 'no-store' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' },
    ]);
  });
});

describe('HTTPRoute precedence (istiod sorts the routes it generates)', () => {
  const SERVICES = `---
apiVersion: v1
kind: Service
metadata: {name: reviews-v1, namespace: default}
spec: {selector: {app: reviews, version: v1}, ports: [{name: http, port: 9080}]}
---
apiVersion: v1
kind: Service
metadata: {name: reviews-v2, namespace: default}
spec: {selector: {app: reviews, version: v2}, ports: [{name: http, port: 9080}]}
`;
  const versions = (yaml: string, path: string) => {
    const r = sim(SERVICES + yaml, {
      to: 'reviews',
      from: 'productpage-v1',
      path,
      requests: 20,
      bookinfoApps: false,
    });
    return [...new Set(r.summary.destinations.filter((d) => d.reachedPod).map((d) => d.version))];
  };

  it('an Exact path beats a PathPrefix written before it, a longer prefix beats a shorter one', () => {
    const yaml = route(
      `  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: reviews-v1, port: 9080}]
  - matches: [{path: {type: Exact, value: /reviews/0}}, {path: {type: PathPrefix, value: /reviews/9}}]
    backendRefs: [{name: reviews-v2, port: 9080}]
`,
      'reviews',
    );
    expect(versions(yaml, '/reviews/0')).toEqual(['v2']);
    expect(versions(yaml, '/reviews/9/x')).toEqual(['v2']);
    expect(versions(yaml, '/reviews/1')).toEqual(['v1']);
  });

  it('two HTTPRoutes for one Service are merged and ordered together', () => {
    const a = route('  - backendRefs: [{name: reviews-v1, port: 9080}]\n', 'reviews');
    const b = route(
      '  - matches: [{path: {type: PathPrefix, value: /reviews/7}}]\n    backendRefs: [{name: reviews-v2, port: 9080}]\n',
      'reviews',
    ).replace('name: reviews, namespace: default}', 'name: reviews-seven, namespace: default}');
    expect(versions(a + b, '/reviews/7')).toEqual(['v2']);
    expect(versions(a + b, '/reviews/1')).toEqual(['v1']);
  });
});
