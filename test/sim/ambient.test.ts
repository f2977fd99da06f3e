// Ambient in the simulator: ztunnel (L4) and waypoints (L7). A VirtualService or an
// L7 policy applies only where a waypoint serves the Service; ztunnel drops ALLOW
// rules with HTTP attributes; behind a waypoint the destination ztunnel sees the
// waypoint's identity.
import { describe, expect, it } from 'vitest';
import { type LoadResult, loadText } from '../../src/core/config/load.ts';
import { Snapshot } from '../../src/core/config/snapshot.ts';
import { type SimulateOptions, simulate } from '../../src/core/sim/index.ts';
import { SAMPLE_TOKENS } from '../../src/core/sim/security/samples.ts';
import { statusPercent, versionPercent } from './helpers.ts';
import { bookinfoGateway } from './yaml.ts';

function snap(yaml: string): Snapshot {
  const load: LoadResult = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
  loadText(yaml, 'input.yaml', load, {});
  const real = load.problems.filter((p) => p.code !== 'ICA0003');
  if (real.length) throw new Error(`fixture does not load: ${JSON.stringify(real)}`);
  return new Snapshot({
    resources: load.resources,
    meshConfigs: load.meshConfigs,
    bookinfo: true,
    ...(load.kubernetesGateways ? { kubernetesGateways: load.kubernetesGateways } : {}),
    ...(load.httpRoutes ? { httpRoutes: load.httpRoutes } : {}),
  });
}

const sim = (yaml: string, o: SimulateOptions) =>
  simulate(snap(yaml), { requests: 200, bookinfoApps: false, ...o });
const security = (r: ReturnType<typeof simulate>) =>
  (r.summary.security ?? []).map((d) => d.decision).join('\n');

const AMBIENT_NS = `apiVersion: v1
kind: Namespace
metadata: {name: default, labels: {istio.io/dataplane-mode: ambient}}
`;
const ENROLLED_NS = `apiVersion: v1
kind: Namespace
metadata: {name: default, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}}
`;
const WAYPOINT = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: waypoint, namespace: default}
spec:
  gatewayClassName: istio-waypoint
  listeners: [{name: mesh, port: 15008, protocol: HBONE}]
`;
const V2 = `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews, subset: v2}}]}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v3, labels: {version: v3}}
`;

describe('ambient routing', () => {
  it('without a waypoint a VirtualService does not apply, and the run says so', () => {
    const r = sim(AMBIENT_NS + V2, { from: 'productpage-v1', to: 'reviews', path: '/reviews/0' });
    expect(versionPercent(r.summary, 'reviews', 'v2')).toBeLessThan(50);
    expect(versionPercent(r.summary, 'reviews', 'v1')).toBeGreaterThan(20);
    expect(security(r)).toMatch(/VirtualService default\/reviews does not apply: no waypoint serves reviews/);
  });

  it('with a waypoint the namespace uses, the VirtualService routes at the waypoint', () => {
    const r = sim(ENROLLED_NS + WAYPOINT + V2, { from: 'productpage-v1', to: 'reviews', path: '/reviews/0' });
    expect(versionPercent(r.summary, 'reviews', 'v2')).toBe(100);
    expect(security(r)).toMatch(
      /productpage-v1 → ztunnel → waypoint default\/waypoint → ztunnel → reviews-v2/,
    );
  });

  it('the default client of an ambient namespace is in ambient too', () => {
    const r = sim(ENROLLED_NS + WAYPOINT + V2, { to: 'reviews', path: '/reviews/0' });
    expect(versionPercent(r.summary, 'reviews', 'v2')).toBe(100);
  });

  it('a Service labelled use-waypoint=none opts out of the namespace waypoint', () => {
    const svc = `---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: default, labels: {app: reviews, istio.io/use-waypoint: none}}
spec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}
`;
    const r = sim(ENROLLED_NS + WAYPOINT + V2 + svc, { from: 'productpage-v1', to: 'reviews', path: '/' });
    expect(versionPercent(r.summary, 'reviews', 'v2')).toBeLessThan(50);
  });

  it('a waypoint for workload traffic only does not serve Services', () => {
    const wp = WAYPOINT.replace(
      'metadata: {name: waypoint, namespace: default}',
      'metadata: {name: waypoint, namespace: default, labels: {istio.io/waypoint-for: workload}}',
    );
    const r = sim(ENROLLED_NS + wp + V2, { from: 'productpage-v1', to: 'reviews', path: '/' });
    expect(versionPercent(r.summary, 'reviews', 'v2')).toBeLessThan(50);
    expect(security(r)).toMatch(/does not apply/);
  });

  it('a sidecar client keeps applying the VirtualService itself', () => {
    const r = sim(V2, { from: 'productpage-v1', to: 'reviews', path: '/' });
    expect(versionPercent(r.summary, 'reviews', 'v2')).toBe(100);
  });
});

const L7_SELECTOR = `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: reviews-get, namespace: default}
spec:
  selector: {matchLabels: {app: reviews}}
  action: ALLOW
  rules:
  - from: [{source: {principals: [cluster.local/ns/default/sa/bookinfo-productpage]}}]
    to: [{operation: {methods: [GET]}}]
`;
const L7_TARGET = `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: reviews-get, namespace: default}
spec:
  targetRefs: [{kind: Service, group: "", name: reviews}]
  action: ALLOW
  rules:
  - from: [{source: {principals: [cluster.local/ns/default/sa/bookinfo-productpage]}}]
    to: [{operation: {methods: [GET]}}]
`;

describe('ambient authorization', () => {
  it('an ALLOW rule with HTTP fields enforced by ztunnel is dropped: every connection is reset', () => {
    const r = sim(AMBIENT_NS + L7_SELECTOR, { from: 'productpage-v1', to: 'reviews', path: '/' });
    expect(statusPercent(r.summary, 0)).toBe(100);
    // no Envoy on the client's side (ztunnel is not Envoy): no response flag, the app sees a reset
    expect(r.summary.statuses.map((s) => s.flags)).toEqual(['-']);
    expect(security(r)).toMatch(
      /ztunnel at reviews-v\d.* denies the connection.*drops the ALLOW rules.*methods/,
    );
  });

  it('a DENY rule with HTTP fields is widened by ztunnel to the whole connection', () => {
    const deny = `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: no-post, namespace: default}
spec:
  selector: {matchLabels: {app: reviews}}
  action: DENY
  rules: [{to: [{operation: {methods: [POST]}}]}]
`;
    const r = sim(AMBIENT_NS + deny, { from: 'productpage-v1', to: 'reviews', path: '/', method: 'GET' });
    expect(statusPercent(r.summary, 0)).toBe(100);
    expect(security(r)).toMatch(/ignored by ztunnel, so it denies more than written/);
  });

  it('an L4 ALLOW on principals works in ztunnel without a waypoint', () => {
    const l4 = L7_SELECTOR.replace('    to: [{operation: {methods: [GET]}}]\n', '');
    expect(
      statusPercent(sim(AMBIENT_NS + l4, { from: 'productpage-v1', to: 'reviews', path: '/' }).summary, 200),
    ).toBe(100);
    expect(
      statusPercent(sim(AMBIENT_NS + l4, { from: 'details-v1', to: 'reviews', path: '/' }).summary, 0),
    ).toBe(100);
  });

  it('attached to the Service with targetRefs, the waypoint enforces the L7 rule (GET 200, POST 403)', () => {
    const y = ENROLLED_NS + WAYPOINT + L7_TARGET;
    expect(statusPercent(sim(y, { from: 'productpage-v1', to: 'reviews', path: '/' }).summary, 200)).toBe(
      100,
    );
    expect(
      statusPercent(
        sim(y, { from: 'productpage-v1', to: 'reviews', path: '/', method: 'POST' }).summary,
        403,
      ),
    ).toBe(100);
    expect(statusPercent(sim(y, { from: 'details-v1', to: 'reviews', path: '/' }).summary, 403)).toBe(100);
  });

  it('in dry-run (istio.io/dry-run: "true") the waypoint records the ALLOW policy and enforces nothing; ztunnel gets none', () => {
    const dry = L7_TARGET.replace(
      'metadata: {name: reviews-get, namespace: default}',
      'metadata: {name: reviews-get, namespace: default, annotations: {istio.io/dry-run: "true"}}',
    );
    expect(dry).not.toBe(L7_TARGET);
    const post = sim(ENROLLED_NS + WAYPOINT + dry, {
      from: 'details-v1',
      to: 'reviews',
      path: '/',
      method: 'POST',
    });
    expect(statusPercent(post.summary, 200)).toBe(100);
    expect(security(post)).toMatch(
      /dry-run at waypoint default\/waypoint: no rule of dry-run ALLOW default\/reviews-get matches: it would have been DENIED, not enforced/,
    );
    // selected by labels instead, the policy is ztunnel's: istiod sends it no dry-run policy
    const l4 = L7_SELECTOR.replace('    to: [{operation: {methods: [GET]}}]\n', '').replace(
      'namespace: default}',
      'namespace: default, annotations: {istio.io/dry-run: "true"}}',
    );
    const z = sim(AMBIENT_NS + l4, { from: 'details-v1', to: 'reviews', path: '/' });
    expect(statusPercent(z.summary, 200)).toBe(100);
    expect(security(z)).toMatch(/dry-run default\/reviews-get is not sent to ztunnel at reviews-v\d-0/);
  });

  it('a request the waypoint denies reaches no reviews pod (none counted, no version shown)', () => {
    const y = ENROLLED_NS + WAYPOINT + L7_TARGET;
    const denied = sim(y, {
      from: 'productpage-v1',
      to: 'reviews',
      path: '/',
      method: 'POST',
      requests: 10,
    }).summary;
    expect(statusPercent(denied, 403)).toBe(100);
    expect(denied.destinations.every((d) => !d.reachedPod)).toBe(true);
    expect(denied.upstream.filter((u) => u.pod.startsWith('reviews-'))).toEqual([]);
    const allowed = sim(y, { from: 'productpage-v1', to: 'reviews', path: '/', requests: 10 }).summary;
    expect(allowed.destinations.every((d) => d.reachedPod)).toBe(true);
  });

  it('a CUSTOM policy attached to the Service runs at the waypoint: the sample ext-authz decides', () => {
    const mesh = `meshConfig:
  extensionProviders:
  - name: sample-ext-authz-grpc
    envoyExtAuthzGrpc: {service: ext-authz.foo.svc.cluster.local, port: 9000}
---
apiVersion: v1
kind: Service
metadata: {name: ext-authz, namespace: foo}
spec:
  selector: {app: ext-authz}
  ports: [{name: grpc, port: 9000}]
`;
    const custom = `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext-authz, namespace: default}
spec:
  targetRefs: [{kind: Service, group: "", name: reviews}]
  action: CUSTOM
  provider: {name: sample-ext-authz-grpc}
  rules: [{to: [{operation: {paths: ["/reviews/*"]}}]}]
`;
    const y = `${mesh}---\n${ENROLLED_NS}${WAYPOINT}${custom}`;
    const denied = sim(y, { from: 'productpage-v1', to: 'reviews', path: '/reviews/0', requests: 20 });
    expect(statusPercent(denied.summary, 403)).toBe(100);
    expect(security(denied)).toMatch(
      /"denied by ext_authz for not found header `x-ext-authz: allow` in the request": CUSTOM default\/ext-authz rules\[0\] matches at waypoint default\/waypoint/,
    );
    const allowed = sim(y, {
      from: 'productpage-v1',
      to: 'reviews',
      path: '/reviews/0',
      headers: { 'x-ext-authz': 'allow' },
      requests: 20,
    });
    expect(statusPercent(allowed.summary, 200)).toBe(100);
    // a path no CUSTOM rule matches never reaches the authorizer
    expect(
      statusPercent(sim(y, { from: 'productpage-v1', to: 'reviews', path: '/', requests: 20 }).summary, 200),
    ).toBe(100);
  });

  it('targetRefs without a waypoint: the policy is not enforced and the run says so', () => {
    const r = sim(AMBIENT_NS + L7_TARGET, { from: 'details-v1', to: 'reviews', path: '/' });
    expect(statusPercent(r.summary, 200)).toBe(100);
    expect(security(r)).toMatch(/AuthorizationPolicy default\/reviews-get is not enforced: no waypoint/);
  });

  it('behind a waypoint the destination ztunnel sees the waypoint identity', () => {
    const l4 = L7_SELECTOR.replace('    to: [{operation: {methods: [GET]}}]\n', '');
    const r = sim(ENROLLED_NS + WAYPOINT + l4, { from: 'productpage-v1', to: 'reviews', path: '/' });
    expect(statusPercent(r.summary, 503)).toBe(100);
    expect(security(r)).toMatch(/peer cluster.local\/ns\/default\/sa\/waypoint, the waypoint/);
  });

  it('STRICT holds in ambient: a plaintext client outside the mesh is reset, PERMISSIVE lets it in', () => {
    const strict = `---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: default}
spec: {mtls: {mode: STRICT}}
`;
    const o = { from: 'legacy/curl', to: 'reviews.default', path: '/' };
    expect(statusPercent(sim(AMBIENT_NS + strict, o).summary, 0)).toBe(100);
    expect(statusPercent(sim(AMBIENT_NS, o).summary, 200)).toBe(100);
    expect(
      statusPercent(
        sim(AMBIENT_NS + strict, { from: 'productpage-v1', to: 'reviews', path: '/' }).summary,
        200,
      ),
    ).toBe(100);
  });

  it('the ingress gateway reaches an ambient pod with its own identity, bypassing the waypoint', () => {
    const gw = `---\n${bookinfoGateway('"*"', ['{exact: /productpage}'])}`;
    const onlyIngress = `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: productpage-from-ingress, namespace: default}
spec:
  selector: {matchLabels: {app: productpage}}
  rules: [{from: [{source: {principals: [cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account]}}]}]
`;
    const ns = ENROLLED_NS.replace(
      'istio.io/use-waypoint: waypoint',
      'istio.io/use-waypoint: waypoint, istio.io/ingress-use-waypoint: "true"',
    );
    const r = sim(ns + WAYPOINT + gw + onlyIngress, {
      from: 'ingress',
      to: 'http://bookinfo.example/productpage',
      path: '/productpage',
    });
    expect(statusPercent(r.summary, 200)).toBe(100);
    expect(security(r)).toMatch(/ingress-use-waypoint .* not simulated/);
    expect(security(r)).toMatch(
      /allowed at ztunnel at productpage-v1-0 by ALLOW default\/productpage-from-ingress/,
    );
  });
});

const HTTPROUTE = `---
apiVersion: v1
kind: Service
metadata: {name: reviews-v1, namespace: default}
spec: {selector: {app: reviews, version: v1}, ports: [{name: http, port: 9080}]}
---
apiVersion: v1
kind: Service
metadata: {name: reviews-v2, namespace: default}
spec: {selector: {app: reviews, version: v2}, ports: [{name: http, port: 9080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reviews, namespace: default}
spec:
  parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]
  rules:
  - matches: [{headers: [{name: end-user, value: jason}]}]
    backendRefs: [{name: reviews-v2, port: 9080}]
  - backendRefs: [{name: reviews-v1, port: 9080, weight: 90}, {name: reviews-v2, port: 9080, weight: 10}]
`;
const shareOf = (r: ReturnType<typeof simulate>, version: string) =>
  r.summary.destinations
    .filter((d) => d.version === version && d.reachedPod)
    .reduce((a, d) => a + d.percent, 0);

describe('HTTPRoute for a Service (Gateway API in the mesh)', () => {
  it('routes at the waypoint: a header match, then a 90/10 weighted split', () => {
    const jason = sim(ENROLLED_NS + WAYPOINT + HTTPROUTE, {
      from: 'productpage-v1',
      to: 'reviews',
      headers: { 'end-user': 'jason' },
      requests: 1000,
    });
    expect(shareOf(jason, 'v2')).toBe(100);
    const split = sim(ENROLLED_NS + WAYPOINT + HTTPROUTE, {
      from: 'productpage-v1',
      to: 'reviews',
      requests: 2000,
    });
    expect(shareOf(split, 'v1')).toBeGreaterThan(86);
    expect(shareOf(split, 'v1')).toBeLessThan(94);
    expect(shareOf(split, 'v3')).toBe(0);
  });

  it('without a waypoint it does not apply to ambient clients, and the run names it', () => {
    const r = sim(AMBIENT_NS + HTTPROUTE, { from: 'productpage-v1', to: 'reviews', requests: 300 });
    expect(shareOf(r, 'v3')).toBeGreaterThan(20);
    expect(security(r)).toMatch(/HTTPRoute default\/reviews does not apply: no waypoint serves/);
  });

  it('PathPrefix matches whole path segments at the waypoint and at a sidecar client, unlike a VirtualService prefix', () => {
    const prefixRoute = (value: string) => `---
apiVersion: v1
kind: Service
metadata: {name: reviews-v2, namespace: default}
spec: {selector: {app: reviews, version: v2}, ports: [{name: http, port: 9080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reviews, namespace: default}
spec:
  parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]
  rules:
  - matches: [{path: {type: PathPrefix, value: ${value}}}]
    backendRefs: [{name: reviews-v2, port: 9080}]
  - backendRefs: [{name: reviews-v1, port: 9080}]
`;
    const v2Share = (yaml: string, path: string) =>
      shareOf(sim(yaml, { from: 'productpage-v1', to: 'reviews', path, requests: 50 }), 'v2');
    for (const setup of [ENROLLED_NS + WAYPOINT, '']) {
      for (const value of ['/reviews', '/reviews/']) {
        const y = setup + prefixRoute(value);
        expect(v2Share(y, '/reviews')).toBe(100);
        expect(v2Share(y, '/reviews/0')).toBe(100);
        expect(v2Share(y, '/reviews/0?x=1')).toBe(100);
        expect(v2Share(y, '/reviewsx')).toBe(0);
        expect(v2Share(y, '/')).toBe(0);
      }
      expect(v2Share(setup + prefixRoute('/'), '/anything')).toBe(100);
    }
    // the same prefix in a VirtualService is a plain string prefix
    const vs = `---
apiVersion: v1
kind: Service
metadata: {name: reviews-v2, namespace: default}
spec: {selector: {app: reviews, version: v2}, ports: [{name: http, port: 9080}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - match: [{uri: {prefix: /reviews}}]
    route: [{destination: {host: reviews-v2}}]
  - route: [{destination: {host: reviews, subset: v1}}]
`;
    expect(v2Share(vs, '/reviewsx')).toBe(100);
  });

  it('a sidecar client applies it itself, as a VirtualService', () => {
    const r = sim(HTTPROUTE, { from: 'productpage-v1', to: 'reviews', headers: { 'end-user': 'jason' } });
    expect(shareOf(r, 'v2')).toBe(100);
    expect(r.summary.security ?? []).toEqual([]);
  });
});

describe('JWT at the waypoint', () => {
  const JWT = `---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: reviews-jwt, namespace: default}
spec:
  targetRefs: [{kind: Service, group: "", name: reviews}]
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://raw.githubusercontent.com/istio/istio/release-1.26/security/tools/jwt/samples/jwks.json
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: reviews-need-token, namespace: default}
spec:
  targetRefs: [{kind: Service, group: "", name: reviews}]
  rules: [{from: [{source: {requestPrincipals: ["*"]}}]}]
`;
  const o = { from: 'productpage-v1', to: 'reviews', requests: 20 };
  const bearer = (name: keyof typeof SAMPLE_TOKENS) => ({
    authorization: `Bearer ${SAMPLE_TOKENS[name]?.token ?? ''}`,
  });

  it('a valid token passes, a forged one is 401 at the waypoint, none is 403', () => {
    const y = ENROLLED_NS + WAYPOINT + JWT;
    expect(statusPercent(sim(y, { ...o, headers: bearer('demo') }).summary, 200)).toBe(100);
    const forged = sim(y, { ...o, headers: bearer('forged') });
    expect(statusPercent(forged.summary, 401)).toBe(100);
    expect(security(forged)).toMatch(
      /at waypoint default\/waypoint \(RequestAuthentication default\/reviews-jwt\)/,
    );
    expect(statusPercent(sim(y, o).summary, 403)).toBe(100);
  });
});
