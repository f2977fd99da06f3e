// proxy-config clusters and routes under a Sidecar resource: the same scoping the
// simulator routes with (one compiled form). A hidden service has no cluster and no
// virtual host; the catch-all follows the Sidecar's outbound mode.
import { describe, expect, it } from 'vitest';
import {
  clusterEntries,
  envoyView,
  listeners,
  resolveProxy,
  routeConfigs,
} from '../../src/core/envoy/index.ts';
import { snapshotOf } from '../sim/helpers.ts';

const yaml = `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: productpage, namespace: default}
spec:
  workloadSelector:
    labels: {app: productpage}
  egress:
  - hosts: ["./details.default.svc.cluster.local", "istio-system/*"]
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
`;

function proxyOf(text: string, name: string) {
  const view = envoyView(snapshotOf(text));
  return { view, proxy: resolveProxy(view.mesh, name, 'default') };
}

const clusterNames = (text: string, name: string) => {
  const { view, proxy } = proxyOf(text, name);
  return clusterEntries(view, proxy).map((e) => e.cluster.name);
};

const vhosts = (text: string, name: string) => {
  const { view, proxy } = proxyOf(text, name);
  const rc = routeConfigs(view, proxy).find((c) => c.name === '9080');
  return (rc?.virtualHosts ?? []).map((v) => v.name);
};

describe('proxy-config under a Sidecar', () => {
  it('clusters: only what the Sidecar imports', () => {
    const scoped = clusterNames(yaml, 'productpage-v1');
    expect(scoped).toContain('outbound|9080||details.default.svc.cluster.local');
    expect(scoped).not.toContain('outbound|9080||reviews.default.svc.cluster.local');
    expect(scoped).not.toContain('outbound|9080||ratings.default.svc.cluster.local');
    // reviews' proxy has no Sidecar: it knows every service
    expect(clusterNames(yaml, 'reviews-v1')).toContain('outbound|9080||ratings.default.svc.cluster.local');
  });

  it('routes: no virtual host for a hidden service; block_all from the Sidecar, not the mesh', () => {
    const names = vhosts(yaml, 'productpage-v1');
    expect(names).toContain('details.default.svc.cluster.local:9080');
    expect(names).not.toContain('reviews.default.svc.cluster.local:9080');
    expect(names.at(-1)).toBe('block_all');
    // the mesh is ALLOW_ANY: reviews' proxy keeps allow_any
    expect(vhosts(yaml, 'reviews-v1').at(-1)).toBe('allow_any');
  });

  it('a VirtualService the Sidecar imports brings its destinations as clusters', () => {
    const vs = `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: details, namespace: default}
spec:
  hosts: [details]
  http:
  - route:
    - destination: {host: ratings}
`;
    expect(clusterNames(`${yaml}${vs}`, 'productpage-v1')).toContain(
      'outbound|9080||ratings.default.svc.cluster.local',
    );
  });

  it('listeners: an outbound port only when the Sidecar imports a service on it', () => {
    const names = (text: string, name: string) => {
      const { view, proxy } = proxyOf(text, name);
      return listeners(view, proxy).map((l) => l.name);
    };
    expect(names(yaml, 'productpage-v1')).toContain('0.0.0.0_9080');
    const nothing = yaml.replace('["./details.default.svc.cluster.local", "istio-system/*"]', '["~/*"]');
    expect(nothing).toContain('~/*');
    expect(names(nothing, 'productpage-v1')).not.toContain('0.0.0.0_9080');
    expect(names(nothing, 'reviews-v1')).toContain('0.0.0.0_9080');
  });
});
