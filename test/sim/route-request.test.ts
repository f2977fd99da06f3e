// routeRequest: the deterministic view of one request's routing (the same
// decisions simulate() makes, without random numbers).
import { describe, expect, it } from 'vitest';
import { routeRequest, SimError, simulate } from '../../src/core/sim/index.ts';
import { fixture, snapshotOf } from './helpers.ts';
import * as istio from './yaml.ts';

describe('routeRequest', () => {
  it('names the rule and the destinations with normalized shares', () => {
    const snap = snapshotOf(istio.reviewsVs(istio.routeTo('reviews', ['v1', 80], ['v2', 10], ['v3', 0])));
    const r = routeRequest(snap, { to: 'reviews' });
    expect(r.context).toBe('mesh');
    expect(r.outcome).toBe('route');
    expect(r.virtualService).toEqual({ namespace: 'default', name: 'reviews' });
    expect(r.rule).toEqual({ kind: 'http', index: 0 });
    expect(
      r.destinations.map((d) => [d.host, d.subset, d.port, d.weight, Math.round(d.share * 1000)]),
    ).toEqual([
      ['reviews.default.svc.cluster.local', 'v1', 9080, 80, 889],
      ['reviews.default.svc.cluster.local', 'v2', 9080, 10, 111],
    ]);
    expect(r.destinations[0]?.cluster).toBe('outbound|9080|v1|reviews.default.svc.cluster.local');
    expect(r.reason).toBe('routed by VirtualService default/reviews http[0]');
    // deterministic: the same answer every time
    expect(routeRequest(snap, { to: 'reviews' })).toEqual(r);
  });

  it('follows first-match order with headers, and says when nothing matches (404 NR)', () => {
    const snap = snapshotOf(fixture('reviews-jason.yaml'));
    const jason = routeRequest(snap, { to: 'reviews', headers: { 'End-User': 'jason' } });
    expect(jason.rule?.index).toBe(0);
    expect(jason.destinations.map((d) => d.subset)).toEqual(['v2']);
    expect(routeRequest(snap, { to: 'reviews' }).destinations.map((d) => d.subset)).toEqual(['v1']);

    const only = snapshotOf(
      istio.reviewsVs(`  - match:
    - uri: {exact: /only}
    route:
    - destination: {host: reviews, subset: v1}`),
    );
    const none = routeRequest(only, { to: 'reviews', path: '/other' });
    expect(none.outcome).toBe('local');
    expect(none.local).toEqual({ status: 404, flags: 'NR' });
    expect(none.reason).toMatch(
      /no HTTP rule matches the request in the mesh \(Envoy answers 404, flag NR\)/,
    );
  });

  it('summarizes fault, timeout, retries and mirror; a rule without retries gets the default policy', () => {
    const snap = snapshotOf(
      istio.reviewsVs(`  - match:
    - headers: {end-user: {exact: jason}}
    route:
    - destination: {host: reviews, subset: v2}
  - fault:
      delay: {fixedDelay: 2s}
      abort: {httpStatus: 503, percentage: {value: 10}}
    timeout: 4s
    retries: {attempts: 3, perTryTimeout: 1s, retryOn: "5xx,reset"}
    mirror: {host: reviews, subset: v3}
    mirrorPercentage: {value: 25}
    route:
    - destination: {host: reviews, subset: v1}`),
    );
    const r = routeRequest(snap, { to: 'reviews' });
    expect(r.rule?.index).toBe(1);
    expect(r.fault).toEqual({
      delay: { fixedDelay: '2s', ms: 2000, percent: 0, percentSet: false },
      abort: { httpStatus: 503, percent: 10, percentSet: true },
    });
    expect(r.timeout).toBe('4s');
    expect(r.timeoutMs).toBe(4000);
    expect(r.retries).toEqual({
      source: 'rule',
      attempts: 3,
      retryOn: '5xx,reset',
      perTryTimeout: '1s',
      perTryTimeoutMs: 1000,
    });
    expect(r.mirrors).toEqual([
      expect.objectContaining({ host: 'reviews.default.svc.cluster.local', subset: 'v3', share: 0.25 }),
    ]);
    const jason = routeRequest(snap, { to: 'reviews', headers: { 'end-user': 'jason' } });
    expect(jason.retries).toMatchObject({ source: 'default', attempts: 2 });
    expect(jason.timeoutMs).toBe(0);
    expect(jason.fault).toBeUndefined();
  });

  it('marks destinations that fail at the proxy (503 NC, 503 UH)', () => {
    const snap = snapshotOf(
      istio.documents(
        istio.destinationRule('reviews', ['v4']),
        istio.virtualService('reviews', istio.routeTo('reviews', ['v4', 50], ['v9', 50])),
      ),
    );
    const r = routeRequest(snap, { to: 'reviews' });
    expect(r.destinations.map((d) => d.failure?.flags)).toEqual(['UH', 'NC']);
    expect(r.destinations[1]?.failure?.reason).toMatch(/defines subset "v9"/);
  });

  it('takes the default route without a VirtualService, and says when one exists but is not bound there', () => {
    const snap = snapshotOf(
      istio.virtualService('reviews', istio.routeTo('reviews', 'v1'), { gateways: 'some-gateway' }),
    );
    const r = routeRequest(snap, { to: 'reviews' });
    expect(r.virtualService).toBeUndefined();
    expect(r.destinations).toEqual([
      expect.objectContaining({ cluster: 'outbound|9080||reviews.default.svc.cluster.local', share: 1 }),
    ]);
    expect(r.retries?.source).toBe('default');
    expect(r.reason).toMatch(/default route.*none is bound in the mesh/);
  });

  it('explains the BlackHoleCluster with the ports a ServiceEntry registers', () => {
    const snap = snapshotOf(istio.HTTPBIN_TLS_ONLY, { outboundMode: 'REGISTRY_ONLY' });
    const r = routeRequest(snap, { to: 'http://httpbin.org/headers', from: 'productpage-v1' });
    expect(r.local).toEqual({ status: 502, flags: '-', cluster: 'BlackHoleCluster' });
    expect(r.reason).toMatch(/registers httpbin.org only on port 443\/TLS, not 80/);
    const tls = routeRequest(snap, { to: 'https://httpbin.org/', from: 'productpage-v1' });
    expect(tls.request.tls).toBe(true);
    expect(tls.destinations[0]?.cluster).toBe('outbound|443||httpbin.org');
    expect(tls.retries).toBeNull();
  });

  it('routes at a Gateway (by name, or through a gateway workload) and describes its server', () => {
    const snap = snapshotOf(
      istio.productpageBehindGw('bookinfo.example.com', [
        istio.server([443, 'https', 'HTTPS'], 'bookinfo.example.com', 'mode: PASSTHROUGH'),
        istio.server([8080, 'http', 'HTTP'], 'bookinfo.example.com'),
      ]),
    );
    expect(routeRequest(snap, { to: 'bookinfo.example.com:80', gateway: 'gw' }).server?.port).toBe(8080);
    const http = routeRequest(snap, { to: 'bookinfo.example.com', gateway: 'gw' });
    expect(http.context).toBe('default/gw');
    expect(http.server).toMatchObject({ port: 8080, protocol: 'HTTP', mode: 'http' });
    expect(http.destinations[0]?.host).toBe('productpage.default.svc.cluster.local');
    const tls = routeRequest(snap, { to: 'bookinfo.example.com:443', from: 'ingress', path: '/productpage' });
    expect(tls.server).toMatchObject({ port: 443, mode: 'passthrough', tlsMode: 'PASSTHROUGH' });
    expect(tls.local).toEqual({ status: 0, flags: 'NR' });
    expect(tls.reason).toMatch(/PASSTHROUGH server of Gateway default\/gw routes by SNI only/);
    const other = routeRequest(snap, { to: 'other.example.com', gateway: 'gw' });
    expect(other.reason).toMatch(/no server of Gateway default\/gw accepts other.example.com/);
    expect(() => routeRequest(snap, { to: 'x.example.com', gateway: 'nope' })).toThrow(SimError);
  });

  it('follows the egress gateway hop of a TLS connection', () => {
    const yaml = fixture('egress-tls-passthrough.yaml');
    const r = routeRequest(snapshotOf(yaml), { to: 'external.example.com', from: 'productpage-v1' });
    expect(r.request.tls).toBe(true);
    expect(r.rule).toEqual({ kind: 'tls', index: 0 });
    const hop = r.destinations[0]!;
    expect(hop.cluster).toBe('outbound|443||istio-egressgateway.istio-system.svc.cluster.local');
    expect(hop.next?.context).toBe('default/egress-gateway');
    expect(hop.next?.rule).toEqual({ kind: 'tls', index: 1 });
    expect(hop.next?.destinations.map((d) => d.cluster)).toEqual(['outbound|443||external.example.com']);
  });

  it('agrees with simulate() on where a lone destination sends every request', () => {
    const snap = snapshotOf(fixture('reviews-jason.yaml'));
    const r = routeRequest(snap, { to: 'reviews', headers: { 'end-user': 'jason' } });
    const { summary } = simulate(snap, { to: 'reviews', headers: { 'end-user': 'jason' }, requests: 50 });
    expect(summary.destinations.map((d) => d.subset)).toEqual(r.destinations.map((d) => d.subset));
  });
});
