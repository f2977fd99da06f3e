// The ambient model: which waypoint serves a Service or a workload (use-waypoint
// precedence, waypoint-for), and how ztunnel reads an AuthorizationPolicy.
import { describe, expect, it } from 'vitest';
import { ambientOf } from '../../src/core/config/ambient.ts';
import { type LoadResult, loadText } from '../../src/core/config/load.ts';
import { Snapshot } from '../../src/core/config/snapshot.ts';
import { httpAttributes, ztunnelRules } from '../../src/core/config/ztunnel-authz.ts';

function snap(yaml: string): Snapshot {
  const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
  loadText(yaml, 'input.yaml', load, {});
  return new Snapshot({
    resources: load.resources,
    meshConfigs: load.meshConfigs,
    bookinfo: true,
    ...(load.kubernetesGateways ? { kubernetesGateways: load.kubernetesGateways } : {}),
  });
}

const waypoint = (name: string, ns = 'default', forLabel?: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${ns}${forLabel ? `, labels: {istio.io/waypoint-for: ${forLabel}}` : ''}}
spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
`;
const ns = (labels: string) => `---
apiVersion: v1
kind: Namespace
metadata: {name: default, labels: {istio.io/dataplane-mode: ambient${labels ? `, ${labels}` : ''}}}
`;
const service = (name: string, labels: string) => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: default, labels: {app: ${name}, ${labels}}}
spec: {selector: {app: ${name}}, ports: [{name: http, port: 9080}]}
`;
const REVIEWS = 'reviews.default.svc.cluster.local';

describe('waypoints', () => {
  it('only Gateways of class istio-waypoint are waypoints; waypoint-for defaults to service', () => {
    const other = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ingress, namespace: default}
spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP}]}
`;
    const m = ambientOf(snap(waypoint('waypoint') + waypoint('pods', 'default', 'workload') + other));
    expect(m.waypoints().map((w) => `${w.name}:${w.for}`)).toEqual(['waypoint:service', 'pods:workload']);
    expect(m.principal(m.waypoint('default/waypoint')!)).toBe('cluster.local/ns/default/sa/waypoint');
  });

  it('a Service label beats the namespace label, and none opts out', () => {
    const base = ns('istio.io/use-waypoint: waypoint') + waypoint('waypoint') + waypoint('special');
    expect(ambientOf(snap(base)).serviceWaypoint(REVIEWS)?.name).toBe('waypoint');
    const own = snap(base + service('reviews', 'istio.io/use-waypoint: special'));
    expect(ambientOf(own).serviceWaypoint(REVIEWS)?.name).toBe('special');
    expect(ambientOf(own).serviceUse(own.service(REVIEWS)!)?.level).toBe('service');
    const out = snap(base + service('reviews', 'istio.io/use-waypoint: none'));
    expect(ambientOf(out).serviceWaypoint(REVIEWS)).toBeUndefined();
  });

  it('use-waypoint-namespace points at a waypoint in another namespace', () => {
    const s = snap(
      ns('istio.io/use-waypoint: shared, istio.io/use-waypoint-namespace: mesh-waypoints') +
        waypoint('shared', 'mesh-waypoints'),
    );
    expect(ambientOf(s).serviceWaypoint(REVIEWS)?.namespace).toBe('mesh-waypoints');
  });

  it('a waypoint for workload traffic is used by pods, not by Services', () => {
    const s = snap(ns('istio.io/use-waypoint: pods') + waypoint('pods', 'default', 'workload'));
    const m = ambientOf(s);
    expect(m.serviceWaypoint(REVIEWS)).toBeUndefined();
    expect(m.serviceUse(s.service(REVIEWS)!)).toMatchObject({ ref: 'default/pods', serves: false });
    const pod = s.workloads('default').find((w) => w.name === 'reviews-v2')!;
    expect(m.workloadUse(pod)).toMatchObject({ level: 'namespace', serves: true });
  });

  it('a label naming no waypoint is kept with no waypoint (what ICA1303 reports)', () => {
    const s = snap(ns('istio.io/use-waypoint: waypiont') + waypoint('waypoint'));
    expect(ambientOf(s).serviceUse(s.service(REVIEWS)!)).toMatchObject({
      ref: 'default/waypiont',
      serves: false,
    });
    expect(ambientOf(s).serviceUse(s.service(REVIEWS)!)?.waypoint).toBeUndefined();
  });
});

describe('what ztunnel makes of an AuthorizationPolicy', () => {
  it('names the HTTP attributes as istiod does; source.namespace and destination.port are L4', () => {
    expect(
      httpAttributes({
        from: [{ source: { principals: ['a'], requestPrincipals: ['*'] } }],
        to: [{ operation: { ports: ['9080'], methods: ['GET'], paths: ['/x'] } }],
        when: [
          { key: 'request.headers[x-user]', values: ['a'] },
          { key: 'source.namespace', values: ['b'] },
          { key: 'destination.port', values: ['9080'] },
        ],
      }),
    ).toEqual(['methods', 'paths', 'request.headers[x-user]', 'requestPrincipals']);
  });

  it('ALLOW: a rule with HTTP attributes is dropped, L4 rules are kept', () => {
    const z = ztunnelRules({
      action: 'ALLOW',
      rules: [{ to: [{ operation: { methods: ['GET'] } }] }, { from: [{ source: { namespaces: ['web'] } }] }],
    });
    expect(z.rules.map((r) => r.index)).toEqual([1]);
    expect(z.changed).toEqual([{ index: 0, attributes: ['methods'] }]);
  });

  it('DENY: the HTTP attributes are removed and the rest of the rule kept (it widens)', () => {
    const z = ztunnelRules({
      action: 'DENY',
      rules: [{ to: [{ operation: { paths: ['/admin*'], ports: ['9080'] } }] }],
    });
    expect(z.rules).toEqual([{ index: 0, rule: { to: [{ operation: { ports: ['9080'] } }] } }]);
  });
});
