// A Sidecar's outboundTrafficPolicy.egressProxy: under ALLOW_ANY, what the proxy
// does not know (a host outside the registry, or one its egress hosts leave out) goes
// to the egress proxy instead of PassthroughCluster; under REGISTRY_ONLY pilot
// ignores it and unknown hosts stay blocked (502). proxy-config shows the catch-all
// route and the 15001 listener leading to the proxy's cluster.
import { describe, expect, it } from 'vitest';
import { envoyView, listeners, resolveProxy, routeConfigs } from '../../src/core/envoy/index.ts';
import { routeRequest, type SimulateOptions, simulate } from '../../src/core/sim/index.ts';
import { snapshotOf, statusPercent } from './helpers.ts';

const PROXY = `apiVersion: v1
kind: Service
metadata: {name: egress-proxy, namespace: default}
spec: {selector: {app: egress-proxy}, ports: [{name: http, port: 3128}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: egress-proxy, namespace: default}
spec:
  selector: {matchLabels: {app: egress-proxy}}
  template:
    metadata: {labels: {app: egress-proxy}}
    spec: {containers: [{name: proxy, image: squid, ports: [{containerPort: 3128}]}]}
`;
const sidecar = (mode: string, hosts = '["./*", "istio-system/*"]') => `---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: default}
spec:
  egress: [{hosts: ${hosts}}]
  outboundTrafficPolicy:
    mode: ${mode}
    egressProxy: {host: egress-proxy.default.svc.cluster.local, port: {number: 3128}}
`;

const sim = (yaml: string, o: Partial<SimulateOptions> = {}) =>
  simulate(snapshotOf(yaml), {
    to: 'http://api.example.com/',
    from: 'productpage-v1',
    requests: 20,
    bookinfoApps: false,
    ...o,
  });
const reached = (r: ReturnType<typeof simulate>) => [
  ...new Set(r.summary.destinations.filter((d) => d.reachedPod).map((d) => d.service)),
];

describe('Sidecar egressProxy', () => {
  it('ALLOW_ANY: a host outside the registry goes to the egress proxy, not straight out', () => {
    const r = sim(PROXY + sidecar('ALLOW_ANY'));
    expect(reached(r)).toEqual(['egress-proxy']);
    expect(statusPercent(r.summary, 200)).toBe(100);
    // without the Sidecar: PassthroughCluster to the host itself
    expect(reached(sim(PROXY))).toEqual(['api.example.com']);
  });

  it('the route reason says the egress proxy takes what the proxy does not know', () => {
    const r = routeRequest(snapshotOf(PROXY + sidecar('ALLOW_ANY')), {
      to: 'http://api.example.com/',
      from: 'productpage-v1',
    });
    expect(r.reason).toBe(
      'Sidecar default/default does not import api.example.com; under ALLOW_ANY the egressProxy of Sidecar default/default takes what the proxy does not know: outbound|3128||egress-proxy.default.svc.cluster.local',
    );
  });

  it('a host the registry has is routed as usual; so is TLS to an unknown host, to the proxy', () => {
    expect(reached(sim(PROXY + sidecar('ALLOW_ANY'), { to: 'reviews' }))).toEqual(['reviews']);
    const tls = sim(PROXY + sidecar('ALLOW_ANY'), { to: 'https://api.example.com/' });
    expect(reached(tls)).toEqual(['egress-proxy']);
  });

  it('REGISTRY_ONLY: pilot ignores egressProxy, the unknown host is blocked (502 BlackHoleCluster)', () => {
    const r = sim(PROXY + sidecar('REGISTRY_ONLY'));
    expect(statusPercent(r.summary, 502)).toBe(100);
    expect(reached(r)).toEqual([]);
  });

  it('an egress proxy its egress hosts do not import has no cluster in the proxy: 503 NC', () => {
    const r = sim(PROXY + sidecar('ALLOW_ANY', '["istio-system/*"]'));
    expect(statusPercent(r.summary, 503, 'NC')).toBe(100);
  });

  it('proxy-config: the allow_any route and the 15001 listener lead to the egress proxy cluster', () => {
    const view = envoyView(snapshotOf(PROXY + sidecar('ALLOW_ANY')));
    const proxy = resolveProxy(view.mesh, 'productpage-v1', 'default');
    const cluster = 'outbound|3128||egress-proxy.default.svc.cluster.local';
    const rc = routeConfigs(view, proxy).find((c) => c.name === '9080');
    const allowAny = rc?.virtualHosts.find((v) => v.name === 'allow_any');
    expect(allowAny?.routes[0]?.route?.cluster).toBe(cluster);
    const virtualOutbound = listeners(view, proxy).find((l) => l.name === '0.0.0.0_15001');
    expect(virtualOutbound?.filterChains[0]?.destination).toBe(cluster);
    const blocked = envoyView(snapshotOf(PROXY + sidecar('REGISTRY_ONLY')));
    const p2 = resolveProxy(blocked.mesh, 'productpage-v1', 'default');
    expect(listeners(blocked, p2).find((l) => l.name === '0.0.0.0_15001')?.filterChains[0]?.destination).toBe(
      'BlackHoleCluster',
    );
  });
});

describe('Sidecar egress scope for tls routes', () => {
  const yaml = (hosts: string) => `apiVersion: v1
kind: Namespace
metadata: {name: routing}
---
apiVersion: v1
kind: Service
metadata: {name: secure, namespace: default}
spec: {selector: {app: ratings}, ports: [{name: tls, port: 443, targetPort: 9080}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: api, namespace: egress}
spec:
  hosts: [api.example.com]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: routing}
spec:
  hosts: [api.example.com]
  tls:
  - match: [{port: 443, sniHosts: [api.example.com]}]
    route: [{destination: {host: secure.default.svc.cluster.local, port: {number: 443}}}]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: default}
spec:
  egress: [{hosts: ${hosts}}]
`;
  const to = (hosts: string) =>
    reached(sim(yaml(hosts), { to: 'https://api.example.com/', from: 'productpage-v1' }));

  it('applies a tls route only when the Sidecar imports its VirtualService (namespace and host)', () => {
    expect(to('["./*", "*/api.example.com"]')).toEqual(['secure']);
    // the ServiceEntry is imported (egress/...), the VirtualService in routing is not: no tls route
    expect(to('["./*", "egress/api.example.com"]')).toEqual(['api.example.com']);
  });
});
