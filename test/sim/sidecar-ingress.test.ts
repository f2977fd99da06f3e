// A Sidecar's ingress listeners: a request arriving on a listed port is forwarded to
// defaultEndpoint (127.0.0.1:PORT the loopback, 0.0.0.0:PORT the pod's IP); when the
// application does not listen there, the pod's sidecar answers 503. A port no
// listener lists reaches the application through the passthrough chain. proxy-config
// shows the inbound chains of the listed ports and the endpoint each forwards to.
import { describe, expect, it } from 'vitest';
import {
  endpointAssignments,
  envoyView,
  listeners,
  resolveProxy,
  routeConfigs,
} from '../../src/core/envoy/index.ts';
import { type SimulateOptions, simulate } from '../../src/core/sim/index.ts';
import { snapshotOf, statusPercent } from './helpers.ts';

const sidecar = (ingress: string) => `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: ratings, namespace: default}
spec:
  workloadSelector: {labels: {app: ratings}}
  ingress:
${ingress}`;

const sim = (yaml: string, o: Partial<SimulateOptions> = {}) =>
  simulate(snapshotOf(yaml), { to: 'ratings', from: 'reviews-v2', requests: 20, bookinfoApps: false, ...o });
const notes = (r: ReturnType<typeof simulate>) =>
  (r.summary.security ?? []).map((d) => d.decision).join('\n');

describe('Sidecar ingress listeners', () => {
  it('defaultEndpoint 127.0.0.1 on the port the application listens on: answered, and the run says where it went', () => {
    const r = sim(
      sidecar('  - {port: {number: 9080, protocol: HTTP, name: http}, defaultEndpoint: 127.0.0.1:9080}\n'),
    );
    expect(statusPercent(r.summary, 200)).toBe(100);
    expect(notes(r)).toMatch(
      /Sidecar default\/ratings ingress 9080 forwards to 127\.0\.0\.1:9080 at ratings-v1/,
    );
  });

  it('defaultEndpoint on a port the application does not listen on: the pod sidecar answers 503', () => {
    const r = sim(
      sidecar('  - {port: {number: 9080, protocol: HTTP, name: http}, defaultEndpoint: 127.0.0.1:8080}\n'),
    );
    expect(statusPercent(r.summary, 503)).toBe(100);
    expect(notes(r)).toMatch(
      /forwards to 127\.0\.0\.1:8080, but ratings-v1-\S+ listens on 9080(, \d+)*: the connection is refused/,
    );
    // the application declaring that port makes it work (a port remapped by the Sidecar)
    const remapped = `${sidecar('  - {port: {number: 9080, protocol: HTTP, name: http}, defaultEndpoint: 0.0.0.0:8080}\n')}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ratings-v1, namespace: default}
spec:
  selector: {matchLabels: {app: ratings, version: v1}}
  template:
    metadata: {labels: {app: ratings, version: v1}}
    spec: {containers: [{name: ratings, image: ratings, ports: [{containerPort: 8080}]}]}
`;
    const ok = sim(remapped);
    expect(statusPercent(ok.summary, 200)).toBe(100);
    expect(notes(ok)).toMatch(/forwards to 0\.0\.0\.0:8080 \(the pod IP\)/);
  });

  it('a port no ingress listener lists still reaches the application (inbound passthrough)', () => {
    const r = sim(
      sidecar('  - {port: {number: 9443, protocol: TCP, name: tcp}, defaultEndpoint: 127.0.0.1:7000}\n'),
    );
    expect(statusPercent(r.summary, 200)).toBe(100);
    expect(notes(r)).toMatch(/lists no ingress port 9080 \(9443\).*passthrough/);
  });

  it('bind and captureMode are named as not simulated', () => {
    const r = sim(
      sidecar(
        '  - {port: {number: 9080, protocol: HTTP, name: http}, defaultEndpoint: 127.0.0.1:9080, captureMode: NONE, bind: 0.0.0.0}\n',
      ),
    );
    expect(notes(r)).toMatch(/sets bind 0\.0\.0\.0 and captureMode NONE: not simulated/);
  });

  it('proxy-config: inbound chains for the listed ports only, each cluster ending at its defaultEndpoint', () => {
    const view = envoyView(
      snapshotOf(
        sidecar(`  - {port: {number: 9080, protocol: HTTP, name: http}, defaultEndpoint: 127.0.0.1:8080}
  - {port: {number: 9443, protocol: TCP, name: tcp}, defaultEndpoint: 0.0.0.0:7000}
`),
      ),
    );
    const proxy = resolveProxy(view.mesh, 'ratings-v1', 'default');
    const inbound = listeners(view, proxy).find((l) => l.name === '0.0.0.0_15006');
    const ports = new Set(
      inbound?.filterChains.map((c) => c.filterChainMatch?.destinationPort).filter(Boolean),
    );
    expect([...ports]).toEqual([15006, 9080, 9443]);
    expect(inbound?.filterChains.find((c) => c.filterChainMatch?.destinationPort === 9443)?.destination).toBe(
      'Cluster: inbound|9443||',
    );
    // an inbound route configuration for the HTTP port only (9443 is a tcp proxy)
    expect(
      routeConfigs(view, proxy)
        .filter((c) => c.name.startsWith('inbound|'))
        .map((c) => c.name),
    ).toEqual(['inbound|9080||']);
    const eds = endpointAssignments(view, proxy);
    const at = (name: string) =>
      eds.find((e) => e.clusterName === name)?.endpoints[0]?.lbEndpoints[0]?.endpoint.address.socketAddress;
    expect(at('inbound|9080||')).toEqual({ address: '127.0.0.1', portValue: 8080 });
    expect(at('inbound|9443||')?.portValue).toBe(7000);
    expect(at('inbound|9443||')?.address).toMatch(/^10\./);
  });
});
