// `ica-trainer proxy-config` as a user runs it: the real binary, on Istio's
// Bookinfo samples. The header lines and column order are istioctl 1.26's
// (istioctl/pkg/writer/envoy/configdump: route.go, cluster.go, listener.go,
// endpoint.go, secret output), laid out by the same tabwriter settings.
import { describe, expect, it } from 'vitest';
import { runCli as cli } from '../helpers/cli.ts';

const sample = (f: string) => new URL(`../fixtures/bookinfo-samples/${f}`, import.meta.url).pathname;
const DR = sample('destination-rule-all.yaml');
const V1 = sample('virtual-service-all-v1.yaml');
const GW = sample('bookinfo-gateway.yaml');
const TEST_V2 = sample('virtual-service-reviews-test-v2.yaml');
const SPLIT = sample('virtual-service-reviews-80-20.yaml');

/** The cells of a tabwriter line: columns are separated by two or more spaces (padding >= 1 for listeners). */
const lines = (out: string) => out.trimEnd().split('\n');

describe('ica-trainer proxy-config', () => {
  it('routes: istioctl header, one row per route, the VirtualService that owns it', () => {
    const r = cli(['proxy-config', 'routes', 'deploy/productpage-v1', DR, V1, TEST_V2]);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^NAME {5,}VHOST NAME {5,}DOMAINS {5,}MATCH {5,}VIRTUAL SERVICE$/);
    // columns start where the header's do
    const col = (h: string) => out[0]!.indexOf(h);
    const reviews = out.filter((l) => l.includes('reviews.default.svc.cluster.local:9080'));
    expect(reviews).toHaveLength(2); // jason's header route, then the default
    for (const l of reviews) {
      expect(l.startsWith('9080 ')).toBe(true);
      expect(l.slice(col('VHOST NAME'))).toMatch(/^reviews\.default\.svc\.cluster\.local:9080 /);
      expect(l.slice(col('DOMAINS'))).toMatch(/^reviews, reviews\.default \+ 1 more\.\.\. /);
      expect(l.slice(col('MATCH'))).toMatch(/^\/\* +reviews\.default$/);
    }
    // numeric route names come first, ascending; the inbound route and the static backend ones after
    const names = out.slice(1).map((l) => l.split(' ')[0]);
    const numeric = names.filter((n) => /^\d+$/.test(n!)).map(Number);
    expect(numeric).toEqual([...numeric].sort((a, b) => a - b));
    expect(out.at(-2)).toMatch(/^ +backend +\* +\/stats\/prometheus\* +$/);
    expect(r.stdout.includes('\u001b')).toBe(false);
  });

  it('routes on the ingress gateway: http.8080 with the bookinfo matches in order', () => {
    const r = cli(['pc', 'routes', 'istio-ingressgateway', GW, '--name', 'http.8080']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'NAME          VHOST NAME     DOMAINS     MATCH                 VIRTUAL SERVICE',
        'http.8080     *:8080         *           /productpage          bookinfo.default',
        'http.8080     *:8080         *           /static*              bookinfo.default',
        'http.8080     *:8080         *           /login                bookinfo.default',
        'http.8080     *:8080         *           /logout               bookinfo.default',
        'http.8080     *:8080         *           /api/v1/products*     bookinfo.default',
        '',
      ].join('\n'),
    );
  });

  it("a gateway's routes byte for byte as istioctl's own test expects them (testdata/routes/istio-gateway-http-route-prefix)", () => {
    // the configuration behind that config dump: httpbin behind a Gateway on port 80, /get* routed
    const input = `apiVersion: v1
kind: Service
metadata: {name: httpbin, labels: {app: httpbin}}
spec:
  selector: {app: httpbin}
  ports: [{name: http, port: 8000, targetPort: 8080}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: httpbin-gateway}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["httpbin.example.com"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin}
spec:
  hosts: ["httpbin.example.com"]
  gateways: [httpbin-gateway]
  http:
  - match: [{uri: {prefix: /get}}]
    route: [{destination: {host: httpbin, port: {number: 8000}}}]
`;
    const r = cli(['proxy-config', 'routes', 'istio-ingressgateway.istio-system', '-'], { input });
    expect(r.code).toBe(0);
    // istio/istio istioctl/pkg/writer/envoy/configdump/testdata/routes/istio-gateway-http-route-prefix/output.txt
    expect(r.stdout).toBe(
      [
        'NAME          VHOST NAME                 DOMAINS                 MATCH                  VIRTUAL SERVICE',
        'http.8080     httpbin.example.com:80     httpbin.example.com     /get*                  httpbin.default',
        '              backend                    *                       /stats/prometheus*     ',
        '              backend                    *                       /healthz/ready*        ',
        '',
      ].join('\n'),
    );
  });

  it('clusters: one per subset the DestinationRule defines, sorted by FQDN, subset, port', () => {
    const r = cli(['proxy-config', 'clusters', 'productpage-v1-7d6cfb7dfd-x8j2k', DR, '--fqdn', 'reviews']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'SERVICE FQDN                          PORT     SUBSET     DIRECTION     TYPE     DESTINATION RULE',
        'reviews.default.svc.cluster.local     9080     -          outbound      EDS      reviews.default',
        'reviews.default.svc.cluster.local     9080     v1         outbound      EDS      reviews.default',
        'reviews.default.svc.cluster.local     9080     v2         outbound      EDS      reviews.default',
        'reviews.default.svc.cluster.local     9080     v3         outbound      EDS      reviews.default',
        '',
      ].join('\n'),
    );
    const all = lines(cli(['proxy-config', 'clusters', 'deploy/productpage-v1']).stdout);
    // the inbound cluster has no FQDN and sorts first, as in istioctl
    expect(all[1]).toMatch(/^ +9080 +- +inbound +ORIGINAL_DST/);
    expect(all.some((l) => /^BlackHoleCluster +- +- +- +STATIC/.test(l))).toBe(true);
  });

  it('clusters without a DestinationRule have no subsets: the v3 a route asks for is missing (503 NC)', () => {
    const r = cli([
      'proxy-config',
      'clusters',
      'deploy/productpage-v1',
      V1,
      '--fqdn',
      'reviews',
      '--subset',
      'v1',
    ]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(1);
  });

  it('endpoints: the pods behind a subset, with istioctl columns', () => {
    const r = cli([
      'proxy-config',
      'endpoints',
      'deploy/productpage-v1',
      DR,
      '--cluster',
      'outbound|9080|v2|reviews.default.svc.cluster.local',
    ]);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^NAME {5,}STATUS {5,}LOCALITY {5,}CLUSTER$/);
    expect(out.slice(1)).toHaveLength(1);
    expect(out[1]).toMatch(
      /^10\.244\.\d+\.\d+:9080 +HEALTHY +outbound\|9080\|v2\|reviews\.default\.svc\.cluster\.local$/,
    );
  });

  it('listeners: ADDRESSES PORT MATCH DESTINATION, sorted by port', () => {
    const r = cli(['proxy-config', 'listeners', 'deploy/productpage-v1', '--port', '9080']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'ADDRESSES PORT MATCH                                DESTINATION',
        '0.0.0.0   9080 Trans: raw_buffer; App: http/1.1,h2c Route: 9080',
        '0.0.0.0   9080 ALL                                  PassthroughCluster',
        '',
      ].join('\n'),
    );
    const gw = cli(['proxy-config', 'listeners', 'istio-ingressgateway', GW]);
    expect(gw.stdout).toMatch(/^0\.0\.0\.0 +8080 +ALL +Route: http\.8080$/m);
  });

  it('secret: the workload certificate and root CA; a missing credentialName Secret is WARMING', () => {
    const r = cli(['proxy-config', 'secret', 'deploy/reviews-v1']);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(
      /^RESOURCE NAME {5,}TYPE {5,}STATUS {5,}VALID CERT {5,}SERIAL NUMBER {5,}NOT AFTER {5,}NOT BEFORE$/,
    );
    expect(out[1]).toMatch(/^default +Cert Chain +ACTIVE +true /);
    expect(out[2]).toMatch(/^ROOTCA +CA +ACTIVE +true /);
    const gw = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: [bookinfo.example.com]
    tls: {mode: SIMPLE, credentialName: bookinfo-cert}
`;
    // Secrets among the inputs, but not this one: missing
    const other =
      'apiVersion: v1\nkind: Secret\nmetadata: {name: other-cert, namespace: istio-system}\ntype: kubernetes.io/tls\n';
    const w = cli(['proxy-config', 'secret', 'istio-ingressgateway', '-'], { input: `${gw}---\n${other}` });
    expect(w.stdout).toMatch(/^kubernetes:\/\/bookinfo-cert +Cert Chain +WARMING +false/m);
    // no Secret among the inputs (a lab names the credential, kubectl creates it): assumed
    // present, as simulate (which serves 200 through it) and analyze assume
    const named = cli(['proxy-config', 'secret', 'istio-ingressgateway', '-'], { input: gw });
    expect(named.stdout).toMatch(/^kubernetes:\/\/bookinfo-cert +Cert Chain +ACTIVE +true/m);
  });

  it('-o json prints Envoy route configurations: weighted clusters of an 80/20 split', () => {
    const r = cli([
      'proxy-config',
      'routes',
      'deploy/productpage-v1',
      DR,
      SPLIT,
      '--name',
      '9080',
      '-o',
      'json',
    ]);
    expect(r.code).toBe(0);
    const configs = JSON.parse(r.stdout) as {
      name: string;
      virtualHosts: { name: string; routes: { route?: { weightedClusters?: { clusters: unknown[] } } }[] }[];
    }[];
    expect(configs.map((c) => c.name)).toEqual(['9080']);
    const reviews = configs[0]!.virtualHosts.find((v) => v.name === 'reviews.default.svc.cluster.local:9080');
    expect(reviews?.routes[0]?.route?.weightedClusters?.clusters).toEqual([
      { name: 'outbound|9080|v1|reviews.default.svc.cluster.local', weight: 80 },
      { name: 'outbound|9080|v2|reviews.default.svc.cluster.local', weight: 20 },
    ]);
  });

  it('usage errors exit 2 with one line: unknown type, unknown workload, a filter of another type', () => {
    const t = cli(['proxy-config', 'rutes', 'deploy/productpage-v1']);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/unknown configuration type "rutes"/);
    const w = cli(['proxy-config', 'routes', 'deploy/nosuch']);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(
      /no workload "deploy\/nosuch" in namespace default \(known: .*productpage-v1\.default/,
    );
    expect(w.stderr).not.toMatch(/at .*\.ts/);
    const f = cli(['proxy-config', 'routes', 'deploy/productpage-v1', '--fqdn', 'reviews']);
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/--fqdn filters clusters, not routes/);
    const missing = cli(['proxy-config', 'routes', 'deploy/productpage-v1', '/no/such/dir']);
    expect(missing.code).toBe(2);
  });

  it('--help lists the types, filters and exit codes', () => {
    const r = cli(['proxy-config', '--help']);
    expect(r.code).toBe(0);
    for (const s of ['routes', '--fqdn', '--subset', '--direction', '--name', '--port', 'Exit codes'])
      expect(r.stdout).toContain(s);
  });
});
