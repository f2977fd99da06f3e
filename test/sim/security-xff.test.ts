// The client address at the ingress gateway with numTrustedProxies (mesh config
// defaultConfig.gatewayTopology, or the gateway pod's proxy.istio.io/config annotation):
// remote.ip from X-Forwarded-For only when the gateway trusts proxies in front of it,
// tried on the authz-ingress-ip-allowlist lab's solution and variants.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run, statusPercent } from './helpers.ts';
import { documents } from './yaml.ts';

const lab = (dir: string) =>
  ['bookinfo-gateway.yaml', 'ingress-policy.yaml']
    .map((f) => readFileSync(new URL(`${dir}/${f}`, import.meta.url), 'utf8'))
    .join('\n---\n');
const SOLUTION = lab('../../exercises/08-security/authz-ingress-ip-allowlist/solution');
const IP_BLOCKS = lab('../labs/authz-ingress-ip-allowlist/correct-ip-blocks');
const NOT_REMOTE = lab('../labs/authz-ingress-ip-allowlist/correct-not-remote-ip-blocks');
const trusting = (n: number) =>
  `meshConfig:\n  defaultConfig:\n    gatewayTopology:\n      numTrustedProxies: ${n}\n`;
/** the built-in gateway Deployment, with a proxy.istio.io/config annotation on its pods */
const annotatedGateway = (n: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-ingressgateway, namespace: istio-system, labels: {app: istio-ingressgateway, istio: ingressgateway}}
spec:
  selector: {matchLabels: {app: istio-ingressgateway, istio: ingressgateway}}
  template:
    metadata:
      labels: {app: istio-ingressgateway, istio: ingressgateway}
      annotations:
        proxy.istio.io/config: '{"gatewayTopology": {"numTrustedProxies": ${n}}}'
    spec: {serviceAccountName: istio-ingressgateway-service-account}
`;
const LB = '10.0.0.5';
const edge = (clientIp: string, xff?: string) => ({
  from: 'ingress',
  to: 'bookinfo.example.com',
  path: '/productpage',
  clientIp,
  requests: 5,
  ...(xff ? { headers: { 'x-forwarded-for': xff } } : {}),
});
const decisions = (r: ReturnType<typeof run>) => (r.summary.security ?? []).map((d) => d.decision).join('\n');

describe('numTrustedProxies at the ingress gateway', () => {
  it('0 (the default): X-Forwarded-For is not trusted, so an outsider cannot claim an office address', () => {
    const r = run(SOLUTION, edge('198.51.100.7', '203.0.113.10'));
    expect(statusPercent(r.summary, 403)).toBe(100);
    expect(decisions(r)).toMatch(
      /remote\.ip 198\.51\.100\.7 is the connection's peer: X-Forwarded-For is not trusted \(numTrustedProxies 0, from the default\)/,
    );
  });

  it('behind a load balancer, the solution needs numTrustedProxies: 1 for office clients to get in', () => {
    expect(statusPercent(run(SOLUTION, edge(LB, '203.0.113.10')).summary, 403)).toBe(100);
    const trusted = run(documents(trusting(1), SOLUTION), edge(LB, '203.0.113.10'));
    expect(statusPercent(trusted.summary, 200)).toBe(100);
    expect(decisions(trusted)).toMatch(
      /remote\.ip 203\.0\.113\.10 is the 1st X-Forwarded-For address from the right \(numTrustedProxies 1, from input\.yaml:1\); source\.ip is the peer 10\.0\.0\.5/,
    );
    // the kiosk and outsiders stay out, read from X-Forwarded-For
    expect(statusPercent(run(documents(trusting(1), SOLUTION), edge(LB, '203.0.113.66')).summary, 403)).toBe(
      100,
    );
    expect(
      statusPercent(run(documents(trusting(1), NOT_REMOTE), edge(LB, '198.51.100.7')).summary, 403),
    ).toBe(100);
    expect(
      statusPercent(run(documents(trusting(1), NOT_REMOTE), edge(LB, '203.0.113.200')).summary, 200),
    ).toBe(100);
  });

  it('ipBlocks sees the load balancer whatever numTrustedProxies says: the ipBlocks variant locks the office out', () => {
    const r = run(documents(trusting(1), IP_BLOCKS), edge(LB, '203.0.113.10'));
    expect(statusPercent(r.summary, 403)).toBe(100);
    expect(decisions(r)).toMatch(/no rule of ALLOW istio-system\/office-only matches/);
  });

  it('the Nth address from the right; a shorter X-Forwarded-For falls back to the peer', () => {
    // two trusted hops: client, then a CDN, then the load balancer (which Envoy sees as the peer)
    const two = run(documents(trusting(2), SOLUTION), edge(LB, '198.51.100.7, 203.0.113.10, 192.0.2.1'));
    expect(statusPercent(two.summary, 200)).toBe(100);
    const short = run(documents(trusting(2), SOLUTION), edge('203.0.113.10', '198.51.100.7'));
    expect(statusPercent(short.summary, 200)).toBe(100);
    expect(decisions(short)).toMatch(/X-Forwarded-For lists 1 address, fewer than numTrustedProxies 2/);
  });

  it("the gateway pod's proxy.istio.io/config annotation overrides the mesh config", () => {
    const r = run(documents(trusting(0), annotatedGateway(1), SOLUTION), edge(LB, '203.0.113.10'));
    expect(statusPercent(r.summary, 200)).toBe(100);
    expect(decisions(r)).toMatch(/numTrustedProxies 1, from the proxy\.istio\.io\/config annotation/);
  });

  it('with nothing in front and no X-Forwarded-For, the lab behaves as before', () => {
    expect(statusPercent(run(documents(trusting(1), SOLUTION), edge('203.0.113.10')).summary, 200)).toBe(100);
    expect(statusPercent(run(documents(trusting(1), SOLUTION), edge('198.51.100.7')).summary, 403)).toBe(100);
  });
});
