// Failure modes of the live source, against the real API server: each is one clear
// line (a ClusterError; the CLI turns it into exit 2), and none of them hangs.
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzeLive } from '../../src/cli/analyze-live.ts';
import { UserError } from '../../src/cli/output.ts';
import { analyzeCluster } from '../../src/core/cluster/analyze-cluster.ts';
import { ClusterError } from '../../src/core/cluster/errors.ts';
import {
  apiServerAvailability,
  describeLive,
  kubeconfigYaml,
  startTestCluster,
  type TestCluster,
} from '../helpers/apiserver.ts';
import { bookinfoObjects, type Obj, RUN, Scratch } from './objects.ts';
import { readerRole } from './steps.ts';

const TEAM_A = `team-a-${RUN}`;
const TEAM_B = `team-b-${RUN}`;

async function failure(p: Promise<unknown>): Promise<ClusterError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClusterError) return e;
    throw e;
  }
  throw new Error('expected a ClusterError');
}

const ISTIO = [
  'virtualservices',
  'destinationrules',
  'gateways',
  'serviceentries',
  'sidecars',
  'proxyconfigs',
];
const SECURITY = ['peerauthentications', 'authorizationpolicies', 'requestauthentications'];
const external = (() => {
  const a = apiServerAvailability();
  return a.ok && a.mode === 'external';
})();

const WAR_STORY = (namespace: string) =>
  ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'reviews', namespace },
    spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] },
  }) as Obj;

describeLive('live analysis failure modes', () => {
  let cluster: TestCluster;
  let scratch: Scratch;
  beforeAll(async () => {
    cluster = await startTestCluster({ crds: false });
    scratch = new Scratch(cluster);
  }, 180_000);
  afterAll(async () => {
    await scratch?.undo();
    await cluster?.stop();
  });

  it.skipIf(external)('says when the Istio CRDs are not installed, and how to install them', async () => {
    const e = await failure(analyzeCluster({ kubeconfig: cluster.kubeconfig.admin, env: {} }));
    expect(e.failure).toBe('crds-missing');
    expect(e.message).toBe(
      "Istio's CRDs are not installed in context ica-test-admin: the API server does not serve networking.istio.io (VirtualService, DestinationRule, Gateway, ServiceEntry, Sidecar, ProxyConfig); install Istio (istioctl install --set profile=demo -y, or ica-trainer cluster up) and retry",
    );
    // Through the CLI entry point: a UserError (exit 2), the same line.
    const err = await runAnalyzeLive(
      { output: 'text', failureThreshold: 'Error', kubeconfig: cluster.kubeconfig.admin },
      { env: {}, write: async () => {} },
    ).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).message).toBe(e.message);
  });

  describe('with the CRDs installed', () => {
    beforeAll(async () => {
      await cluster.installCrds();
      for (const ns of [TEAM_A, TEAM_B]) {
        await scratch.namespace(ns);
        await scratch.apply(bookinfoObjects(ns));
        await scratch.applyOne(WAR_STORY(ns));
      }
      // alice: everything the analysis reads, in team-a only.
      await scratch.apply(
        readerRole(cluster, {
          name: 'mesh-reader',
          namespace: TEAM_A,
          user: 'alice',
          rules: [
            { apiGroups: ['networking.istio.io'], resources: ISTIO },
            { apiGroups: ['security.istio.io'], resources: SECURITY },
            { apiGroups: ['telemetry.istio.io'], resources: ['telemetries'] },
            { apiGroups: [''], resources: ['services', 'pods', 'secrets', 'configmaps'] },
          ],
        }),
      );
      // bob: Istio resources and Services in team-a, but no Pods or Secrets.
      await scratch.apply(
        readerRole(cluster, {
          name: 'istio-only',
          namespace: TEAM_A,
          user: 'bob',
          rules: [
            { apiGroups: ['networking.istio.io'], resources: ISTIO },
            { apiGroups: ['security.istio.io'], resources: SECURITY },
            { apiGroups: ['telemetry.istio.io'], resources: ['telemetries'] },
            { apiGroups: [''], resources: ['services'] },
          ],
        }),
      );
    }, 60_000);

    it('lets a user allowed one namespace analyse it', async () => {
      const r = await analyzeCluster({ kubeconfig: cluster.kubeconfig.alice, namespace: TEAM_A, env: {} });
      const codes = r.findings.map((f) => `${f.code} ${f.origin ?? '-'}`);
      expect(codes).toContain(`IST0101 VirtualService ${TEAM_A}/reviews`);
      // The cluster-wide lists were refused and the namespace lists used instead: said once, as Info.
      const info = r.findings.filter((f) => f.code === 'ICA0201');
      expect(info.every((f) => f.level === 'Info')).toBe(true);
      expect(info.map((f) => f.message)).toEqual([
        'Could not read the mesh config (ConfigMap istio-system/istio): forbidden; assuming outboundTrafficPolicy ALLOW_ANY',
        `Listed virtualservices.networking.istio.io, destinationrules.networking.istio.io, gateways.networking.istio.io, serviceentries.networking.istio.io, sidecars.networking.istio.io, proxyconfigs.networking.istio.io, peerauthentications.security.istio.io, authorizationpolicies.security.istio.io, requestauthentications.security.istio.io, telemetries.telemetry.istio.io, services, pods and secrets only in namespace ${TEAM_A}: listing them in all namespaces is forbidden`,
        // the installation's own objects are cluster-wide or in istio-system: their rules are skipped, and said so
        'Skipped configmaps: forbidden: cannot list configmaps in namespace istio-system; rules not run: install.mesh-config, install.proxy-image',
        // the Role grants no gateway.networking.k8s.io: waypoints are unknown, the ambient rules skipped
        `Skipped gateways.gateway.networking.k8s.io: forbidden: cannot list gateways.gateway.networking.k8s.io in namespace ${TEAM_A}; rules not run: ambient.l7-without-waypoint, ambient.waypoint-labels, gateway-api.references, security.custom-provider-waypoint`,
        `Skipped httproutes.gateway.networking.k8s.io: forbidden: cannot list httproutes.gateway.networking.k8s.io in namespace ${TEAM_A}; rules not run: ambient.l7-without-waypoint, ambient.waypoint-labels, gateway-api.references, security.custom-provider-waypoint`,
        'Skipped mutatingwebhookconfigurations.admissionregistration.k8s.io: forbidden: cannot list mutatingwebhookconfigurations.admissionregistration.k8s.io at cluster scope (all namespaces); rules not run: install.injection',
      ]);
      // Nothing from team-b leaked in.
      expect(r.live.load.resources.every((x) => x.namespace === TEAM_A || x.kind === 'Namespace')).toBe(true);
    });

    it('gives that user a clear error for another namespace', async () => {
      const e = await failure(
        analyzeCluster({ kubeconfig: cluster.kubeconfig.alice, namespace: TEAM_B, env: {} }),
      );
      expect(e.failure).toBe('forbidden');
      const user = cluster.mode === 'local' ? 'alice' : 'system:serviceaccount:ica-test-users:ica-test-alice';
      expect(e.message).toBe(
        `forbidden: cannot list virtualservices.networking.istio.io in namespace ${TEAM_B} (user "${user}"); ask for a Role that grants get/list on it, or choose a namespace you may read with -n`,
      );
      const all = await failure(
        analyzeCluster({ kubeconfig: cluster.kubeconfig.alice, allNamespaces: true, env: {} }),
      );
      expect(all.message).toMatch(
        /^forbidden: cannot list virtualservices\.networking\.istio\.io at cluster scope \(all namespaces\) \(user "[^"]+"\); ask for a ClusterRole/,
      );
    });

    it('reports partial results: kinds it may not list are skipped with Info findings, their rules not run', async () => {
      // A DestinationRule whose subset would select no pods if the pods were assumed absent.
      await scratch.applyOne({
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'reviews', namespace: TEAM_A },
        spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
      } as Obj);
      const r = await analyzeCluster({ kubeconfig: cluster.kubeconfig.bob, namespace: TEAM_A, env: {} });
      const skipped = r.findings.filter((f) => f.code === 'ICA0201').map((f) => f.message);
      expect(skipped).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^Skipped pods: forbidden: cannot list pods in namespace ${TEAM_A}; rules not run: .*destinationrule\\.targets`,
          ),
        ),
      );
      expect(skipped).toContainEqual(
        expect.stringMatching(
          new RegExp(`^Skipped secrets: forbidden: cannot list secrets in namespace ${TEAM_A}`),
        ),
      );
      expect(skipped).toContainEqual(
        'Could not read the mesh config (ConfigMap istio-system/istio): forbidden; assuming outboundTrafficPolicy ALLOW_ANY',
      );
      expect(r.live.missingKinds.sort()).toEqual([
        'ConfigMap',
        'MutatingWebhookConfiguration',
        'Pod',
        'Secret',
      ]);
      expect(r.skippedRules).toContain('destinationrule.targets');
      expect(r.skippedRules).toContain('gateway.workload');
      // The rules that could run still did; none reported pods as missing.
      expect(r.findings.map((f) => `${f.code} ${f.origin}`)).toContain(
        `IST0101 VirtualService ${TEAM_A}/reviews`,
      );
      expect(r.findings.some((f) => f.code === 'IST0173')).toBe(false);
    });

    it('says when the namespace does not exist', async () => {
      const e = await failure(
        analyzeCluster({ kubeconfig: cluster.kubeconfig.admin, namespace: 'nope', env: {} }),
      );
      expect(e.failure).toBe('namespace-missing');
      expect(e.message).toBe(
        `namespace "nope" does not exist in context ${cluster.context.admin}; check the name (kubectl get namespaces) or create it`,
      );
    });

    it('says when the credentials are invalid or expired (401)', async () => {
      const file = join(cluster.kubeconfig.admin, '..', 'kubeconfig-expired.yaml');
      writeFileSync(
        file,
        kubeconfigYaml({ server: cluster.server, context: 'expired', token: 'not-a-valid-token', user: 'x' }),
      );
      const e = await failure(analyzeCluster({ kubeconfig: file, env: {} }));
      expect(e.failure).toBe('unauthorized');
      expect(e.message).toBe(
        `the API server at ${cluster.server} rejected the credentials of context expired (401 Unauthorized): the token or client certificate is invalid or expired; refresh the kubeconfig (for kind: kind export kubeconfig --name NAME)`,
      );
    });
    it('says when the server certificate cannot be verified', async () => {
      const file = join(cluster.kubeconfig.admin, '..', 'kubeconfig-verify.yaml');
      writeFileSync(
        file,
        kubeconfigYaml({ server: cluster.server, context: 'strict', token: 'x', user: 'x', verify: true }),
      );
      const e = await failure(analyzeCluster({ kubeconfig: file, env: {} }));
      expect(e.failure).toBe('unreachable');
      expect(e.message).toMatch(
        new RegExp(
          `^cannot reach the API server at ${cluster.server.replaceAll('.', '\\.')} \\(context strict\\): TLS failed \\([A-Z_]+\\); check the cluster's certificate-authority-data in the kubeconfig$`,
        ),
      );
    });
  });
});

describe('live analysis without a usable server (no API server needed)', () => {
  let dir: string;
  let silent: Server;
  let silentPort = 0;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    dir = mkdtempSync(join(tmpdir(), 'ica-live-fail-'));
    // Accepts connections and never answers: a hung API server.
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  async function closedPort(): Promise<number> {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    await new Promise((r) => srv.close(r));
    return port;
  }

  function config(name: string, server: string): string {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, kubeconfigYaml({ server, context: name, token: 't', user: 'u' }));
    return file;
  }

  it('says the server is unreachable, quickly', async () => {
    const port = await closedPort();
    const started = Date.now();
    const e = await failure(
      analyzeCluster({ kubeconfig: config('gone', `https://127.0.0.1:${port}`), env: {} }),
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(e.failure).toBe('unreachable');
    expect(e.message).toBe(
      `cannot reach the API server at https://127.0.0.1:${port} (context gone): connection refused; is the cluster running? (ica-trainer cluster status)`,
    );
  });

  it('gives up on a server that does not answer, after the request timeout', async () => {
    const started = Date.now();
    const e = await failure(
      analyzeCluster({
        kubeconfig: config('slow', `https://127.0.0.1:${silentPort}`),
        timeoutMs: 400,
        env: {},
      }),
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(e.failure).toBe('timeout');
    expect(e.message).toBe(
      `the API server at https://127.0.0.1:${silentPort} (context slow) did not answer GET /apis/networking.istio.io within 400ms; it is overloaded or unreachable: retry, or allow more time with --request-timeout`,
    );
    // The CLI flag takes Go durations or seconds.
    const err = await runAnalyzeLive(
      {
        output: 'text',
        failureThreshold: 'Error',
        kubeconfig: config('slow2', `https://127.0.0.1:${silentPort}`),
        requestTimeout: '300ms',
      },
      { env: {}, write: async () => {} },
    ).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(
      /did not answer GET \/apis\/networking\.istio\.io within 300ms/,
    );
  });

  it('says there is no kubeconfig', async () => {
    const err = await runAnalyzeLive(
      { output: 'text', failureThreshold: 'Error' },
      { env: { HOME: dir }, write: async () => {} },
    ).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).message).toBe(
      `no kubeconfig: KUBECONFIG is not set and ${join(dir, '.kube', 'config')} does not exist; create a cluster with \`ica-trainer cluster up\`, or pass --kubeconfig FILE`,
    );
  });

  it('rejects bad flags as usage errors', async () => {
    const run = (flags: object) =>
      runAnalyzeLive(
        { output: 'text', failureThreshold: 'Error', ...flags },
        { env: {}, write: async () => {} },
      ).catch((x: unknown) => x);
    expect(((await run({ requestTimeout: 'soon' })) as Error).message).toBe(
      '--request-timeout "soon" is not a positive duration (for example 10s, 500ms or 30)',
    );
    expect(((await run({ allNamespaces: true, namespace: 'x' })) as Error).message).toMatch(
      /exclude each other/,
    );
  });
});
