// `analyze --live` against the real API server: what it reads, how, and that it
// prints what offline `analyze` prints for the same resources.
import { writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { dump, load, loadAll } from 'js-yaml';
import { expect, it } from 'vitest';
import { runAnalyzeLive } from '../../src/cli/analyze-live.ts';
import { analyzeCluster } from '../../src/core/cluster/analyze-cluster.ts';
import { loadCluster } from '../../src/core/cluster/live-source.ts';
import { analyzeText } from '../helpers/analyze.ts';
import { describeLive, kubeconfigYaml } from '../helpers/apiserver.ts';
import { runCli } from '../helpers/cli.ts';
import { bookinfoObjects, markReady, type Obj, RUN, Scratch } from './objects.ts';
import { sharedCluster } from './steps.ts';

const NS = `shop-${RUN}`;
const FIXED = `fixed-${RUN}`;

// The war story: 100% to v2 while the DestinationRule defines v1 and v3 only; written
// at v1alpha3, as older course material does.
const ISTIO_YAML = (ns: string) => `
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: reviews, namespace: ${ns}}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v2}
      weight: 100
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: reviews, namespace: ${ns}}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v3, labels: {version: v3}}
`;

function capture() {
  const chunks: string[] = [];
  return {
    write: async (t: string) => {
      chunks.push(t);
    },
    text: () => chunks.join(''),
  };
}

/** JSON findings without what only a file has (file:line:col), namespaces mapped to `default`. */
function comparable(json: string, ns: string): unknown[] {
  return (JSON.parse(json) as Record<string, unknown>[]).map((f) => {
    const { file: _f, line: _l, column: _c, ...rest } = f;
    return JSON.parse(JSON.stringify(rest).replaceAll(` ${ns}/`, ' default/'));
  });
}

describeLive('analyze --live', () => {
  const shared = sharedCluster(async (scratch) => {
    await scratch.namespace(NS);
    await scratch.apply(bookinfoObjects(NS));
    for (const doc of loadAll(ISTIO_YAML(NS)) as Obj[]) await scratch.applyOne(doc);
  });

  const flags = () => ({
    failureThreshold: 'Error' as const,
    kubeconfig: shared.cluster.kubeconfig.admin,
    namespace: NS,
  });

  it('prints the same JSON findings as offline analyze of the same resources', async () => {
    const out = capture();
    const code = await runAnalyzeLive({ ...flags(), output: 'json' }, { env: {}, write: out.write });
    expect(code).toBe(1);
    const offline = analyzeText(ISTIO_YAML('default'));
    const { findingsToJson } = await import('../../src/cli/format-findings.ts');
    expect(comparable(out.text(), NS)).toEqual(comparable(findingsToJson(offline.findings), 'default'));
    const live = JSON.parse(out.text()) as Record<string, unknown>[];
    expect(live.map((f) => [f.code, f.origin, f.path])).toEqual([
      ['IST0101', `VirtualService ${NS}/reviews`, 'spec.http[0].route[0].destination.subset'],
    ]);
    // A cluster object has no file position.
    expect(live.every((f) => f.file === undefined && f.line === undefined)).toBe(true);
  });

  it('runs as `ica-trainer analyze --live`: findings on stdout (exit 1), a cluster failure as one line (exit 2)', () => {
    const r = runCli([
      'analyze',
      '--live',
      '--kubeconfig',
      shared.cluster.kubeconfig.admin,
      '-n',
      NS,
      '-o',
      'json',
    ]);
    // (Node's own warnings aside, should any appear: runCli sets no FORCE_COLOR beside NO_COLOR.)
    const ours = (text: string) =>
      text.split('\n').filter((l) => l && !l.startsWith('(node:') && !l.startsWith('(Use `node'));
    expect(ours(r.stderr)).toEqual([]);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { code: string }[]).map((f) => f.code)).toEqual(['IST0101']);
    const missing = runCli([
      'analyze',
      '--live',
      '--kubeconfig',
      shared.cluster.kubeconfig.admin,
      '-n',
      `nope-${RUN}`,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(ours(missing.stderr)).toHaveLength(1);
    expect(missing.stderr).toContain(`namespace "nope-${RUN}" does not exist in context ica-test-admin`);
  });

  it('prints text grouped by resource, with the context and namespace in the summary', async () => {
    const out = capture();
    await runAnalyzeLive({ ...flags(), output: 'text' }, { env: {}, write: out.write, color: false });
    const text = out.text();
    expect(text).toContain(`VirtualService ${NS}/reviews\n  Error   IST0101 `);
    expect(text).toContain('at spec.http[0].route[0].destination.subset\n');
    expect(text.trimEnd().split('\n').pop()).toMatch(
      new RegExp(
        `^1 error, 0 warnings, 0 infos in \\d+ resources from context ica-test-admin, namespace ${NS}\\.$`,
      ),
    );
  });

  it('passes once the DestinationRule defines the subset, and says so', async () => {
    await shared.scratch.namespace(FIXED);
    await shared.scratch.apply(bookinfoObjects(FIXED));
    await shared.scratch.applyOne({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: FIXED },
      spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] },
    } as Obj);
    await shared.scratch.applyOne({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: FIXED },
      spec: { host: 'reviews', subsets: [{ name: 'v2', labels: { version: 'v2' } }] },
    } as Obj);
    const out = capture();
    const code = await runAnalyzeLive(
      { ...flags(), namespace: FIXED, output: 'text' },
      { env: {}, write: out.write, color: false },
    );
    expect(code).toBe(0);
    expect(out.text()).toMatch(
      new RegExp(
        `^✔ No validation issues found when analyzing \\d+ resources from context ica-test-admin, namespace ${FIXED}\\.\n$`,
      ),
    );
  });

  it('reads with one request per kind, at the version the server prefers', async () => {
    const live = await loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} });
    // discovery (group + version, for networking, security and telemetry.istio.io, and
    // networking's v1beta1, where ProxyConfig is served), the namespace, 10 Istio kinds,
    // services, pods, deployments, secrets, namespaces, webhooks and istio-system's
    // ConfigMaps (the mesh configs among them), Gateway API discovery (group, v1, v1beta1)
    // and its gateways and httproutes
    expect(live.requests).toBe(30);
    expect(live.istioVersions).toEqual({
      VirtualService: 'v1',
      DestinationRule: 'v1',
      Gateway: 'v1',
      ServiceEntry: 'v1',
      Sidecar: 'v1',
      PeerAuthentication: 'v1',
      AuthorizationPolicy: 'v1',
      RequestAuthentication: 'v1',
      ProxyConfig: 'v1beta1',
      Telemetry: 'v1',
    });
    const vs = live.load.resources.find((r) => r.kind === 'VirtualService' && r.namespace === NS);
    expect(vs?.apiVersion).toBe('networking.istio.io/v1');
    expect(vs?.origin).toEqual({ cluster: 'ica-test-admin' });
    expect(vs?.locate(['spec', 'hosts'])).toEqual({});
    const kinds = new Set(live.load.resources.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(['DestinationRule', 'Namespace', 'Pod', 'Service', 'VirtualService']);
    expect(live.notes).toEqual([]);
  });

  it('never reads secret data: Secrets are listed as metadata only', async () => {
    await shared.scratch.applyOne({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bookinfo-credential', namespace: NS, labels: { purpose: 'tls' } },
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': Buffer.from('CERT').toString('base64'),
        'tls.key': Buffer.from('KEY').toString('base64'),
      },
    } as Obj);
    const live = await loadCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} });
    const secret = live.load.resources.find((r) => r.kind === 'Secret' && r.name === 'bookinfo-credential');
    expect(secret?.labels).toEqual({ purpose: 'tls' });
    expect(Object.keys(secret?.raw ?? {}).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    const all = JSON.stringify(live.load.resources.map((r) => r.raw));
    expect(all).not.toContain(Buffer.from('KEY').toString('base64'));
  });

  it('reads pod labels and readiness', async () => {
    const pods = bookinfoObjects(NS).filter((o) => o.kind === 'Pod') as Obj[];
    const v3 = pods.find((p) => p.metadata.name === 'reviews-v3-0') as Obj;
    await markReady(shared.cluster, v3, false);
    try {
      const r = await analyzeCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} });
      const workloads = r.snapshot.workloads(NS);
      expect(workloads.find((w) => w.name === 'reviews-v3-0')).toMatchObject({
        labels: { app: 'reviews', version: 'v3' },
        ready: false,
      });
      expect(workloads.find((w) => w.name === 'reviews-v1-0')?.ready).toBe(true);
    } finally {
      await markReady(shared.cluster, v3, true);
    }
  });

  it('drops what the server pruned: a misspelled field never reaches the cluster', async () => {
    const typo = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings, namespace: ${NS}}
spec:
  hosts: [ratings]
  http:
  - route:
    - destination: {host: ratings}
      weigth: 100
`;
    await shared.scratch.applyOne(load(typo) as Obj);
    const offline = analyzeText(typo.replace(NS, 'default'));
    expect(offline.findings.map((f) => f.code)).toContain('ICA0101');
    const live = await analyzeCluster({
      kubeconfig: shared.cluster.kubeconfig.admin,
      namespace: NS,
      env: {},
    });
    const vs = live.load.resources.find((r) => r.kind === 'VirtualService' && r.name === 'ratings');
    expect(JSON.stringify(vs?.raw.spec)).not.toContain('weigth');
    expect(live.findings.filter((f) => f.origin === `VirtualService ${NS}/ratings`)).toEqual([]);
  });

  it('takes the namespace from the context, and the context from a merged KUBECONFIG', async () => {
    const dir = join(shared.cluster.kubeconfig.admin, '..');
    const withNs = join(dir, 'kubeconfig-admin-shop.yaml');
    const token = ((await import('node:fs'))
      .readFileSync(shared.cluster.kubeconfig.admin, 'utf8')
      .match(/"token":"([^"]+)"/) ?? [])[1] as string;
    writeFileSync(
      withNs,
      kubeconfigYaml({
        server: shared.cluster.server,
        context: 'admin-shop',
        token,
        user: 'admin-shop',
        namespace: NS,
      }),
    );
    const env = { KUBECONFIG: [shared.cluster.kubeconfig.alice, withNs].join(delimiter) };
    // alice's file comes first, so its context is current; --context picks the other one.
    const r = await analyzeCluster({ context: 'admin-shop', env });
    expect(r.live.context).toBe('admin-shop');
    expect(r.live.namespace).toBe(NS);
    expect(r.findings.map((f) => `${f.code} ${f.origin}`)).toContain(`IST0101 VirtualService ${NS}/reviews`);
  });

  it('reads the mesh config from the istio ConfigMap', async () => {
    const mesh = new Scratch(shared.cluster);
    await mesh.namespace('istio-system');
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'httpbin', namespace: NS },
      spec: { hosts: ['httpbin.org'], http: [{ route: [{ destination: { host: 'httpbin.org' } }] }] },
    } as Obj;
    await mesh.applyOne(vs);
    const codes = async () =>
      (await analyzeCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} })).findings
        .filter((f) => f.origin === `VirtualService ${NS}/httpbin`)
        .map((f) => f.code)
        .sort();
    expect(await codes()).toEqual(['IST0101']);
    await mesh.applyOne({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio', namespace: 'istio-system' },
      data: { mesh: dump({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }) },
    } as Obj);
    expect(await codes()).toEqual(['ICA1004', 'IST0101']);
    const r = await analyzeCluster({ kubeconfig: shared.cluster.kubeconfig.admin, namespace: NS, env: {} });
    expect(r.snapshot.mesh).toEqual({ outboundMode: 'REGISTRY_ONLY', source: 'cluster' });
    await mesh.undo();
    expect(await codes()).toEqual([]);
  });
});
