// Ingress through the Gateway API: a Gateway of class istio (istiod deploys
// `<name>-istio` and programs one Istio Gateway per listener) and HTTPRoutes whose
// parent is that Gateway. `--from <name>-istio` sends requests in at its pods; the
// routes apply on the listeners that accept them (sectionName, port, hostnames,
// allowedRoutes), with their filters and weights.
import { describe, expect, it } from 'vitest';
import { envoyView, resolveProxy, routeConfigs } from '../../src/core/envoy/index.ts';
import { routeRequest, type SimulateOptions, simulate } from '../../src/core/sim/index.ts';
import { snapshotOf, statusPercent, versionPercent } from './helpers.ts';

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: bookinfo-gateway, namespace: default}
spec:
  gatewayClassName: istio
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
  - {name: admin, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
`;

const ROUTE = `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: bookinfo, namespace: default}
spec:
  parentRefs: [{name: bookinfo-gateway, sectionName: http}]
  hostnames: [bookinfo.example.com]
  rules:
  - matches: [{path: {type: Exact, value: /productpage}}, {path: {type: PathPrefix, value: /api/v1/products}}]
    backendRefs: [{name: productpage, port: 9080}]
  - matches: [{path: {type: PathPrefix, value: /legacy}}]
    filters:
    - type: RequestRedirect
      requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /productpage}, statusCode: 301}
`;

const sim = (yaml: string, o: Partial<SimulateOptions>) =>
  simulate(snapshotOf(yaml), {
    to: 'http://bookinfo.example.com/productpage',
    from: 'bookinfo-gateway-istio',
    requests: 100,
    ...o,
  });

describe('Gateway API ingress (class istio)', () => {
  it('routes an HTTPRoute bound to the Gateway listener: the page renders through bookinfo-gateway-istio', () => {
    const r = sim(GATEWAY + ROUTE, {});
    expect(statusPercent(r.summary, 200)).toBe(100);
    expect(r.summary.pages?.length ?? 0).toBeGreaterThan(0);
    expect(sim(GATEWAY + ROUTE, { to: 'http://bookinfo.example.com/legacy/x' }).summary.statuses).toEqual([
      expect.objectContaining({ status: 301 }),
    ]);
  });

  it('a host the route does not name, or a path no rule matches, gets 404 NR; without the route every request does', () => {
    expect(
      statusPercent(sim(GATEWAY + ROUTE, { to: 'http://shop.example.com/productpage' }).summary, 404, 'NR'),
    ).toBe(100);
    expect(
      statusPercent(sim(GATEWAY + ROUTE, { to: 'http://bookinfo.example.com/other' }).summary, 404, 'NR'),
    ).toBe(100);
    expect(statusPercent(sim(GATEWAY, {}).summary, 404, 'NR')).toBe(100);
  });

  it('the listener decides: sectionName, port, and allowedRoutes (Same by default) keep a route off a listener', () => {
    // bound to the admin listener (port 8080) only: port 80 has no route for it
    const admin = ROUTE.replace('sectionName: http', 'sectionName: admin');
    expect(statusPercent(sim(GATEWAY + admin, {}).summary, 404, 'NR')).toBe(100);
    expect(
      statusPercent(
        sim(GATEWAY + admin, { to: 'http://bookinfo.example.com:8080/productpage' }).summary,
        200,
      ),
    ).toBe(100);
    // a route in another namespace: refused by the http listener (Same), accepted by admin (All)
    const other = `---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
${ROUTE.replace('namespace: default}', 'namespace: shop}').replace('{name: bookinfo-gateway, sectionName: http}', '{name: bookinfo-gateway, namespace: default}').replaceAll('name: productpage, port: 9080', 'name: productpage, namespace: default, port: 9080')}`;
    expect(statusPercent(sim(GATEWAY + other, {}).summary, 404, 'NR')).toBe(100);
    // attached to admin, but its backend is in default: refused without a ReferenceGrant there (500)
    const admin8080 = { to: 'http://bookinfo.example.com:8080/productpage' };
    expect(statusPercent(sim(GATEWAY + other, admin8080).summary, 500)).toBe(100);
    const grant = `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: shop-routes, namespace: default}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
  to: [{group: "", kind: Service, name: productpage}]
`;
    expect(statusPercent(sim(GATEWAY + other + grant, admin8080).summary, 200)).toBe(100);
  });

  it('the route reason names the HTTPRoute that a listener does not take, and why', () => {
    const other = ROUTE.replace('namespace: default}', 'namespace: shop}').replace(
      '{name: bookinfo-gateway, sectionName: http}',
      '{name: bookinfo-gateway, namespace: default, sectionName: http}',
    );
    const r = routeRequest(snapshotOf(GATEWAY + other), {
      to: 'http://bookinfo.example.com/productpage',
      from: 'bookinfo-gateway-istio',
    });
    expect(r.reason).toBe(
      'listener http of Gateway default/bookinfo-gateway (class istio) accepts the request, but no HTTPRoute attached to it has host bookinfo.example.com (Envoy answers 404, flag NR); HTTPRoute shop/bookinfo is not attached to listener http: listener http admits routes from namespace default only (allowedRoutes Same, the default), not shop',
    );
    const ok = routeRequest(snapshotOf(GATEWAY + ROUTE), {
      to: 'http://bookinfo.example.com/productpage',
      from: 'bookinfo-gateway-istio',
    });
    expect(ok.reason).toBe('routed by HTTPRoute default/bookinfo rules[0]');
  });

  it('an HTTPS listener terminates TLS with its certificateRef and routes the HTTPRoute attached to it', () => {
    const https = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: bookinfo-gateway, namespace: default}
spec:
  gatewayClassName: istio
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    hostname: bookinfo.example.com
    tls: {mode: Terminate, certificateRefs: [{name: bookinfo-cert}]}
`;
    const route = ROUTE.replace('sectionName: http', 'sectionName: https');
    const r = sim(https + route, { to: 'https://bookinfo.example.com/productpage' });
    expect(statusPercent(r.summary, 200)).toBe(100);
    // plain HTTP to port 443: only a TLS server listens there, the handshake fails
    expect(
      sim(https + route, { to: 'http://bookinfo.example.com:443/productpage' }).summary.statuses[0]?.status,
    ).toBe(0);
    const view = envoyView(snapshotOf(https + route));
    const proxy = resolveProxy(view.mesh, 'bookinfo-gateway-istio', 'default');
    expect(routeConfigs(view, proxy).map((c) => c.name)).toEqual([
      'https.443.https.bookinfo-gateway-istio-autogenerated-k8s-gateway-https.default',
    ]);
  });

  it('backendRefs weights split the traffic at the gateway', () => {
    const split = `---
apiVersion: v1
kind: Service
metadata: {name: reviews-v1, namespace: default}
spec: {selector: {app: reviews, version: v1}, ports: [{name: http, port: 9080}]}
---
apiVersion: v1
kind: Service
metadata: {name: reviews-v3, namespace: default}
spec: {selector: {app: reviews, version: v3}, ports: [{name: http, port: 9080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reviews, namespace: default}
spec:
  parentRefs: [{name: bookinfo-gateway}]
  hostnames: [reviews.example.com]
  rules:
  - backendRefs: [{name: reviews-v1, port: 9080, weight: 75}, {name: reviews-v3, port: 9080, weight: 25}]
`;
    const r = sim(GATEWAY + split, {
      to: 'http://reviews.example.com/reviews/0',
      requests: 2000,
      bookinfoApps: false,
    });
    expect(versionPercent(r.summary, 'reviews-v1', 'v1')).toBeGreaterThan(71);
    expect(versionPercent(r.summary, 'reviews-v1', 'v1')).toBeLessThan(79);
    expect(versionPercent(r.summary, 'reviews-v3', 'v3')).toBeGreaterThan(21);
  });

  it('a Gateway of another class is not programmed by istiod: no bookinfo-gateway-istio to send from', () => {
    const other = GATEWAY.replace('gatewayClassName: istio', 'gatewayClassName: other');
    expect(() => sim(other + ROUTE, {})).toThrow(/no such workload/);
  });

  it('proxy-config routes of the gateway pod shows the route on the listener port, named after the HTTPRoute', () => {
    const view = envoyView(snapshotOf(GATEWAY + ROUTE));
    const proxy = resolveProxy(view.mesh, 'bookinfo-gateway-istio', 'default');
    const rc = routeConfigs(view, proxy).find((c) => c.name === 'http.80');
    const vhost = rc?.virtualHosts.find((v) => v.domains.includes('bookinfo.example.com'));
    expect(vhost?.routes.map((r) => r.route?.cluster ?? r.redirect?.pathRedirect)).toEqual([
      'outbound|9080||productpage.default.svc.cluster.local',
      'outbound|9080||productpage.default.svc.cluster.local',
      '/productpage',
    ]);
  });
});
