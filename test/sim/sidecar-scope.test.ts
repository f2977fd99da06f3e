// The Sidecar resource in the simulator: which one applies to a workload (its
// workloadSelector, else the namespace default, else the root namespace default),
// what its egress hosts import (an unknown host passes through under ALLOW_ANY and
// gets 502 under REGISTRY_ONLY), and its outboundTrafficPolicy over the mesh's.
import { describe, expect, it } from 'vitest';
import { routeRequest } from '../../src/core/sim/route-request.ts';
import { run, snapshotOf, statusPercent, versionPercent } from './helpers.ts';

const sidecar = (name: string, ns: string, spec: string) => `---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: ${name}, namespace: ${ns}}
spec:
${spec}
`;

const httpbin = `---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: httpbin, namespace: default}
spec:
  hosts: [httpbin.org]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: DNS
  location: MESH_EXTERNAL
`;

const reviewsV2 = `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v2}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets:
  - {name: v2, labels: {version: v2}}
`;

describe('Sidecar egress scoping', () => {
  it('REGISTRY_ONLY in the Sidecar: a hidden service gets 502 from the sidecar, an imported one is routed', () => {
    const yaml = sidecar(
      'productpage',
      'default',
      `  workloadSelector:
    labels: {app: productpage}
  egress:
  - hosts: ["./details.default.svc.cluster.local", "istio-system/*"]
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}`,
    );
    const snap = snapshotOf(yaml);
    const hidden = routeRequest(snap, { to: 'reviews:9080', from: 'productpage-v1' });
    expect(hidden.outcome).toBe('local');
    expect(hidden.local?.status).toBe(502);
    expect(hidden.reason).toContain(
      'Sidecar default/productpage does not import reviews.default.svc.cluster.local',
    );
    expect(hidden.reason).toContain('Sidecar default/productpage sets REGISTRY_ONLY');
    expect(routeRequest(snap, { to: 'details:9080', from: 'productpage-v1' }).outcome).toBe('route');
    // the Sidecar selects productpage only: reviews' own proxy still reaches ratings
    expect(routeRequest(snap, { to: 'ratings:9080', from: 'reviews-v2' }).outcome).toBe('route');
    // and the product page shows the reviews as unavailable
    const page = run(yaml, { to: 'productpage:9080', path: '/productpage', requests: 50 });
    expect(statusPercent(page.summary, 200)).toBe(100);
    expect((page.summary.pages ?? []).map((p) => p.view)).toEqual(['reviews unavailable']);
  });

  it('ALLOW_ANY: a hidden service passes through to its pods, without its VirtualService', () => {
    const yaml = `${reviewsV2}${sidecar(
      'productpage',
      'default',
      `  workloadSelector:
    labels: {app: productpage}
  egress:
  - hosts: ["./details.default.svc.cluster.local", "istio-system/*"]`,
    )}`;
    const snap = snapshotOf(yaml);
    const r = routeRequest(snap, { to: 'reviews:9080', from: 'productpage-v1' });
    expect(r.outcome).toBe('route');
    expect(r.destinations[0]?.cluster).toBe('PassthroughCluster');
    expect(r.reason).toContain('PassthroughCluster');
    // the VirtualService's v2-only route is not applied: every version answers
    const sim = run(yaml, { to: 'reviews:9080', from: 'productpage-v1', requests: 600 });
    expect(statusPercent(sim.summary, 200)).toBe(100);
    expect(versionPercent(sim.summary, 'reviews', 'v1')).toBeGreaterThan(20);
    // another workload without that Sidecar still gets v2 only
    const other = run(yaml, { to: 'reviews:9080', from: 'ratings-v1', requests: 200 });
    expect(versionPercent(other.summary, 'reviews', 'v2')).toBe(100);
  });

  it('a VirtualService is imported by its namespace and host: "./*" or "*/host" keep it, a VirtualService elsewhere is not', () => {
    const keep = `${reviewsV2}${sidecar('default', 'default', '  egress:\n  - hosts: ["./*", "istio-system/*"]')}`;
    expect(
      versionPercent(
        run(keep, { to: 'reviews:9080', from: 'productpage-v1', requests: 200 }).summary,
        'reviews',
        'v2',
      ),
    ).toBe(100);
    const elsewhere = `${reviewsV2}${sidecar(
      'default',
      'default',
      '  egress:\n  - hosts: ["*/reviews.default.svc.cluster.local", "other/*", "istio-system/*"]',
    )}`;
    // reviews is imported (any namespace), but the VirtualService lives in default, which only
    // "*/reviews..." names: it is imported too (its host matches)
    expect(
      versionPercent(
        run(elsewhere, { to: 'reviews:9080', from: 'productpage-v1', requests: 200 }).summary,
        'reviews',
        'v2',
      ),
    ).toBe(100);
    // the same VirtualService declared in namespace team (host written in full): "./*" of default does not import it
    const teamVs = `${reviewsV2}`
      .replace(
        'name: reviews, namespace: default}\nspec:\n  hosts: [reviews]',
        'name: reviews, namespace: team}\nspec:\n  hosts: [reviews.default.svc.cluster.local]',
      )
      .replace(
        'destination: {host: reviews, subset: v2}',
        'destination: {host: reviews.default.svc.cluster.local, subset: v2}',
      );
    const inTeam = `${teamVs}${sidecar('default', 'default', '  egress:\n  - hosts: ["./*", "istio-system/*"]')}`;
    expect(inTeam).toContain('namespace: team');
    const shares = run(inTeam, { to: 'reviews:9080', from: 'productpage-v1', requests: 600 }).summary;
    expect(versionPercent(shares, 'reviews', 'v2')).toBeLessThan(60);
    // without the Sidecar the team's VirtualService (exported everywhere) applies
    const open = inTeam.slice(0, inTeam.indexOf('---\napiVersion: networking.istio.io/v1\nkind: Sidecar'));
    expect(
      versionPercent(
        run(open, { to: 'reviews:9080', from: 'productpage-v1', requests: 200 }).summary,
        'reviews',
        'v2',
      ),
    ).toBe(100);
  });

  it('an external host is blocked by the Sidecar, a ServiceEntry it imports is not', () => {
    const yaml = `${httpbin}${sidecar(
      'default',
      'default',
      `  egress:
  - hosts: ["./*", "istio-system/*"]
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}`,
    )}`;
    const snap = snapshotOf(yaml);
    expect(routeRequest(snap, { to: 'http://httpbin.org/', from: 'productpage-v1' }).outcome).toBe('route');
    const blocked = routeRequest(snap, { to: 'http://www.example.org/', from: 'productpage-v1' });
    expect(blocked.local?.status).toBe(502);
    // the mesh is ALLOW_ANY: a namespace without the Sidecar passes through
    expect(routeRequest(snap, { to: 'http://www.example.org/', from: 'legacy/curl' }).outcome).toBe('route');
  });

  it('a ServiceEntry in istio-system is hidden when the Sidecar forgets istio-system/*', () => {
    const se = httpbin.replace('namespace: default', 'namespace: istio-system');
    const without = `${se}${sidecar('default', 'default', '  egress:\n  - hosts: ["./*"]\n  outboundTrafficPolicy: {mode: REGISTRY_ONLY}')}`;
    expect(
      routeRequest(snapshotOf(without), { to: 'http://httpbin.org/', from: 'productpage-v1' }).local?.status,
    ).toBe(502);
    const withIt = without.replace('["./*"]', '["./*", "istio-system/*"]');
    expect(
      routeRequest(snapshotOf(withIt), { to: 'http://httpbin.org/', from: 'productpage-v1' }).outcome,
    ).toBe('route');
  });

  it('which Sidecar applies: the workload selector over the namespace default over the root default', () => {
    const yaml = `${sidecar('root', 'istio-system', '  egress:\n  - hosts: ["istio-system/*"]\n  outboundTrafficPolicy: {mode: REGISTRY_ONLY}')}${sidecar(
      'ns-default',
      'default',
      '  egress:\n  - hosts: ["./*", "istio-system/*"]',
    )}${sidecar(
      'reviews',
      'default',
      `  workloadSelector:
    labels: {app: reviews}
  egress:
  - hosts: ["istio-system/*"]
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}`,
    )}`;
    const snap = snapshotOf(yaml);
    // productpage: the namespace default imports ./* -> routed
    expect(routeRequest(snap, { to: 'reviews:9080', from: 'productpage-v1' }).outcome).toBe('route');
    // reviews: its own Sidecar hides ratings -> 502
    expect(routeRequest(snap, { to: 'ratings:9080', from: 'reviews-v2' }).local?.status).toBe(502);
  });

  it('two selector-less Sidecars in a namespace: the oldest applies, as istiod 1.26 picks it (by creationTimestamp, else input order)', () => {
    const stamped = (name: string, at: string, mode: string) => `---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: ${name}, namespace: default, creationTimestamp: "${at}"}
spec:
  egress:
  - hosts: ["./*", "istio-system/*"]
  outboundTrafficPolicy: {mode: ${mode}}
`;
    const external = { to: 'http://www.example.org/', from: 'productpage-v1' };
    // listed first but created later: the older REGISTRY_ONLY one applies
    const older = snapshotOf(
      stamped('newer', '2026-03-02T00:00:00Z', 'ALLOW_ANY') +
        stamped('older', '2026-03-01T00:00:00Z', 'REGISTRY_ONLY'),
    );
    expect(routeRequest(older, external).local?.status).toBe(502);
    // the same two, ages swapped: the ALLOW_ANY one is older and lets the request out
    const swapped = snapshotOf(
      stamped('newer', '2026-03-01T00:00:00Z', 'ALLOW_ANY') +
        stamped('older', '2026-03-02T00:00:00Z', 'REGISTRY_ONLY'),
    );
    expect(routeRequest(swapped, external).local?.status).not.toBe(502);
  });

  it('the root namespace default applies where a namespace has none', () => {
    const yaml = sidecar(
      'default',
      'istio-system',
      '  egress:\n  - hosts: ["./*", "istio-system/*"]\n  outboundTrafficPolicy: {mode: REGISTRY_ONLY}',
    );
    const snap = snapshotOf(yaml);
    // "./*" is the proxy's own namespace: default's services are imported for productpage
    expect(routeRequest(snap, { to: 'reviews:9080', from: 'productpage-v1' }).outcome).toBe('route');
    // and an external host is blocked by the root Sidecar's REGISTRY_ONLY
    const r = routeRequest(snap, { to: 'http://www.example.org/', from: 'productpage-v1' });
    expect(r.local?.status).toBe(502);
    expect(r.reason).toContain('Sidecar istio-system/default sets REGISTRY_ONLY');
  });

  it('an egress listener for one port imports its hosts on that port only', () => {
    const yaml = sidecar(
      'productpage',
      'default',
      `  workloadSelector:
    labels: {app: productpage}
  egress:
  - port: {number: 9080, protocol: HTTP, name: http}
    hosts: ["./reviews.default.svc.cluster.local"]
  - hosts: ["./*", "istio-system/*"]
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}`,
    );
    const snap = snapshotOf(yaml);
    expect(routeRequest(snap, { to: 'reviews:9080', from: 'productpage-v1' }).outcome).toBe('route');
    // details:9080 goes through the 9080 listener, which imports reviews only
    expect(routeRequest(snap, { to: 'details:9080', from: 'productpage-v1' }).local?.status).toBe(502);
  });

  it('a STRICT server resets the plaintext a passthrough sends', () => {
    const yaml = `${sidecar(
      'productpage',
      'default',
      `  workloadSelector:
    labels: {app: productpage}
  egress:
  - hosts: ["./details.default.svc.cluster.local", "istio-system/*"]`,
    )}---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: default}
spec:
  mtls: {mode: STRICT}
`;
    const sim = run(yaml, { to: 'reviews:9080', from: 'productpage-v1', requests: 50 });
    expect(statusPercent(sim.summary, 200)).toBe(0);
    expect(
      statusPercent(run(yaml, { to: 'details:9080', from: 'productpage-v1', requests: 50 }).summary, 200),
    ).toBe(100);
  });
});
