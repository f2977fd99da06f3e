// CUSTOM AuthorizationPolicies in the simulator: the provider resolved from the mesh
// config as istiod does (a bad one turns into a deny-all), CUSTOM before JWT and
// DENY/ALLOW, Istio's sample ext-authz modelled over HTTP and gRPC, and any other
// authorizer's answer chosen by the run (--ext-authz).
import { describe, expect, it } from 'vitest';
import { SAMPLE_TOKENS } from '../../src/core/sim/security/samples.ts';
import { run, statusPercent } from './helpers.ts';
import { documents } from './yaml.ts';

const EXT_AUTHZ_SVC = `apiVersion: v1
kind: Service
metadata: {name: ext-authz, namespace: foo}
spec:
  selector: {app: ext-authz}
  ports:
  - {name: http, port: 8000, targetPort: 8000}
  - {name: grpc, port: 9000, targetPort: 9000}
`;
const OPA_SVC = `apiVersion: v1
kind: Service
metadata: {name: opa, namespace: opa}
spec:
  selector: {app: opa}
  ports:
  - {name: grpc, port: 9191}
`;
const MESH = `meshConfig:
  extensionProviders:
  - name: sample-ext-authz-http
    envoyExtAuthzHttp:
      service: ext-authz.foo.svc.cluster.local
      port: "8000"
      includeRequestHeadersInCheck: ["x-ext-authz"]
  - name: http-no-headers
    envoyExtAuthzHttp:
      service: ext-authz.foo.svc.cluster.local
      port: 8000
  - name: sample-ext-authz-grpc
    envoyExtAuthzGrpc:
      service: ext-authz.foo.svc.cluster.local
      port: 9000
  - name: opa
    envoyExtAuthzGrpc:
      service: opa/opa.opa.svc.cluster.local
      port: 9191
  - name: short-name
    envoyExtAuthzGrpc:
      service: ext-authz
      port: 9000
`;
const custom = (
  provider: string,
  name = 'ext-authz',
  path = '/productpage',
) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ${name}, namespace: default}
spec:
  selector: {matchLabels: {app: productpage}}
  action: CUSTOM
  provider: {name: ${provider}}
  rules:
  - to:
    - operation: {paths: ["${path}"]}
`;
const yaml = (...docs: string[]) => documents(MESH, EXT_AUTHZ_SVC, OPA_SVC, ...docs);
const decisions = (r: ReturnType<typeof run>) => (r.summary.security ?? []).map((d) => d.decision).join('\n');
const PP = { to: 'productpage', path: '/productpage', requests: 10 } as const;

describe('CUSTOM with the sample ext-authz over HTTP', () => {
  it('allows a request whose x-ext-authz header is "allow", and says the sample decided', () => {
    const r = run(yaml(custom('sample-ext-authz-http')), { ...PP, headers: { 'x-ext-authz': 'allow' } });
    expect(statusPercent(r.summary, 200)).toBe(100);
    expect(decisions(r)).toMatch(
      /CUSTOM default\/ext-authz rules\[0\] matches at productpage-v1.*Istio's sample ext-authz .*allows \(x-ext-authz is "allow"\)/,
    );
  });

  it("denies any other value with 403 and the sample's own body", () => {
    const r = run(yaml(custom('sample-ext-authz-http')), { ...PP, headers: { 'x-ext-authz': 'deny' } });
    expect(statusPercent(r.summary, 403)).toBe(100);
    expect(decisions(r)).toContain(
      '"denied by ext_authz for not found header `x-ext-authz: allow` in the request"',
    );
    expect(decisions(r)).toMatch(/x-ext-authz is "deny", not "allow"/);
  });

  it('skips the authorizer for a request no CUSTOM rule matches', () => {
    const r = run(yaml(custom('sample-ext-authz-http')), {
      to: 'productpage',
      path: '/api/v1/products',
      requests: 5,
    });
    expect(statusPercent(r.summary, 200)).toBe(100);
  });

  it('an HTTP provider without includeRequestHeadersInCheck never carries x-ext-authz: denied', () => {
    const r = run(yaml(custom('http-no-headers')), { ...PP, headers: { 'x-ext-authz': 'allow' } });
    expect(statusPercent(r.summary, 403)).toBe(100);
    expect(decisions(r)).toMatch(/x-ext-authz is not in the provider's includeRequestHeadersInCheck/);
  });

  it('runs before the JWT filter: a forged token the authorizer denies gets its 403, not 401', () => {
    const ra = `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: default}
spec:
  selector: {matchLabels: {app: productpage}}
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://raw.githubusercontent.com/istio/istio/release-1.26/security/tools/jwt/samples/jwks.json
`;
    const forged = { authorization: `Bearer ${SAMPLE_TOKENS.forged!.token}` };
    const denied = run(yaml(custom('sample-ext-authz-http'), ra), { ...PP, headers: forged });
    expect(statusPercent(denied.summary, 403)).toBe(100);
    const allowed = run(yaml(custom('sample-ext-authz-http'), ra), {
      ...PP,
      headers: { ...forged, 'x-ext-authz': 'allow' },
    });
    expect(statusPercent(allowed.summary, 401)).toBe(100);
  });
});

describe('CUSTOM with the sample ext-authz over gRPC', () => {
  it('reads every header; without x-ext-authz it allows only service account "a"', () => {
    const withHeader = run(yaml(custom('sample-ext-authz-grpc')), {
      ...PP,
      headers: { 'x-ext-authz': 'allow' },
    });
    expect(statusPercent(withHeader.summary, 200)).toBe(100);
    const without = run(yaml(custom('sample-ext-authz-grpc')), PP);
    expect(statusPercent(without.summary, 403)).toBe(100);
    expect(decisions(without)).toMatch(/is not service account "a"/);
  });
});

describe('a CUSTOM policy istiod cannot build: its rules become DENY rules (Istio 1.20+)', () => {
  it('a provider the mesh config does not define: 403 RBAC for what its rules match, the rest goes on', () => {
    const matched = run(yaml(custom('no-such-provider')), PP);
    expect(statusPercent(matched.summary, 403)).toBe(100);
    expect(decisions(matched)).toMatch(
      /"RBAC: access denied": CUSTOM default\/ext-authz cannot be built \(provider "no-such-provider" is not among meshConfig.extensionProviders .*\): istiod turns its rules into DENY rules, and rules\[0\] of default\/ext-authz matches at productpage-v1-0 \(rbac_access_denied_matched_policy\[istio-ext-authz-ns\[default\]-policy\[ext-authz\]-rule\[0\]-deny-due-to-bad-CUSTOM-action\]\)/,
    );
    // before Istio 1.20 this was a deny-all; in 1.26 a path no CUSTOM rule matches is served
    const other = run(yaml(custom('no-such-provider')), { ...PP, path: '/api/v1/products' });
    expect(statusPercent(other.summary, 200)).toBe(100);
    expect(decisions(other)).toMatch(
      /cannot be built .*; none matches this request at productpage-v1-0, so it goes on/,
    );
  });

  it('two providers for one workload, or a service given by short name, also deny what the rules match', () => {
    const two = run(yaml(custom('sample-ext-authz-http'), custom('sample-ext-authz-grpc', 'other')), PP);
    expect(statusPercent(two.summary, 403)).toBe(100);
    expect(decisions(two)).toMatch(/only 1 provider can be used per workload/);
    const short = run(yaml(custom('short-name')), PP);
    expect(statusPercent(short.summary, 403)).toBe(100);
    expect(decisions(short)).toMatch(/could not find service ext-authz:9000/);
  });

  it("without any mesh config, Istio's default providers have no authorizer", () => {
    const r = run(documents(EXT_AUTHZ_SVC, custom('sample-ext-authz-http')), PP);
    expect(statusPercent(r.summary, 403)).toBe(100);
    expect(decisions(r)).toMatch(/known: envoy, prometheus, stackdriver, from Istio's default mesh config/);
  });
});

describe('the mesh config as istiod merges it', () => {
  it('a provider named twice: the later entry replaces the earlier (istiod merges by name)', () => {
    const twice = `meshConfig:
  extensionProviders:
  - name: sample-ext-authz-http
    envoyExtAuthzHttp: {service: nowhere.foo.svc.cluster.local, port: 8000}
  - name: sample-ext-authz-http
    envoyExtAuthzHttp:
      service: ext-authz.foo.svc.cluster.local
      port: 8000
      includeRequestHeadersInCheck: ["x-ext-authz"]
`;
    const r = run(documents(twice, EXT_AUTHZ_SVC, custom('sample-ext-authz-http')), {
      ...PP,
      headers: { 'x-ext-authz': 'allow' },
    });
    expect(statusPercent(r.summary, 200)).toBe(100);
  });
});

describe('an authorizer the simulation cannot know', () => {
  it('is assumed to allow, and the output says so; --ext-authz deny gives its 403', () => {
    const allowed = run(yaml(custom('opa')), PP);
    expect(statusPercent(allowed.summary, 200)).toBe(100);
    expect(decisions(allowed)).toMatch(
      /provider "opa" \(gRPC, opa.opa.svc.cluster.local:9191\) decides, which the simulation cannot know; it assumes the authorizer allows \(simulate --ext-authz deny/,
    );
    const denied = run(yaml(custom('opa')), { ...PP, extAuthz: 'deny' });
    expect(statusPercent(denied.summary, 403)).toBe(100);
    expect(decisions(denied)).toMatch(/provider "opa" .* denies \(as simulate --ext-authz deny says/);
  });
});
