// The simulator's security layer: mTLS per hop (PeerAuthentication, auto mTLS,
// DestinationRule tls), authorization (CUSTOM, DENY, ALLOW) and JWT
// (RequestAuthentication, verified against Istio's sample key set).
import { describe, expect, it } from 'vitest';
import { SAMPLE_TOKENS } from '../../src/core/sim/security/samples.ts';
import { run, statusPercent } from './helpers.ts';
import { documents } from './yaml.ts';

const SEC = 'apiVersion: security.istio.io/v1';
const pa = (ns: string, name: string, body: string) =>
  `${SEC}\nkind: PeerAuthentication\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${body}`;
const ap = (ns: string, name: string, body: string) =>
  `${SEC}\nkind: AuthorizationPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${body}`;
const MESH_STRICT = pa('istio-system', 'default', '  mtls: {mode: STRICT}');
const PRODUCTPAGE = 'productpage.default.svc.cluster.local';
const RA = `${SEC}
kind: RequestAuthentication
metadata: {name: jwt, namespace: default}
spec:
  selector: {matchLabels: {app: productpage}}
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://raw.githubusercontent.com/istio/istio/release-1.26/security/tools/jwt/samples/jwks.json
`;
const bearer = (name: string) => ({ authorization: `Bearer ${SAMPLE_TOKENS[name]!.token}` });
const decisions = (r: ReturnType<typeof run>) => (r.summary.security ?? []).map((d) => d.decision).join('\n');

describe('mTLS', () => {
  it('mesh-wide STRICT resets the plaintext client (no response) and lets sidecars through', () => {
    const legacy = run(MESH_STRICT, { from: 'legacy/curl', to: PRODUCTPAGE, requests: 20 });
    expect(statusPercent(legacy.summary, 0)).toBe(100);
    expect(decisions(legacy)).toMatch(
      /accepts only mTLS \(PeerAuthentication istio-system\/default \(mesh-wide\): STRICT\)/,
    );
    expect(statusPercent(run(MESH_STRICT, { to: 'productpage', requests: 20 }).summary, 200)).toBe(100);
  });

  it('PERMISSIVE (the default) accepts the plaintext client', () => {
    expect(statusPercent(run('', { from: 'legacy/curl', to: PRODUCTPAGE, requests: 20 }).summary, 200)).toBe(
      100,
    );
  });

  it('a workload PeerAuthentication beats the namespace; portLevelMtls beats the workload mode', () => {
    const nsStrict = pa('default', 'default', '  mtls: {mode: STRICT}');
    const workload = pa(
      'default',
      'productpage',
      '  selector: {matchLabels: {app: productpage}}\n  mtls: {mode: PERMISSIVE}',
    );
    expect(
      statusPercent(
        run(documents(nsStrict, workload), { from: 'legacy/curl', to: PRODUCTPAGE, requests: 10 }).summary,
        200,
      ),
    ).toBe(100);
    const portLevel = pa(
      'default',
      'productpage',
      '  selector: {matchLabels: {app: productpage}}\n  mtls: {mode: STRICT}\n  portLevelMtls:\n    9080: {mode: PERMISSIVE}',
    );
    expect(
      statusPercent(run(portLevel, { from: 'legacy/curl', to: PRODUCTPAGE, requests: 10 }).summary, 200),
    ).toBe(100);
  });

  it('of two namespace-wide PeerAuthentications the oldest wins (creationTimestamp), and the decision says so', () => {
    const older = pa('default', 'a-strict', '  mtls: {mode: STRICT}').replace(
      'namespace: default}',
      'namespace: default, creationTimestamp: "2026-01-01T00:00:00Z"}',
    );
    const newer = pa('default', 'b-permissive', '  mtls: {mode: PERMISSIVE}').replace(
      'namespace: default}',
      'namespace: default, creationTimestamp: "2026-02-01T00:00:00Z"}',
    );
    const r = run(documents(newer, older), { from: 'legacy/curl', to: PRODUCTPAGE, requests: 5 });
    expect(statusPercent(r.summary, 0)).toBe(100);
    expect(decisions(r)).toMatch(
      /PeerAuthentication default\/a-strict \(namespace, the oldest of 2 at this level\)/,
    );
  });

  it('a DestinationRule tls DISABLE towards a STRICT server: 503 UC at the calling sidecar', () => {
    const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings}
spec:
  host: ratings
  trafficPolicy: {tls: {mode: DISABLE}}`;
    const r = run(documents(MESH_STRICT, dr), { to: 'ratings', requests: 20 });
    expect(statusPercent(r.summary, 503, 'UC,URX') + statusPercent(r.summary, 503, 'UC')).toBe(100);
    expect(decisions(r)).toMatch(/DestinationRule default\/ratings tls.mode DISABLE/);
  });

  it('TLS of any kind to a pod without a sidecar fails the handshake (503 UF); auto mTLS sends plaintext', () => {
    const noSidecar = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ratings-v1, labels: {app: ratings, version: v1}}
spec:
  selector: {matchLabels: {app: ratings, version: v1}}
  template:
    metadata: {labels: {app: ratings, version: v1, sidecar.istio.io/inject: "false"}}
    spec: {containers: [{name: ratings, image: ratings}]}`;
    const withTls = (mode: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings}
spec:
  host: ratings
  trafficPolicy: {tls: {mode: ${mode}}}`;
    for (const mode of ['ISTIO_MUTUAL', 'SIMPLE']) {
      const r = run(documents(noSidecar, withTls(mode)), { to: 'ratings', requests: 20 });
      expect(statusPercent(r.summary, 200), mode).toBe(0);
      expect(decisions(r), mode).toMatch(new RegExp(`tls.mode ${mode} to ratings-v1.*no sidecar.*503 UF`));
    }
    expect(statusPercent(run(noSidecar, { to: 'ratings', requests: 20 }).summary, 200)).toBe(100);
  });
});

describe('authorization', () => {
  it('allow-nothing (spec: {}) denies with 403 and says so', () => {
    const r = run(ap('default', 'allow-nothing', '  {}'), { to: 'ratings', requests: 10 });
    expect(statusPercent(r.summary, 403)).toBe(100);
    expect(decisions(r)).toMatch(/RBAC: access denied at ratings-v1.*allow-nothing/);
  });

  it('ALLOW by principal: reviews may call ratings, productpage and the plaintext client may not', () => {
    const policy = ap(
      'default',
      'ratings-viewer',
      `  selector: {matchLabels: {app: ratings}}
  rules:
  - from:
    - source: {principals: ["cluster.local/ns/default/sa/bookinfo-reviews"]}`,
    );
    expect(statusPercent(run(policy, { from: 'reviews-v2', to: 'ratings', requests: 10 }).summary, 200)).toBe(
      100,
    );
    expect(
      statusPercent(run(policy, { from: 'productpage-v1', to: 'ratings', requests: 10 }).summary, 403),
    ).toBe(100);
    const plain = run(policy, { from: 'legacy/curl', to: 'ratings.default.svc.cluster.local', requests: 10 });
    expect(statusPercent(plain.summary, 403)).toBe(100);
    expect(decisions(plain)).toMatch(/no identity \(plaintext\)/);
  });

  it('ALLOW on rules: [{}] allows all; DENY beats ALLOW', () => {
    const allowAll = ap('default', 'allow-all', '  rules: [{}]');
    expect(statusPercent(run(allowAll, { to: 'ratings', requests: 10 }).summary, 200)).toBe(100);
    const deny = ap(
      'default',
      'deny-ratings',
      '  selector: {matchLabels: {app: ratings}}\n  action: DENY\n  rules:\n  - to:\n    - operation: {methods: [GET], ports: ["9080"]}',
    );
    const r = run(documents(allowAll, deny), { to: 'ratings', requests: 10 });
    expect(statusPercent(r.summary, 403)).toBe(100);
    expect(decisions(r)).toMatch(/DENY default\/deny-ratings rules\[0\] matches/);
  });

  it('paths: exact, prefix, suffix and templates; methods', () => {
    const policy = ap(
      'default',
      'paths',
      `  selector: {matchLabels: {app: productpage}}
  rules:
  - to:
    - operation: {methods: [GET], paths: ["/productpage", "/static/*", "*.css", "/api/v1/products/{*}/reviews"]}`,
    );
    const status = (path: string, method = 'GET') =>
      run(policy, { to: 'productpage', path, method, requests: 1, bookinfoApps: false }).summary.statuses[0]
        ?.status;
    expect(status('/productpage')).toBe(200);
    expect(status('/productpage?u=normal')).toBe(200);
    expect(status('/static/js/app.js')).toBe(200);
    expect(status('/x/site.css')).toBe(200);
    expect(status('/api/v1/products/1/reviews')).toBe(200);
    expect(status('/api/v1/products/1/2/reviews')).toBe(403);
    expect(status('/productpage/')).toBe(403);
    expect(status('/productpage', 'POST')).toBe(403);
  });

  it('a policy in the root namespace applies mesh wide', () => {
    const r = run(ap('istio-system', 'deny-all', '  action: DENY\n  rules: [{}]'), {
      to: 'details',
      requests: 5,
    });
    expect(statusPercent(r.summary, 403)).toBe(100);
  });
});

describe('JWT', () => {
  it('a missing token passes, a valid one passes, a forged one gets 401', () => {
    expect(statusPercent(run(RA, { to: 'productpage', requests: 5 }).summary, 200)).toBe(100);
    expect(
      statusPercent(run(RA, { to: 'productpage', headers: bearer('demo'), requests: 5 }).summary, 200),
    ).toBe(100);
    const forged = run(RA, { to: 'productpage', headers: bearer('forged'), requests: 5 });
    expect(statusPercent(forged.summary, 401)).toBe(100);
    expect(decisions(forged)).toMatch(/Jwt verification fails/);
  });

  it('requiring a token takes an ALLOW on requestPrincipals; a claim in when narrows it', () => {
    const require = ap(
      'default',
      'require-jwt',
      `  selector: {matchLabels: {app: productpage}}
  rules:
  - from:
    - source: {requestPrincipals: ["testing@secure.istio.io/testing@secure.istio.io"]}`,
    );
    expect(statusPercent(run(documents(RA, require), { to: 'productpage', requests: 5 }).summary, 403)).toBe(
      100,
    );
    expect(
      statusPercent(
        run(documents(RA, require), { to: 'productpage', headers: bearer('demo'), requests: 5 }).summary,
        200,
      ),
    ).toBe(100);
    const groups = ap(
      'default',
      'require-group',
      `  selector: {matchLabels: {app: productpage}}
  rules:
  - from:
    - source: {requestPrincipals: ["*"]}
    when:
    - key: request.auth.claims[groups]
      values: [group1]`,
    );
    expect(
      statusPercent(
        run(documents(RA, groups), { to: 'productpage', headers: bearer('groups'), requests: 5 }).summary,
        200,
      ),
    ).toBe(100);
    expect(
      statusPercent(
        run(documents(RA, groups), { to: 'productpage', headers: bearer('demo'), requests: 5 }).summary,
        403,
      ),
    ).toBe(100);
  });

  it('the ingress gateway checks its own RequestAuthentication and AuthorizationPolicy before routing', () => {
    const gw = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: bookinfo-gateway}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bookinfo}
spec:
  hosts: ["*"]
  gateways: [bookinfo-gateway]
  http:
  - route:
    - destination: {host: productpage, port: {number: 9080}}`;
    const atGateway = `${SEC}
kind: RequestAuthentication
metadata: {name: jwt, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://raw.githubusercontent.com/istio/istio/release-1.26/security/tools/jwt/samples/jwks.json
---
${ap('istio-system', 'require-jwt', '  selector: {matchLabels: {istio: ingressgateway}}\n  rules:\n  - from:\n    - source: {requestPrincipals: ["*"]}')}`;
    const yaml = documents(gw, atGateway);
    const none = run(yaml, { from: 'ingress', to: 'http://bookinfo.example.com/productpage', requests: 5 });
    expect(statusPercent(none.summary, 403)).toBe(100);
    const withToken = run(yaml, {
      from: 'ingress',
      to: 'http://bookinfo.example.com/productpage',
      headers: bearer('demo'),
      requests: 5,
    });
    expect(statusPercent(withToken.summary, 200)).toBe(100);
  });
});
