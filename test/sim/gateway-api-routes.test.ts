// The Gateway API route kinds beside HTTPRoute, as istiod 1.26 translates them:
// GRPCRoute (a method match is the path /<service>/<method>), and ReferenceGrant,
// without which a route bound to a Gateway may not send to a Service in another
// namespace (that share gets 500), while a mesh route (parent a Service) may.
import { describe, expect, it } from 'vitest';
import { routeRequest, type SimulateOptions, simulate } from '../../src/core/sim/index.ts';
import { analyzeText } from '../helpers/analyze.ts';
import { snapshotOf, statusPercent, versionPercent } from './helpers.ts';

const sim = (yaml: string, o: SimulateOptions) => simulate(snapshotOf(yaml), { requests: 200, ...o });

const SUBSETS = `---
apiVersion: v1
kind: Service
metadata: {name: reviews-v2, namespace: default}
spec:
  selector: {app: reviews, version: v2}
  ports: [{name: grpc, port: 9080}]
`;

const grpcRoute = (rules: string, parent = '{group: "", kind: Service, name: reviews, port: 9080}') => `---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: reviews, namespace: default}
spec:
  parentRefs: [${parent}]
  rules:
${rules}`;

describe('GRPCRoute in the mesh (parent a Service)', () => {
  const rules = `  - matches: [{method: {service: reviews.Reviews, method: Rate}}]
    backendRefs: [{name: reviews-v2, port: 9080}]
  - matches: [{method: {service: reviews.Admin}}]
    backendRefs: [{name: reviews, port: 9080, weight: 0}]
  - backendRefs: [{name: reviews, port: 9080}]
`;
  it('a method match is the exact path /<service>/<method>: that call goes to reviews-v2, others to any reviews pod', () => {
    const rate = sim(SUBSETS + grpcRoute(rules), {
      from: 'productpage-v1',
      to: 'reviews',
      path: '/reviews.Reviews/Rate',
    });
    expect(versionPercent(rate.summary, 'reviews-v2', 'v2')).toBe(100);
    const list = sim(SUBSETS + grpcRoute(rules), {
      from: 'productpage-v1',
      to: 'reviews',
      path: '/reviews.Reviews/List',
    });
    expect(versionPercent(list.summary, 'reviews-v2', 'v2')).toBe(0);
    expect(versionPercent(list.summary, 'reviews', 'v1')).toBeGreaterThan(10);
  });

  it('a service-only match is the prefix /<service>/ (every method); no backend with weight answers 500', () => {
    const r = sim(SUBSETS + grpcRoute(rules), {
      from: 'productpage-v1',
      to: 'reviews',
      path: '/reviews.Admin/Purge',
    });
    expect(statusPercent(r.summary, 500)).toBe(100);
    const one = routeRequest(snapshotOf(SUBSETS + grpcRoute(rules)), {
      from: 'productpage-v1',
      to: 'reviews',
      path: '/reviews.Reviews/Rate',
    });
    expect(one.reason).toMatch(/GRPCRoute default\/reviews rules\[0\]/);
  });

  it('a RegularExpression method match and a header match route as istiod writes them', () => {
    const regex =
      grpcRoute(`  - matches: [{method: {type: RegularExpression, service: "reviews\\\\..*", method: "Ra.*"}, headers: [{name: x-tier, value: gold}]}]
    backendRefs: [{name: reviews-v2, port: 9080}]
  - backendRefs: [{name: reviews, port: 9080}]
`);
    const gold = sim(SUBSETS + regex, {
      from: 'productpage-v1',
      to: 'reviews',
      path: '/reviews.Reviews/Rate',
      headers: { 'x-tier': 'gold' },
    });
    expect(versionPercent(gold.summary, 'reviews-v2', 'v2')).toBe(100);
    const plain = sim(SUBSETS + regex, {
      from: 'productpage-v1',
      to: 'reviews',
      path: '/reviews.Reviews/Rate',
    });
    expect(versionPercent(plain.summary, 'reviews-v2', 'v2')).toBe(0);
  });

  it('a filter a GRPCRoute does not take (URLRewrite) makes istiod drop the whole route: requests go anywhere', () => {
    const bad = grpcRoute(`  - filters: [{type: URLRewrite, urlRewrite: {hostname: x}}]
    backendRefs: [{name: reviews-v2, port: 9080}]
`);
    const r = sim(SUBSETS + bad, { from: 'productpage-v1', to: 'reviews', path: '/reviews.Reviews/Rate' });
    expect(versionPercent(r.summary, 'reviews-v2', 'v2')).toBe(0);
    const good = bad.replace(
      'filters: [{type: URLRewrite, urlRewrite: {hostname: x}}]',
      'filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x, value: y}]}}]',
    );
    expect(
      versionPercent(
        sim(SUBSETS + good, { from: 'productpage-v1', to: 'reviews', path: '/x/y' }).summary,
        'reviews-v2',
        'v2',
      ),
    ).toBe(100);
  });
});

const GATEWAY = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: ingress}
spec:
  gatewayClassName: istio
  listeners:
  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Same}}}
`;

const INGRESS_ROUTE = `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: bookinfo, namespace: ingress}
spec:
  parentRefs: [{name: edge}]
  hostnames: [bookinfo.example.com]
  rules:
  - backendRefs: [{name: productpage, namespace: default, port: 9080}]
`;

const GRANT = `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-ingress, namespace: default}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: ingress}]
  to: [{group: "", kind: Service}]
`;

describe('ReferenceGrant', () => {
  const through = (yaml: string) =>
    sim(yaml, { from: 'edge-istio', to: 'http://bookinfo.example.com/productpage', requests: 50 });

  it('an HTTPRoute bound to a Gateway may not send to a Service in another namespace without one: 500, and the reason says RefNotPermitted', () => {
    expect(statusPercent(through(GATEWAY + INGRESS_ROUTE).summary, 500)).toBe(100);
    const one = routeRequest(snapshotOf(GATEWAY + INGRESS_ROUTE), {
      from: 'edge-istio',
      to: 'http://bookinfo.example.com/productpage',
    });
    expect(one.destinations[0]?.failure?.status).toBe(500);
    expect(one.destinations[0]?.failure?.reason).toMatch(
      /backendRef productpage\/default not accessible to a HTTPRoute in namespace "ingress" \(missing a ReferenceGrant\?\)/,
    );
  });

  it('a ReferenceGrant in the Service namespace from HTTPRoutes of that namespace lets it through', () => {
    expect(statusPercent(through(GATEWAY + INGRESS_ROUTE + GRANT).summary, 200)).toBe(100);
    // by name: productpage allowed, another name is not
    expect(
      statusPercent(
        through(
          GATEWAY + INGRESS_ROUTE + GRANT.replace('kind: Service}', 'kind: Service, name: productpage}'),
        ).summary,
        200,
      ),
    ).toBe(100);
    expect(
      statusPercent(
        through(GATEWAY + INGRESS_ROUTE + GRANT.replace('kind: Service}', 'kind: Service, name: reviews}'))
          .summary,
        500,
      ),
    ).toBe(100);
  });

  it('a grant that does not fit refuses: placed in the route namespace, for another kind, or from another namespace', () => {
    expect(
      statusPercent(
        through(GATEWAY + INGRESS_ROUTE + GRANT.replace('namespace: default}', 'namespace: ingress}'))
          .summary,
        500,
      ),
    ).toBe(100);
    expect(
      statusPercent(
        through(GATEWAY + INGRESS_ROUTE + GRANT.replace('kind: HTTPRoute', 'kind: GRPCRoute')).summary,
        500,
      ),
    ).toBe(100);
    expect(
      statusPercent(
        through(GATEWAY + INGRESS_ROUTE + GRANT.replace('namespace: ingress}]', 'namespace: shop}]')).summary,
        500,
      ),
    ).toBe(100);
  });

  it('a mesh route (parent a Service) needs none: istiod checks backendRefs only for Gateway parents', () => {
    const mesh = `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reviews, namespace: shop}
spec:
  parentRefs: [{group: "", kind: Service, name: reviews, namespace: default, port: 9080}]
  rules:
  - backendRefs: [{name: reviews-v2, namespace: default, port: 9080}]
`;
    const r = sim(SUBSETS + mesh, { from: 'productpage-v1', to: 'reviews', path: '/reviews/0' });
    expect(versionPercent(r.summary, 'reviews-v2', 'v2')).toBe(100);
  });
});

describe('ReferenceGrant for a listener certificate', () => {
  const https = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: ingress}
spec:
  gatewayClassName: istio
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    hostname: bookinfo.example.com
    tls: {mode: Terminate, certificateRefs: [{name: bookinfo-cert, namespace: certs}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: bookinfo, namespace: ingress}
spec:
  parentRefs: [{name: edge}]
  rules:
  - backendRefs: [{name: productpage, namespace: default, port: 9080}]
${GRANT}`;
  const secretGrant = `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: edge-certs, namespace: certs}
spec:
  from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: ingress}]
  to: [{group: "", kind: Secret, name: bookinfo-cert}]
`;
  const tls = (yaml: string) =>
    simulate(snapshotOf(yaml), {
      from: 'edge-istio',
      to: 'https://bookinfo.example.com/productpage',
      requests: 20,
    });

  it('a Secret in another namespace without a grant: the listener has no certificate, every handshake fails', () => {
    expect(tls(https).summary.statuses[0]?.status).toBe(0);
    const one = routeRequest(snapshotOf(https), {
      from: 'edge-istio',
      to: 'https://bookinfo.example.com/productpage',
    });
    expect(one.reason).toMatch(
      /certificateRef bookinfo-cert\/certs not accessible to a Gateway in namespace "ingress"/,
    );
  });

  it('with a ReferenceGrant in the Secret namespace from Gateways of ingress, the page is served', () => {
    expect(statusPercent(tls(https + secretGrant).summary, 200)).toBe(100);
    // a grant for HTTPRoutes does not cover the Gateway's own reference
    expect(
      tls(https + secretGrant.replace('kind: Gateway', 'kind: HTTPRoute')).summary.statuses[0]?.status,
    ).toBe(0);
  });
});

describe('TLSRoute (v1alpha2): SNI passthrough at a class-istio Gateway', () => {
  const ALPHA = `---
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
spec:
  values: {pilot: {env: {PILOT_ENABLE_ALPHA_GATEWAY_API: "true"}}}
`;
  const TLS = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: default}
spec:
  gatewayClassName: istio
  listeners:
  - {name: tls, port: 443, protocol: TLS, hostname: "*.example.com", tls: {mode: Passthrough}}
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: {name: bookinfo, namespace: default}
spec:
  parentRefs: [{name: edge}]
  hostnames: [bookinfo.example.com]
  rules:
  - backendRefs: [{name: productpage, port: 9080}]
`;
  const at = (yaml: string, host: string) =>
    routeRequest(snapshotOf(yaml), { from: 'edge-istio', to: `https://${host}/productpage` });

  it('with PILOT_ENABLE_ALPHA_GATEWAY_API=true the listener passes bookinfo.example.com through to productpage', () => {
    const r = at(ALPHA + TLS, 'bookinfo.example.com');
    expect(r.request.tls).toBe(true);
    expect(r.destinations.map((d) => d.cluster)).toEqual([
      'outbound|9080||productpage.default.svc.cluster.local',
    ]);
    expect(r.reason).toMatch(/TLSRoute default\/bookinfo rules\[0\]/);
    // an SNI the route does not name: no filter chain, the connection is closed
    expect(at(ALPHA + TLS, 'shop.example.com').local).toEqual({ status: 0, flags: 'NR' });
  });

  it('by default istiod 1.26 does not read TLSRoutes: the same connection is closed', () => {
    expect(at(TLS, 'bookinfo.example.com').local).toEqual({ status: 0, flags: 'NR' });
  });

  it('an HTTPRoute is not taken by a TLS listener, and a TLSRoute not by an HTTP one', () => {
    const http = TLS.replace(
      '{name: tls, port: 443, protocol: TLS, hostname: "*.example.com", tls: {mode: Passthrough}}',
      '{name: tls, port: 443, protocol: HTTP}',
    );
    expect(at(ALPHA + http, 'bookinfo.example.com').destinations).toEqual([]);
  });
});

describe('what the API server refuses, and refused mirrors', () => {
  it('a GRPCRoute with an unknown field is refused by the API server (ICA0101): the applied mesh routes without it', () => {
    const typo = grpcRoute(`  - backendRefs: [{name: reviews-v2, port: 9080}]
    sessionPersistance: {}
`);
    const { findings, snapshot } = analyzeText(SUBSETS + typo);
    expect(findings.map((f) => f.code)).toContain('ICA0101');
    const applied = routeRequest(snapshot.applied(), { from: 'productpage-v1', to: 'reviews', path: '/a/b' });
    expect(applied.reason).not.toMatch(/GRPCRoute/);
    const fixed = analyzeText(SUBSETS + typo.replace('    sessionPersistance: {}\n', ''));
    const routed = routeRequest(fixed.snapshot.applied(), {
      from: 'productpage-v1',
      to: 'reviews',
      path: '/a/b',
    });
    expect(routed.reason).toMatch(/GRPCRoute default\/reviews rules\[0\]/);
  });

  it('a RequestMirror to another namespace from a route bound to a Gateway mirrors nothing without a grant', () => {
    const mirrored = INGRESS_ROUTE.replace(
      '  - backendRefs: [{name: productpage, namespace: default, port: 9080}]',
      `  - filters:
    - type: RequestMirror
      requestMirror: {backendRef: {name: reviews, namespace: default, port: 9080}}
    backendRefs: [{name: productpage, namespace: default, port: 9080}]`,
    );
    const at = (yaml: string) =>
      routeRequest(snapshotOf(yaml), { from: 'edge-istio', to: 'http://bookinfo.example.com/productpage' });
    const grant = GRANT;
    expect(at(GATEWAY + mirrored + grant).mirrors.map((m) => m.host)).toEqual([
      'reviews.default.svc.cluster.local',
    ]);
    const onlyProductpage = grant.replace('kind: Service}', 'kind: Service, name: productpage}');
    expect(at(GATEWAY + mirrored + onlyProductpage).mirrors).toEqual([]);
  });
});
