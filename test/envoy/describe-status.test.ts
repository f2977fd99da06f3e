// `describe pod` and `proxy-status` as a user runs them.
import { describe, expect, it } from 'vitest';
import { runCli as cli } from '../helpers/cli.ts';

const sample = (f: string) => new URL(`../fixtures/bookinfo-samples/${f}`, import.meta.url).pathname;
const drill = (data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ica-drill, namespace: istio-system}\ndata:\n${data}\n`;

describe('ica-trainer describe pod', () => {
  it('names the subsets that select the pod and the weighted route that reaches it', () => {
    const r = cli([
      'describe',
      'pod',
      'reviews-v2-5b667bcbf8-x2x9q',
      sample('destination-rule-all.yaml'),
      sample('virtual-service-reviews-80-20.yaml'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Pod: reviews-v2-0$/m);
    expect(r.stdout).toMatch(/^Service: reviews$/m);
    expect(r.stdout).toMatch(
      /^DestinationRule: reviews\.default for "reviews"\n {3}Matching subsets: v2\n {6}\(Non-matching subsets v1,v3\)$/m,
    );
    expect(r.stdout).toMatch(
      /^VirtualService: reviews\.default\n {3}Route to host "reviews\.default\.svc\.cluster\.local" subset "v2" with weight 20% for \(everything\)$/m,
    );
    expect(r.stdout).toMatch(/^ {3}1 additional destination\(s\) that will not reach this pod$/m);
  });

  it('a route to a subset nobody defines: no destination reaches the pod, and why (503 NC)', () => {
    const r = cli(['describe', 'pod', 'deploy/reviews-v1', sample('virtual-service-all-v1.yaml')]);
    expect(r.stdout).toMatch(/WARNING: No destinations match pod subsets/);
    expect(r.stdout).toMatch(
      /no DestinationRule for reviews\.default\.svc\.cluster\.local, so subset "v1" does not exist \(503 NC\)/,
    );
  });

  it('shows the ingress routes that expose the pod', () => {
    const r = cli(['describe', 'pod', 'productpage-v1', sample('bookinfo-gateway.yaml')]);
    expect(r.stdout).toMatch(
      /^Exposed on Ingress Gateway http:\/\/10\.96\.\d+\.\d+\nVirtualService: bookinfo\.default\n {3}\/productpage, \/static\*, \/login, \/logout, \/api\/v1\/products\*$/m,
    );
  });

  it('usage errors exit 2', () => {
    expect(cli(['describe', 'svc', 'reviews']).code).toBe(2);
    const r = cli(['describe', 'pod', 'nosuch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no workload "nosuch"/);
  });
});

describe('ica-trainer proxy-status', () => {
  it('every proxy SYNCED with istioctl columns; RDS NOT SENT to a gateway no Gateway selects', () => {
    const r = cli(['proxy-status']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^NAME {5,}CLUSTER {5,}CDS {5,}LDS {5,}EDS {5,}RDS {5,}ECDS {5,}ISTIOD {5,}VERSION$/,
    );
    expect(lines.find((l) => l.startsWith('productpage-v1-0.default '))).toMatch(
      /Kubernetes +SYNCED +SYNCED +SYNCED +SYNCED +IGNORED/,
    );
    expect(lines.find((l) => l.startsWith('istio-ingressgateway-0.istio-system '))).toMatch(
      /SYNCED +SYNCED +SYNCED +NOT SENT/,
    );
    const withGw = cli(['proxy-status', sample('bookinfo-gateway.yaml')]);
    expect(withGw.stdout).toMatch(
      /^istio-ingressgateway-0\.istio-system +Kubernetes +SYNCED +SYNCED +SYNCED +SYNCED /m,
    );
  });

  it('a pod without a sidecar has no row, and proxy-config says why there is nothing to show', () => {
    expect(cli(['proxy-status']).stdout).not.toMatch(/curl/);
    const r = cli(['proxy-config', 'routes', 'curl.legacy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /curl\.legacy has no Istio sidecar \(its namespace is not labelled for injection/,
    );
  });

  it('a drill marks proxies STALE, or declares istiod down (exit 1, no table)', () => {
    const stale = cli(['proxy-status', '-'], { input: drill('  stale: reviews-v2') });
    expect(stale.stdout).toMatch(/^reviews-v2-0\.default +Kubernetes +STALE +STALE +STALE +STALE /m);
    expect(stale.stdout).toMatch(/^reviews-v1-0\.default +Kubernetes +SYNCED /m);
    const down = cli(['proxy-status', '-'], { input: drill('  istiod: down') });
    expect(down.code).toBe(1);
    expect(down.stdout).toBe('');
    expect(down.stderr).toMatch(/unable to find any Istiod instances/);
  });
});
