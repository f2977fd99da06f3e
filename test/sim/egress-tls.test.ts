// ServiceEntry ports, ServiceEntry resolution, Gateway server TLS modes and TLS
// routes (SNI + port), including the egress gateway with TLS passthrough.
import { describe, expect, it } from 'vitest';
import { routeRequest } from '../../src/core/sim/index.ts';
import { fixture, run, snapshotOf, statusPercent } from './helpers.ts';
import * as istio from './yaml.ts';

const REGISTRY_ONLY = { outboundMode: 'REGISTRY_ONLY' } as const;

describe('ServiceEntry ports', () => {
  const httpsOnly = istio.HTTPBIN_TLS_ONLY;

  it('sends a host registered only on 443 to the BlackHoleCluster on port 80 (REGISTRY_ONLY)', () => {
    const { summary, records } = run(
      httpsOnly,
      { to: 'http://httpbin.org/headers', from: 'productpage-v1', requests: 10 },
      REGISTRY_ONLY,
    );
    expect(statusPercent(summary, 502)).toBe(100);
    expect(records[0]?.cluster).toBe('BlackHoleCluster');
  });

  it('passes an unregistered port through with ALLOW_ANY', () => {
    const { records } = run(httpsOnly, { to: 'http://httpbin.org/headers', requests: 5 });
    expect(records[0]?.cluster).toBe('PassthroughCluster');
    expect(records[0]?.status).toBe(200);
  });

  it('reaches the registered port over TLS (https://)', () => {
    const { summary, records } = run(
      httpsOnly,
      { to: 'https://httpbin.org/headers', from: 'productpage-v1', requests: 10 },
      REGISTRY_ONLY,
    );
    expect(statusPercent(summary, 200)).toBe(100);
    expect(records[0]?.cluster).toBe('outbound|443||httpbin.org');
  });

  it('does not apply a VirtualService for the host on a port the ServiceEntry does not register', () => {
    const yaml = istio.documents(
      httpsOnly,
      istio.virtualService('httpbin', istio.routeTo('httpbin.org'), { hosts: 'httpbin.org' }),
    );
    const { records } = run(yaml, { to: 'http://httpbin.org/', requests: 5 }, REGISTRY_ONLY);
    expect(records[0]?.status).toBe(502);
    expect(records[0]?.cluster).toBe('BlackHoleCluster');
  });
});

describe('ServiceEntry resolution STATIC', () => {
  const legacy = (more: string) =>
    istio.serviceEntry('legacy', 'legacy.example.com', [80, 'http', 'HTTP'], `  resolution: STATIC\n${more}`);

  it('gives 503 UH without endpoints or a workloadSelector (the cluster is empty)', () => {
    const yaml = legacy('');
    const { summary } = run(yaml, { to: 'legacy.example.com', requests: 10 });
    expect(statusPercent(summary, 503, 'UH')).toBe(100);
  });

  it('reaches the listed endpoints', () => {
    const yaml = legacy('  endpoints: [{address: 10.0.0.1}, {address: 10.0.0.2}]');
    const { summary } = run(yaml, { to: 'legacy.example.com', requests: 100 });
    expect(statusPercent(summary, 200)).toBe(100);
    expect(summary.upstream.map((u) => u.pod).sort()).toEqual(['10.0.0.1', '10.0.0.2']);
  });
});

describe('Gateway server TLS modes', () => {
  const passthrough = istio.productpageBehindGw('bookinfo.example.com', [
    istio.server([443, 'https', 'HTTPS'], 'bookinfo.example.com', 'mode: PASSTHROUGH'),
  ]);

  it('does not apply HTTP routes to a PASSTHROUGH server (no tls route: the connection is closed, NR)', () => {
    const { summary, records } = run(passthrough, {
      to: 'bookinfo.example.com:443',
      from: 'ingress',
      path: '/productpage',
      requests: 10,
    });
    expect(records.some((r) => r.status === 200)).toBe(false);
    expect(summary.destinations.some((d) => d.service === 'productpage' && d.reachedPod)).toBe(false);
    expect(statusPercent(summary, 0, 'NR')).toBe(100);
  });

  it('follows a tls route by SNI on a PASSTHROUGH server', () => {
    const yaml = passthrough.replace(
      / {2}http:\n {2}- route:/,
      `  tls:
  - match:
    - sniHosts: [bookinfo.example.com]
      port: 443
    route:`,
    );
    const { summary } = run(yaml, { to: 'https://bookinfo.example.com/', from: 'ingress', requests: 10 });
    expect(statusPercent(summary, 200)).toBe(100);
    expect(summary.destinations[0]?.service).toBe('productpage');
  });

  it('still applies HTTP routes to an HTTPS server that terminates TLS (SIMPLE)', () => {
    const yaml = passthrough.replace('mode: PASSTHROUGH', 'mode: SIMPLE, credentialName: bookinfo-cert');
    const { summary } = run(yaml, {
      to: 'bookinfo.example.com:443',
      from: 'ingress',
      path: '/productpage',
      requests: 10,
    });
    expect(statusPercent(summary, 200)).toBe(100);
    expect(summary.destinations[0]?.service).toBe('productpage');
  });

  it('answers 301 on an HTTP server with httpsRedirect', () => {
    const yaml = istio.productpageBehindGw('bookinfo.example.com', [
      istio.server([80, 'http', 'HTTP'], 'bookinfo.example.com', 'httpsRedirect: true'),
    ]);
    const { summary } = run(yaml, { to: 'bookinfo.example.com:80', from: 'ingress', requests: 5 });
    expect(statusPercent(summary, 301)).toBe(100);
  });
});

// The course module's egress example (section 7.3): TLS passthrough through the egress gateway
// (the fixture `simulate` reads in cli.test.ts).
const EGRESS = fixture('egress-tls-passthrough.yaml');

describe('TLS routes: egress gateway with TLS passthrough', () => {
  it('sends a sidecar TLS connection to the egress gateway, which passes it through to the host', () => {
    const { summary, records } = run(
      EGRESS,
      { to: 'https://external.example.com/', from: 'productpage-v1', requests: 20 },
      REGISTRY_ONLY,
    );
    expect(statusPercent(summary, 200)).toBe(100);
    const r = records[0]!;
    expect(r.cluster).toBe('outbound|443||external.example.com');
    expect(r.via).toEqual([
      'outbound|443||istio-egressgateway.istio-system.svc.cluster.local',
      'gateway default/egress-gateway',
    ]);
    expect(summary.destinations).toEqual([
      expect.objectContaining({
        service: 'external.example.com',
        reachedPod: true,
        via: [
          'outbound|443||istio-egressgateway.istio-system.svc.cluster.local',
          'gateway default/egress-gateway',
        ],
      }),
    ]);
    const pods = summary.upstream.map((u) => u.pod).sort();
    expect(pods).toEqual(['external.example.com', 'istio-egressgateway-0']);
  });

  it('infers TLS from the ServiceEntry port protocol when no scheme is given', () => {
    const { records } = run(EGRESS, { to: 'external.example.com', requests: 5 }, REGISTRY_ONLY);
    expect(records[0]?.via?.[1]).toBe('gateway default/egress-gateway');
  });

  it('goes straight to the host when the mesh rule is missing', () => {
    const yaml = EGRESS.replace(/ {2}- match:\n {4}- gateways:\n {6}- mesh\n[\s\S]*?number: 443\n/, '');
    const { records } = run(yaml, { to: 'https://external.example.com/', requests: 5 }, REGISTRY_ONLY);
    expect(records[0]?.cluster).toBe('outbound|443||external.example.com');
    expect(records[0]?.via).toBeUndefined();
    expect(records[0]?.status).toBe(200);
  });

  it('closes the connection at the egress gateway when its tls rule is missing (0 NR)', () => {
    const yaml = EGRESS.replace(/ {2}- match:\n {4}- gateways:\n {6}- egress-gateway\n[\s\S]*$/, '');
    const { summary, records } = run(
      yaml,
      { to: 'https://external.example.com/', requests: 5 },
      REGISTRY_ONLY,
    );
    expect(statusPercent(summary, 0, 'NR')).toBe(100);
    expect(records[0]?.via).toEqual([
      'outbound|443||istio-egressgateway.istio-system.svc.cluster.local',
      'gateway default/egress-gateway',
    ]);
  });

  it('blocks TLS to an unregistered host with REGISTRY_ONLY (connection closed, UH)', () => {
    const { records } = run('', { to: 'https://api.example.com/', requests: 5 }, REGISTRY_ONLY);
    expect(records[0]?.status).toBe(0);
    expect(records[0]?.flags).toBe('UH');
    expect(records[0]?.cluster).toBe('BlackHoleCluster');
  });
});

describe('not simulated', () => {
  it('refuses a TLS connection that tcp routes would carry', () => {
    const yaml = istio.documents(
      istio.serviceEntry('db', 'db.example.com', [5432, 'tcp', 'TCP']),
      istio.virtualService('db', istio.routeTo('db.example.com'), { hosts: 'db.example.com', kind: 'tcp' }),
    );
    expect(() => run(yaml, { to: 'https://db.example.com:5432', requests: 1 })).toThrow(
      /tcp routes are not simulated/,
    );
    expect(routeRequest(snapshotOf(yaml), { to: 'https://db.example.com:5432' }).outcome).toBe('unsupported');
  });
});

describe('gateway hops', () => {
  it('cuts a loop (a gateway routing to its own Service) after a few hops', () => {
    const loop = `  - route:
    - destination: {host: istio-ingressgateway.istio-system.svc.cluster.local, port: {number: 80}}`;
    const yaml = istio.documents(
      istio.gateway('gw', [istio.server([80, 'http', 'HTTP'], '"*"')]),
      istio.virtualService('loop', loop, { hosts: '"*"', gateways: 'gw' }),
    );
    const { records } = run(yaml, { to: 'shop.example.com', from: 'ingress', requests: 3 });
    expect(records.every((r) => r.status === 503)).toBe(true);
    expect(records[0]?.via?.filter((h) => h.startsWith('gateway ')).length).toBe(5);
    let hops = 0;
    let r = routeRequest(snapshotOf(yaml), { to: 'shop.example.com', from: 'ingress' });
    while (r.destinations[0]?.next) {
      r = r.destinations[0].next;
      hops++;
    }
    expect(hops).toBe(5);
  });
});

describe('ServiceEntry exportTo (what the calling sidecar sees)', () => {
  const httpbin = (exportTo: string, namespace = 'default') =>
    istio
      .serviceEntry(
        'httpbin',
        'httpbin.org',
        [80, 'http', 'HTTP'],
        `  resolution: DNS\n  exportTo: ${exportTo}`,
      )
      .replace('metadata: {name: httpbin}', `metadata: {name: httpbin, namespace: ${namespace}}`);

  it('an entry exported only to istio-system registers nothing for a sidecar in default: 502 under REGISTRY_ONLY', () => {
    const { summary, records } = run(
      httpbin('[istio-system]'),
      { to: 'http://httpbin.org/headers', from: 'productpage-v1', requests: 10 },
      REGISTRY_ONLY,
    );
    expect(statusPercent(summary, 502)).toBe(100);
    expect(records[0]?.cluster).toBe('BlackHoleCluster');
    const r = routeRequest(snapshotOf(httpbin('[istio-system]'), REGISTRY_ONLY), {
      to: 'http://httpbin.org/headers',
      from: 'productpage-v1',
    });
    expect(r.reason).toContain('no ServiceEntry visible in namespace default registers httpbin.org');
    expect(r.reason).toContain('default/httpbin is exported to istio-system');
  });

  it('the same entry exported to "." or to default is seen from default', () => {
    for (const exportTo of ['["."]', '[default]', '["*"]']) {
      const { summary } = run(
        httpbin(exportTo),
        { to: 'http://httpbin.org/headers', from: 'productpage-v1', requests: 5 },
        REGISTRY_ONLY,
      );
      expect(statusPercent(summary, 200), exportTo).toBe(100);
    }
  });

  it('an entry in another namespace exported with "." is private to that namespace', () => {
    const { summary } = run(
      httpbin('["."]', 'istio-system'),
      { to: 'http://httpbin.org/headers', from: 'productpage-v1', requests: 5 },
      REGISTRY_ONLY,
    );
    expect(statusPercent(summary, 502)).toBe(100);
  });
});
