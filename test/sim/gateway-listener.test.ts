// A gateway pod listens only on the ports of the Gateway servers that select it
// (istiod builds one listener per server port). A request to a port no Gateway
// opens finds no listener: the connection is refused (curl exit 7, no status, no
// access log line), not a 404 NR. A listener without a matching host or route
// still answers 404 NR.
import { describe, expect, it } from 'vitest';
import { formatSummaryText, routeRequest } from '../../src/core/sim/index.ts';
import { run, snapshotOf } from './helpers.ts';
import * as istio from './yaml.ts';

const plain = {
  cyan: (s: string) => s,
  bold: (s: string) => s,
  dim: (s: string) => s,
  red: (s: string) => s,
  green: (s: string) => s,
  yellow: (s: string) => s,
};

/** Bookinfo behind Gateway gw, whose selector is `selector` and whose servers are these. */
const behind = (servers: string[], selector = 'ingressgateway') =>
  istio.documents(
    istio.gateway('gw', servers, selector),
    istio.virtualService(
      'bookinfo',
      '  - route:\n    - destination: {host: productpage, port: {number: 9080}}\n',
      {
        hosts: 'bookinfo.example.com',
        gateways: 'gw',
      },
    ),
  );

describe('a gateway port no Gateway opens', () => {
  it('no Gateway selects the ingress gateway pod: every connection is refused, with the reason', () => {
    const yaml = behind([istio.server([8080, 'http', 'HTTP'], 'bookinfo.example.com')], 'ingress');
    for (const to of ['bookinfo.example.com', 'http://bookinfo.example.com', 'bookinfo.example.com:80']) {
      const r = run(yaml, { from: 'ingress', to, path: '/productpage', requests: 5 });
      expect(r.summary.statuses, to).toEqual([
        { status: 0, flags: '-', count: 5, percent: 100, refused: true },
      ]);
      expect(r.summary.destinations.every((d) => !d.reachedPod)).toBe(true);
      expect(formatSummaryText(r.summary, plain)).toMatch(
        /connection refused: no listener on the port \(curl exit 7\)/,
      );
    }
    const route = routeRequest(snapshotOf(yaml), { from: 'ingress', to: 'bookinfo.example.com' });
    expect(route.local).toEqual({ status: 0, flags: '-', refused: true });
    expect(route.reason).toMatch(
      /^no Gateway opens port 80 on istio-ingressgateway: no Gateway's selector matches its pod, so it has no listeners at all; .*curl exit 7/,
    );
  });

  it('Gateways select the pod but none opens the port: refused, naming the ports they do open', () => {
    const yaml = behind([
      istio.server(
        [8443, 'https', 'HTTPS'],
        'bookinfo.example.com',
        'mode: SIMPLE, credentialName: bookinfo-cert',
      ),
    ]);
    const r = run(yaml, { from: 'ingress', to: 'http://bookinfo.example.com/productpage', requests: 3 });
    expect(r.summary.statuses.map((s) => [s.status, s.refused])).toEqual([[0, true]]);
    const route = routeRequest(snapshotOf(yaml), { from: 'ingress', to: 'bookinfo.example.com:8080' });
    expect(route.reason).toMatch(
      /^no Gateway opens port 8080 on istio-ingressgateway \(Gateway default\/gw opens port 8443\)/,
    );
  });

  it('a listener on the port without the host or route still answers 404 NR, logged', () => {
    const yaml = behind([istio.server([8080, 'http', 'HTTP'], 'admin.example.com')]);
    for (const to of ['other.example.com', 'http://other.example.com', 'other.example.com:80']) {
      const r = run(yaml, { from: 'ingress', to, requests: 2 });
      expect(r.summary.statuses, to).toEqual([{ status: 404, flags: 'NR', count: 2, percent: 100 }]);
    }
    // Service port 80 leads to the server's 8080: that is a listener
    const served = behind([istio.server([8080, 'http', 'HTTP'], 'bookinfo.example.com')]);
    const ok = run(served, {
      from: 'ingress',
      to: 'bookinfo.example.com:80',
      path: '/productpage',
      requests: 2,
    });
    expect(ok.summary.statuses.map((s) => s.status)).toEqual([200]);
  });

  it('a sidecar sending to a gateway pod with no listener sees a connect failure: 503 UF after the default retries', () => {
    const yaml = istio.documents(
      istio.serviceEntry('httpbin', 'httpbin.org', [80, 'http', 'HTTP']),
      istio.virtualService(
        'httpbin-via-egress',
        '  - route:\n    - destination: {host: istio-egressgateway.istio-system.svc.cluster.local, port: {number: 80}}\n',
        { hosts: 'httpbin.org' },
      ),
    );
    const r = run(yaml, { from: 'productpage-v1', to: 'http://httpbin.org/headers', requests: 4 });
    expect(r.summary.statuses.map((s) => [s.status, s.flags, s.refused])).toEqual([
      [503, 'UF,URX', undefined],
    ]);
    const route = routeRequest(snapshotOf(yaml), {
      from: 'productpage-v1',
      to: 'http://httpbin.org/headers',
    });
    const next = route.destinations.find((d) => d.next)?.next;
    expect(next?.reason).toMatch(/no Gateway opens port 80 on istio-egressgateway.*answers 503 UF/);
  });
});
