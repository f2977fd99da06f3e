// Property tests: random and mutated YAML never crash the loader or the analyzer;
// every run ends in findings or a clean result.
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../helpers/analyze.ts';

const SEED_DOCS = [
  `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}, uri: {regex: "/a(b|c)+"}}]
    fault: {delay: {percentage: {value: 50}, fixedDelay: 3s}, abort: {httpStatus: 503, percentage: {value: 10}}}
    route:
    - destination: {host: reviews, subset: v1, port: {number: 9080}}
      weight: 80
    - destination: {host: reviews, subset: v2}
      weight: 20
    timeout: 3s
    retries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,reset"}
    mirror: {host: reviews, subset: v3}
    mirrorPercentage: {value: 10}
  gateways: [mesh, gw]`,
  `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
    connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1}}
    outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 3m, maxEjectionPercent: 100}
    portLevelSettings: [{port: {number: 9080}, loadBalancer: {simple: LEAST_REQUEST}}]
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}]`,
  `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["*.example.com", "ns/a.example.com"]
    tls: {mode: SIMPLE, credentialName: cert}`,
  `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: se}
spec:
  hosts: [api.example.com]
  addresses: [10.0.0.1/24]
  ports: [{number: 443, name: tls, protocol: TLS}]
  resolution: STATIC
  endpoints: [{address: 1.2.3.4}]`,
];

function mutate(text: string, pos: number, insert: string, del: number): string {
  const p = pos % (text.length + 1);
  return text.slice(0, p) + insert + text.slice(p + del);
}

const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

function ok(text: string): void {
  const result = analyzeText(text);
  expect(Array.isArray(result.findings)).toBe(true);
  for (const f of result.findings) {
    expect(typeof f.code).toBe('string');
    expect(typeof f.message).toBe('string');
    expect(f.code).not.toBe('ICA0008'); // no rule crashed
  }
}

describe('loader and analyzer never crash', () => {
  it('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => ok(s)),
      { numRuns: 300 },
    );
  });

  it('on mutated Istio YAML (characters inserted and deleted)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEED_DOCS),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom('', ':', '-', ' ', '\n', '{', '[', '"', '*a', '&a ', '#', '\t', '0', 'x'),
            fc.nat(3),
          ),
          {
            maxLength: 6,
          },
        ),
        (doc, edits) => {
          let text = doc;
          for (const [p, ins, del] of edits) text = mutate(text, p, ins, del);
          ok(text);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('on well-formed resources with random values in their specs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Service', 'Pod'),
        fc.dictionary(
          fc.constantFrom(
            'hosts',
            'http',
            'host',
            'subsets',
            'servers',
            'trafficPolicy',
            'gateways',
            'ports',
            'selector',
            'tcp',
            'tls',
            'route',
            'x',
          ),
          jsonValue,
          { maxKeys: 5 },
        ),
        (kind, spec) => {
          const apiVersion = kind === 'Service' || kind === 'Pod' ? 'v1' : 'networking.istio.io/v1';
          ok(dump({ apiVersion, kind, metadata: { name: 'r' }, spec }));
        },
      ),
      { numRuns: 400 },
    );
  });
});
