// simulate --from: a caller without a sidecar (no proxy on its side sets a response flag, so a
// reset reads "no response", not "0 UC", as lab check says it) and deploy/NAME.
import { describe, expect, it } from 'vitest';
import { formatSummaryText } from '../../src/core/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { run } from './helpers.ts';

const plain = { bold: String, dim: String, red: String, green: String, yellow: String, cyan: String };
const STRICT_DEFAULT = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: default}
spec: {mtls: {mode: STRICT}}
`;
const EMPTY_SERVICE = `apiVersion: v1
kind: Service
metadata: {name: nothing, namespace: default}
spec:
  selector: {app: nothing}
  ports: [{name: http, port: 80}]
`;

const STARTER = 'exercises/08-security/fix-strict-legacy-caller/starter';

describe('simulate Responses for a client without a sidecar', () => {
  it('a STRICT server resetting a plaintext caller reads "no response", with no flag legend', () => {
    const r = runCli(['simulate', STARTER, '--from', 'legacy/export-job', '--to', 'details.default']);
    expect(r.stdout).toMatch(/^ {2}no response +1000 100\.0% +connection reset \(curl exit 56\)$/m);
    expect(r.stdout).not.toMatch(/\b0 UC\b/);
    expect(r.stdout).not.toMatch(/^ {2}UC +upstream connection terminated/m);
  });

  it('a caller with a sidecar still shows its status and flags', () => {
    const r = runCli(['simulate', STARTER, '--from', 'default/productpage-v1', '--to', 'details.default']);
    expect(r.stdout).toMatch(/^Responses\n {2}200 -/m);
  });
});

describe('the simulator gives a client with no Envoy of its own no response flag', () => {
  it('STRICT resets a plain pod: status 0, no flag; the server sidecar logs 0 NR filter_chain_not_found', () => {
    const r = run(STRICT_DEFAULT, { from: 'legacy/curl', to: 'details.default', requests: 10 });
    expect(r.summary.statuses).toEqual([{ status: 0, flags: '-', count: 10, percent: 100 }]);
    expect(r.records.every((x) => x.flags === '-' && !x.refused && !x.gaveUp)).toBe(true);
    expect(r.summary.security?.[0]?.decision).toMatch(
      /sends plaintext .*: connection reset \(no inbound filter chain takes plaintext: the server sidecar logs "- - -" 0 NR filter_chain_not_found\)$/,
    );
    // the same reset seen by a sidecar caller sending plaintext is its Envoy's 503 UC
    const dr = `---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: details, namespace: default}
spec: {host: details, trafficPolicy: {tls: {mode: DISABLE}}}
`;
    const sidecar = run(STRICT_DEFAULT + dr, { from: 'productpage-v1', to: 'details.default', requests: 10 });
    expect(sidecar.summary.statuses.map((x) => [x.status, x.flags])).toEqual([[503, 'UC']]);
  });

  it('a Service with no pod refuses a plain pod (kube-proxy rejects: curl exit 7), not "no healthy upstream"', () => {
    const r = run(EMPTY_SERVICE, { from: 'legacy/curl', to: 'nothing.default', requests: 4 });
    expect(r.summary.statuses).toEqual([{ status: 0, flags: '-', count: 4, percent: 100, refused: true }]);
    expect(formatSummaryText(r.summary, plain)).toMatch(
      /^ {2}no response +4 100\.0% +connection refused: no pod behind the Service \(kube-proxy rejects it\) \(curl exit 7\)$/m,
    );
    // a sidecar caller's Envoy answers that itself: 503 UH
    const sidecar = run(EMPTY_SERVICE, { from: 'productpage-v1', to: 'nothing.default', requests: 4 });
    expect(sidecar.summary.statuses.map((x) => [x.status, x.flags])).toEqual([[503, 'UH']]);
  });

  it('a plain pod that gives up first (--timeout) has no DC flag: no proxy logged the stream', () => {
    const opts = { to: 'reviews.default', requests: 4, latency: ['reviews=300ms'], clientTimeoutMs: 100 };
    const bare = run('', { ...opts, from: 'legacy/curl' });
    expect(bare.summary.statuses).toEqual([{ status: 0, flags: '-', count: 4, percent: 100, gaveUp: true }]);
    expect(formatSummaryText(bare.summary, plain)).toMatch(
      /^ {2}no response +4 100\.0% +the client gave up first \(curl --max-time: exit 28\)$/m,
    );
    const proxied = run('', { ...opts, from: 'productpage-v1' });
    expect(proxied.summary.statuses).toEqual([
      { status: 0, flags: 'DC', count: 4, percent: 100, gaveUp: true },
    ]);
  });
});

describe('a client without a sidecar has no client-side policy', () => {
  it("a DestinationRule's connection pool (circuit breaker) and outlier detection do not apply to it", () => {
    const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1}
`;
    const load = { to: 'reviews.default', path: '/reviews/0', concurrency: 20, requests: 200 };
    const plainPod = run(dr, { ...load, from: 'legacy/curl' });
    expect(plainPod.summary.statuses).toEqual([{ status: 200, flags: '-', count: 200, percent: 100 }]);
    // the same load from a sidecar trips its circuit breaker
    const sidecar = run(dr, { ...load, from: 'productpage-v1' });
    expect(sidecar.summary.statuses.some((x) => x.status === 503 && x.flags.includes('UO'))).toBe(true);
  });
});

describe('simulate --from deploy/NAME', () => {
  it('names the workload as proxy-config and describe do; an unknown one is still refused', () => {
    const r = runCli(['simulate', STARTER, '--from', 'deploy/reviews-v2', '--to', 'details.default']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Simulated 1000 × GET http:\/\/details\.default\/ from reviews-v2 in default/);
    const bad = runCli(['simulate', STARTER, '--from', 'deploy/nope', '--to', 'details.default']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from "deploy\/nope": no such workload/);
  });
});
