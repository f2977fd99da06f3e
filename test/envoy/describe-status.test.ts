// `describe pod` and `proxy-status` as a user runs them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as cli } from '../helpers/cli.ts';

const sample = (f: string) => new URL(`../fixtures/bookinfo-samples/${f}`, import.meta.url).pathname;
const drill = (data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ica-drill, namespace: istio-system}\ndata:\n${data}\n`;

describe('ica-trainer describe pod', () => {
  it('a file that does not parse is named (file:line), not silently replaced by Bookinfo alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ica-describe-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nspec: {host: reviews\n');
    const dr = join(dir, 'dr.yaml');
    writeFileSync(
      dr,
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews}\nspec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}]}\n',
    );
    for (const args of [
      ['describe', 'pod', 'reviews-v1'],
      ['proxy-config', 'clusters', 'productpage-v1'],
    ]) {
      const alone = cli([...args, bad]);
      expect(alone.code).toBe(2);
      expect(alone.stdout).toBe('');
      // one line, and no warning of Node's own (runCli sets no FORCE_COLOR beside NO_COLOR)
      const lines = alone.stderr.split('\n').filter((l) => l);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^ica-trainer: ${bad}:\\d+:\\d+: YAML syntax error: .*no resource could be read$`),
      );
      const mixed = cli([...args, bad, dr]);
      expect(mixed.code).toBe(0);
      expect(mixed.stderr).toMatch(
        new RegExp(
          `^ica-trainer: ${bad}:\\d+:\\d+: YAML syntax error: .*\\(left out, as kubectl would refuse it\\)$`,
          'm',
        ),
      );
      expect(mixed.stdout).toMatch(/reviews/);
    }
    rmSync(dir, { recursive: true, force: true });
  });

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
      /^DestinationRule: reviews for "reviews"\n {3}Matching subsets: v2\n {6}\(Non-matching subsets v1,v3\)$/m,
    );
    expect(r.stdout).toMatch(
      /^VirtualService: reviews\n {3}Route to host "reviews\.default\.svc\.cluster\.local" subset "v2" with weight 20% for \(everything\)$/m,
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
      /^Exposed on Ingress Gateway http:\/\/10\.96\.\d+\.\d+\nVirtualService: bookinfo\n {3}\/productpage, \/static\*, \/login, \/logout, \/api\/v1\/products\*$/m,
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
  it("VERSION is each proxy's own: a dumped pod's istio-proxy image, new pods the injector's", () => {
    const lab = (v: string) =>
      new URL(`../../exercises/09-installation/upgrade-stale-proxies/${v}`, import.meta.url).pathname;
    const version = (out: string, pod: string) => new RegExp(`^${pod}\\S* .* (\\S+)$`, 'm').exec(out)?.[1];
    const before = cli(['proxy-status', lab('starter')]);
    expect(before.code).toBe(0);
    expect(version(before.stdout, 'cart-')).toBe('1.26.0');
    expect(version(before.stdout, 'catalog-')).toBe('1.26.1');
    const after = cli(['proxy-status', lab('solution')]);
    expect(version(after.stdout, 'cart-')).toBe('1.26.1');
  });

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

  const reviewsV2 = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v2}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  subsets:
  - {name: v2, labels: {version: v2}}
---
`;
  const productpage = (annotations: string) => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: productpage-v1, labels: {app: productpage, version: v1}}
spec:
  selector: {matchLabels: {app: productpage, version: v1}}
  template:
    metadata:
      labels: {app: productpage, version: v1}${annotations}
    spec:
      serviceAccountName: bookinfo-productpage
      containers: [{name: productpage, image: productpage}]
`;

  it('a STALE proxy routes without what the last push carried, in simulate and proxy-config, until restarted', () => {
    const input = reviewsV2 + drill('  stale: productpage-v1\n  unpushed: VirtualService/reviews');
    const stale = cli(['simulate', '-', '--to', 'reviews', '--from', 'productpage-v1', '--requests', '300'], {
      input,
    });
    expect(stale.stdout).toMatch(/reviews v1 .* 3\d\.\d%/);
    expect(stale.stdout).toMatch(/this proxy is STALE .* without VirtualService\/reviews/);
    // another proxy has the push
    const fresh = cli(['simulate', '-', '--to', 'reviews', '--from', 'reviews-v1', '--requests', '50'], {
      input,
    });
    expect(fresh.stdout).toMatch(/reviews v2 \(subset v2\) .* 100\.0%/);
    const routes = cli(['proxy-config', 'routes', 'deploy/productpage-v1', '-', '--name', '9080'], { input });
    expect(routes.stdout).toMatch(/^9080 +reviews\.default\.svc\.cluster\.local:9080 .* \/\* *$/m);
    const other = cli(['proxy-config', 'routes', 'deploy/reviews-v1', '-', '--name', '9080'], { input });
    expect(other.stdout).toMatch(
      /^9080 +reviews\.default\.svc\.cluster\.local:9080 .* \/\* +reviews\.default$/m,
    );
    // kubectl rollout restart: new pods, SYNCED, the current routes
    const restarted =
      input + productpage('\n      annotations: {kubectl.kubernetes.io/restartedAt: "2026-01-01T09:00:00Z"}');
    const status = cli(['proxy-status', '-'], { input: restarted });
    expect(status.stdout).toMatch(/^productpage-v1-0\.default +Kubernetes +SYNCED /m);
    const after = cli(['simulate', '-', '--to', 'reviews', '--from', 'productpage-v1', '--requests', '50'], {
      input: restarted,
    });
    expect(after.stdout).toMatch(/reviews v2 \(subset v2\) .* 100\.0%/);
  });

  it('istiod scaled to 0 is istiod down: no proxy gets what was applied since, restarted or not', () => {
    const istiod = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system}
spec:
  replicas: 0
  selector: {matchLabels: {app: istiod}}
  template:
    metadata: {labels: {app: istiod}}
    spec: {containers: [{name: discovery, image: pilot}]}
`;
    const input =
      reviewsV2 +
      drill('  unpushed: VirtualService/reviews') +
      istiod +
      productpage('\n      annotations: {kubectl.kubernetes.io/restartedAt: "2026-01-01T09:00:00Z"}');
    const status = cli(['proxy-status', '-'], { input });
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(
      /unable to find any Istiod instances \(Deployment istio-system\/istiod has replicas: 0/,
    );
    for (const from of ['productpage-v1', 'reviews-v1']) {
      const r = cli(['simulate', '-', '--to', 'reviews', '--from', from, '--requests', '300'], { input });
      expect(r.stdout, from).toMatch(/reviews v1 .* 3\d\.\d%/);
      expect(r.stdout, from).toMatch(/istiod is down/);
    }
  });
});
