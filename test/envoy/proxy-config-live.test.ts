// proxy-config --live as a user runs it: the real binary with a recording
// fake istioctl on PATH (test/fixtures/fake-bin), scripted with what istioctl
// 1.26 prints for a Bookinfo cluster.
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeEnv, makeFakeEnv } from '../cluster/fake-env.ts';
import { runCli } from '../helpers/cli.ts';

const sample = (f: string) => new URL(`../fixtures/bookinfo-samples/${f}`, import.meta.url).pathname;

/** What istioctl prints on a cluster where only virtual-service-all-v1 is applied (and more services run). */
const CLUSTER_ROUTES = `NAME                                                          VHOST NAME                                                    DOMAINS                                               MATCH                  VIRTUAL SERVICE
9080                                                          details.default.svc.cluster.local:9080                        details, details.default + 1 more...                  /*                     details.default
9080                                                          productpage.default.svc.cluster.local:9080                    productpage, productpage.default + 1 more...          /*                     productpage.default
9080                                                          ratings.default.svc.cluster.local:9080                        ratings, ratings.default + 1 more...                  /*                     ratings.default
9080                                                          reviews.default.svc.cluster.local:9080                        reviews, reviews.default + 1 more...                  /*                     reviews.default
9153                                                          kube-dns.kube-system.svc.cluster.local:9153                   kube-dns.kube-system, 10.96.0.10                      /*                     
                                                              backend                                                       *                                                     /stats/prometheus*     
`;

let env: FakeEnv | undefined;
afterEach(() => env?.cleanup());

function run(args: string[], stdout: string, exitCode = 0, stderr = '') {
  env = makeFakeEnv({
    tools: ['istioctl'],
    world: { rules: [{ tool: 'istioctl', match: 'proxy-config', stdout, exitCode, stderr }] },
  });
  return runCli(['proxy-config', ...args, '--live', '--context', 'kind-ica'], { env: env.env });
}

describe('proxy-config --live', () => {
  it('asks istioctl the same question and says where the cluster differs from the prediction', () => {
    const r = run(
      [
        'routes',
        'deploy/productpage-v1',
        sample('virtual-service-all-v1.yaml'),
        sample('virtual-service-reviews-test-v2.yaml'),
        '--name',
        '9080',
      ],
      CLUSTER_ROUTES,
    );
    expect(env!.commands()).toEqual([
      'istioctl proxy-config routes deploy/productpage-v1 -n default --name 9080 --context kind-ica',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Predicted by ica-trainer \(from .*virtual-service-all-v1\.yaml .*\):$/m);
    expect(r.stdout).toMatch(
      /^The cluster \(istioctl proxy-config routes deploy\/productpage-v1 -n default --name 9080 --context kind-ica\):$/m,
    );
    expect(r.stdout).toMatch(
      /The cluster differs from the prediction \(1 cluster row about things the model does not have left out\):/,
    );
    // jason's route (test-v2) is predicted twice on reviews: the cluster has one row
    expect(r.stdout).toMatch(
      /^ {2}predicted, not on the cluster: {2}9080 {2}reviews\.default\.svc\.cluster\.local:9080 {2}\/\* {2}reviews\.default {2}\(2 rows predicted, 1 on the cluster\)$/m,
    );
  });

  it('agrees (exit 0) when the cluster has what the files predict', () => {
    const r = run(
      ['routes', 'deploy/productpage-v1', sample('virtual-service-all-v1.yaml'), '--name', '9080'],
      CLUSTER_ROUTES,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /The cluster agrees with the prediction \(1 cluster row about things the model does not have left out\)\./,
    );
  });

  it('istioctl failing or missing: one line, exit 2', () => {
    const r = run(['routes', 'deploy/productpage-v1'], '', 1, 'Error: pods "productpage-v1" not found\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /`istioctl proxy-config routes deploy\/productpage-v1 -n default --context kind-ica` failed: Error: pods "productpage-v1" not found/,
    );
    env!.cleanup();
    env = makeFakeEnv({ tools: [] });
    const missing = runCli(['proxy-config', 'routes', 'deploy/productpage-v1', '--live'], { env: env.env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/istioctl is not on PATH/);
  });
});

describe('comparing istioctl tables', () => {
  it('clusters: a subset the cluster lacks, and one it has that the files do not define', async () => {
    const { compareTables } = await import('../../src/core/envoy/live.ts');
    const predicted = `SERVICE FQDN                          PORT     SUBSET     DIRECTION     TYPE     DESTINATION RULE
reviews.default.svc.cluster.local     9080     -          outbound      EDS      reviews.default
reviews.default.svc.cluster.local     9080     v1         outbound      EDS      reviews.default
reviews.default.svc.cluster.local     9080     v2         outbound      EDS      reviews.default
`;
    const cluster = `SERVICE FQDN                               PORT      SUBSET     DIRECTION     TYPE     DESTINATION RULE
kube-dns.kube-system.svc.cluster.local     53        -          outbound      EDS      
reviews.default.svc.cluster.local          9080      -          outbound      EDS      reviews.default
reviews.default.svc.cluster.local          9080      v1         outbound      EDS      reviews.default
reviews.default.svc.cluster.local          9080      v3         outbound      EDS      reviews.default
`;
    expect(compareTables('clusters', predicted, cluster)).toEqual({
      onlyPredicted: ['reviews.default.svc.cluster.local  9080  v2  outbound  reviews.default'],
      onlyCluster: ['reviews.default.svc.cluster.local  9080  v3  outbound  reviews.default'],
      outOfScope: 1,
      agree: false,
    });
  });

  it('listeners (padding 1, cells with spaces) compare without addresses of services', async () => {
    const { compareTables } = await import('../../src/core/envoy/live.ts');
    const a = `ADDRESSES  PORT MATCH                                DESTINATION
10.96.0.12 443  ALL                                  Cluster: outbound|443||istio-ingressgateway.istio-system.svc.cluster.local
0.0.0.0    9080 Trans: raw_buffer; App: http/1.1,h2c Route: 9080
`;
    const b = `ADDRESSES     PORT MATCH                                DESTINATION
10.96.191.203 443  ALL                                  Cluster: outbound|443||istio-ingressgateway.istio-system.svc.cluster.local
0.0.0.0       9080 Trans: raw_buffer; App: http/1.1,h2c Route: 9080
`;
    expect(compareTables('listeners', a, b)?.agree).toBe(true);
    expect(compareTables('listeners', a, 'not a table')).toBeUndefined();
  });
});

/** istioctl 1.26 proxy-status on a Bookinfo cluster where reviews-v2's proxy has not acknowledged a push. */
const CLUSTER_STATUS = `NAME                                                   CLUSTER        CDS                LDS                EDS                RDS                  ECDS        ISTIOD                      VERSION
details-v1-65cfcf56f9-4k2wz.default                    Kubernetes     SYNCED (5m1s)      SYNCED (5m1s)      SYNCED (5m1s)      SYNCED (5m1s)        IGNORED     istiod-7d4c8f9b6d-x2x9q     1.26.2
istio-egressgateway-6c5d8b8f9-abcde.istio-system       Kubernetes     SYNCED (5m2s)      SYNCED (5m2s)      SYNCED (5m2s)      NOT SENT             IGNORED     istiod-7d4c8f9b6d-x2x9q     1.26.2
istio-ingressgateway-5d7b9c8f7-fghij.istio-system      Kubernetes     SYNCED (5m2s)      SYNCED (5m2s)      SYNCED (5m2s)      NOT SENT             IGNORED     istiod-7d4c8f9b6d-x2x9q     1.26.2
productpage-v1-d5789fdfb-9xk2m.default                 Kubernetes     SYNCED (5m1s)      SYNCED (5m1s)      SYNCED (5m1s)      SYNCED (5m1s)        IGNORED     istiod-7d4c8f9b6d-x2x9q     1.26.2
ratings-v1-7c9bd4b87f-2mzqp.default                    Kubernetes     SYNCED (5m1s)      SYNCED (5m1s)      SYNCED (5m1s)      SYNCED (5m1s)        IGNORED     istiod-7d4c8f9b6d-x2x9q     1.26.2
reviews-v1-6584ddcf65-7dwcb.default                    Kubernetes     SYNCED (5m1s)      SYNCED (5m1s)      SYNCED (5m1s)      SYNCED (5m1s)        IGNORED     istiod-7d4c8f9b6d-x2x9q     1.26.2
reviews-v2-6f85cb9b7c-h6m7p.default                    Kubernetes     STALE (5m1s)       SYNCED (5m1s)      SYNCED (5m1s)      STALE (5m1s)         IGNORED     istiod-7d4c8f9b6d-x2x9q     1.26.2
reviews-v3-6f5b775685-rprpb.default                    Kubernetes     SYNCED (5m1s)      SYNCED (5m1s)      SYNCED (5m1s)      SYNCED (5m1s)        IGNORED     istiod-7d4c8f9b6d-x2x9q     1.26.2
fortio-deploy-7c9f8b6d4-q2w3e.default                  Kubernetes     SYNCED (4m9s)      SYNCED (4m9s)      SYNCED (4m9s)      SYNCED (4m9s)        IGNORED     istiod-7d4c8f9b6d-x2x9q     1.26.2
`;

describe('proxy-status --live', () => {
  it('compares each workload proxy state with the prediction (pod hashes and ages aside)', () => {
    env = makeFakeEnv({
      tools: ['istioctl'],
      world: { rules: [{ tool: 'istioctl', match: 'proxy-status', stdout: CLUSTER_STATUS }] },
    });
    const r = runCli(['proxy-status', '--live', '--context', 'kind-ica'], { env: env.env });
    expect(env.commands()).toEqual(['istioctl proxy-status --context kind-ica']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /The cluster differs from the prediction \(1 proxies the model does not have left out\):/,
    );
    expect(r.stdout).toMatch(/^ {2}reviews-v2 \(default\): CDS predicted SYNCED, the cluster says STALE$/m);
    expect(r.stdout).toMatch(/^ {2}reviews-v2 \(default\): RDS predicted SYNCED, the cluster says STALE$/m);
    expect(r.stdout).not.toMatch(/reviews-v2 \(default\): LDS/);
    // a drill marking reviews-v2 STALE predicts every type stale: the cluster differs on LDS and EDS
    const drill =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ica-drill, namespace: istio-system}\ndata:\n  stale: reviews-v2\n';
    const agreeing = runCli(['proxy-status', '-', '--live'], { env: env.env, input: drill });
    expect(agreeing.stdout).toMatch(/reviews-v2 \(default\): LDS predicted STALE, the cluster says SYNCED/);
  });
});

describe('comparing endpoint tables', () => {
  it('counts endpoints per cluster, reading the older ENDPOINT header too', async () => {
    const { compareTables } = await import('../../src/core/envoy/live.ts');
    const predicted = `NAME                STATUS      LOCALITY     CLUSTER
10.244.0.6:9080     HEALTHY                  outbound|9080|v2|reviews.default.svc.cluster.local
`;
    const cluster = `ENDPOINT             STATUS      LOCALITY     CLUSTER
10.244.1.17:9080     HEALTHY                  outbound|9080|v2|reviews.default.svc.cluster.local
10.244.1.18:9080     HEALTHY                  outbound|9080|v2|reviews.default.svc.cluster.local
10.244.1.3:53        HEALTHY                  outbound|53||kube-dns.kube-system.svc.cluster.local
`;
    expect(compareTables('endpoints', predicted, cluster)).toEqual({
      onlyPredicted: ['outbound|9080|v2|reviews.default.svc.cluster.local (1 endpoint); the cluster has 2'],
      onlyCluster: [],
      outOfScope: 1,
      agree: false,
    });
  });
});
