// Explanations that must teach what Envoy and Istio do: retries count after the first
// try and a timed-out try is retried only for some retryOn values; normalized weights
// may be exactly the split meant; port-level settings replace, not merge.
import { describe, expect, it } from 'vitest';
import { routeRequest } from '../../src/core/sim/index.ts';
import { analyzeText } from '../helpers/analyze.ts';

const vs = (retries: string, timeout = '3s') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
  - route: [{destination: {host: ratings}}]
    timeout: ${timeout}
    retries: ${retries}
`;
const codes = (yaml: string, code: string) => analyzeText(yaml).findings.filter((f) => f.code === code);

describe('ICA1003 and ICA1011: retries and timeouts', () => {
  it('counts the first try: attempts 3 is 4 tries, so 3 × 2s = 6s is still short of 8s', () => {
    const [f] = codes(vs('{attempts: 3, perTryTimeout: 2s, retryOn: 5xx}', '6s'), 'ICA1003');
    expect(f?.message).toBe(
      'Route timeout 6s is shorter than the 4 tries (1 + 3 retries) × perTryTimeout 2s (8s)',
    );
    expect(f?.explanation).toContain('attempts: 3 means up to 3 retries after the first try, 4 tries in all');
    expect(f?.explanation).toContain('only 3 full tries of 4 can complete');
    expect(f?.fix).toContain('at least 8s');
    expect(codes(vs('{attempts: 3, perTryTimeout: 2s, retryOn: 5xx}', '8s'), 'ICA1003')).toEqual([]);
  });

  it("says a timed-out try is not retried with Istio's default retryOn, and does not count a budget", () => {
    const yaml = vs('{attempts: 3, perTryTimeout: 2s}');
    expect(codes(yaml, 'ICA1003')).toEqual([]);
    const [f] = codes(yaml, 'ICA1011');
    expect(f?.message).toContain(
      "Istio's default retryOn (connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes)",
    );
    expect(f?.explanation).toContain('the first slow try ends the request with 504 (flag UT) after 2s');
  });

  it('gateway-error and reset retry timed-out tries too; connect-failure alone does not', () => {
    for (const on of ['gateway-error', 'reset', '5xx,connect-failure'])
      expect(codes(vs(`{attempts: 2, perTryTimeout: 1s, retryOn: "${on}"}`, '3s'), 'ICA1011')).toEqual([]);
    const [f] = codes(vs('{attempts: 2, perTryTimeout: 1s, retryOn: connect-failure}', '3s'), 'ICA1011');
    expect(f?.path).toBe('spec.http[0].retries.retryOn');
  });
});

describe('ICA1001: normalized weights', () => {
  it('does not call 40/10 a different split from 80/20', () => {
    const [f] = codes(
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - {destination: {host: reviews}, weight: 40}
    - {destination: {host: ratings}, weight: 10}
`,
      'ICA1001',
    );
    expect(f?.message).toContain('80%');
    expect(f?.explanation).not.toContain('not the one written down');
    expect(f?.explanation).toContain('If that is the split you meant (40/10 is 80/20), it works as it is');
  });
});

describe('ICA1012: port-level settings replace the policy above them', () => {
  it('names the top-level fields a port entry drops', () => {
    const [f] = codes(
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
    outlierDetection: {consecutive5xxErrors: 1, maxEjectionPercent: 100}
    connectionPool: {tcp: {maxConnections: 1}}
    portLevelSettings:
    - port: {number: 9080}
      connectionPool: {tcp: {maxConnections: 5}}
`,
      'ICA1012',
    );
    expect(f?.message).toBe(
      'portLevelSettings for port 9080 replace the top-level trafficPolicy on that port: its outlierDetection does not apply to port 9080',
    );
    expect(f?.explanation).toContain('Istio does not merge port-level settings');
    expect(f?.path).toBe('spec.trafficPolicy.portLevelSettings[0]');
  });
});

describe('IST0112: no destination port while the service has several', () => {
  const multi = (gateways: string) => `apiVersion: v1
kind: Service
metadata: {name: multi}
spec:
  selector: {app: multi}
  ports: [{port: 80, name: http}, {port: 9090, name: http-admin}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: multi}
spec:
  hosts: [multi]
${gateways}  http:
  - route: [{destination: {host: multi}}]
`;
  it('mesh only: the sidecar uses its listener port, so it is reported but does not fail grading', () => {
    const [f] = codes(multi(''), 'IST0112');
    expect(f?.level).toBe('Error');
    expect(f?.affectsTraffic).toBe(false);
    expect(f?.explanation).toContain(
      "a sidecar routes to the port the request arrived on (its listener's port)",
    );
  });
  it('bound to a gateway: the listener port is no port of the service, so it breaks (and fails grading)', () => {
    const [f] = codes(multi('  gateways: [istio-system/bookinfo-gateway]\n'), 'IST0112');
    expect(f?.affectsTraffic).toBeUndefined();
    expect(f?.explanation).toContain('requests through the gateway fail with 503');
  });
});

describe('header names in matches', () => {
  it('a capitalised header name is accepted and explained truthfully (it still matches)', () => {
    const { findings, snapshot } = analyzeText(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {End-User: {exact: jason}}}]
    route: [{destination: {host: reviews}}]
`);
    const f = findings.find(
      (x) => x.path === 'spec.http[0].match[0].headers["End-User"]' || x.message.includes('End-User'),
    );
    expect(f?.level).toBe('Warning');
    expect(f?.code).not.toBe('IST0106');
    expect(f?.explanation).toContain(
      'The webhook accepts capitals, and Envoy lowercases the names in its header matchers',
    );
    expect(f?.explanation).not.toContain('not the names Envoy sees');
    // and the simulator matches it as Envoy does
    const routed = routeRequest(snapshot, { to: 'reviews', headers: { 'end-user': 'jason' } });
    expect(routed.rule).toBeDefined();
    expect(routeRequest(snapshot, { to: 'reviews' }).rule).toBeUndefined();
  });
});
