// A real Kubernetes API server for the live tests (shared/test-apiserver.md).
//
// Local mode (the default): etcd and kube-apiserver from KUBEBUILDER_ASSETS, or from the
// cache that scripts/test-apiserver/provision.sh fills, started on free loopback ports in
// a fresh temp dir, with a token file: an admin in system:masters and plain users that
// get only what RBAC grants them. Stopped by their own pids.
//
// External mode: ICA_TEST_KUBECONFIG names the kubeconfig of an existing cluster (kind,
// say) whose current context is an admin. Plain users are ServiceAccounts with tokens
// from the TokenRequest API.
//
// Suites use `describeLive`: without a server they are skipped with a visible reason,
// except under CI, where a missing server fails the run.
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { load } from 'js-yaml';
import { describe, it } from 'vitest';

export const TEST_USERS = ['alice', 'bob', 'carol'] as const;
export type TestUser = (typeof TEST_USERS)[number];

export const CRD_MANIFEST = new URL('../fixtures/crds/istio-networking.yaml', import.meta.url).pathname;
/** PeerAuthentication, AuthorizationPolicy, RequestAuthentication (security.istio.io v1 and v1beta1). */
export const SECURITY_CRD_MANIFEST = new URL('../fixtures/crds/istio-security.yaml', import.meta.url)
  .pathname;
/** Telemetry (telemetry.istio.io v1 and v1alpha1). */
export const TELEMETRY_CRD_MANIFEST = new URL('../fixtures/crds/istio-telemetry.yaml', import.meta.url)
  .pathname;
/** Gateway and HTTPRoute (gateway.networking.k8s.io v1 and v1beta1, Gateway API 1.3's standard channel). */
export const GATEWAY_API_CRD_MANIFEST = new URL('../fixtures/crds/gateway-api.yaml', import.meta.url)
  .pathname;

export interface Subject {
  kind: 'User' | 'ServiceAccount';
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface TestCluster {
  mode: 'local' | 'external';
  server: string;
  /** kubeconfig files, one per user (`admin` and TEST_USERS), each with one context */
  kubeconfig: Record<'admin' | TestUser, string>;
  /** the context name in each kubeconfig */
  context: Record<'admin' | TestUser, string>;
  /** the RBAC subject of a plain user */
  subject(user: TestUser): Subject;
  admin: KubeConfig;
  objects: KubernetesObjectApi;
  /** installs the project's Istio networking and security CRDs and the Gateway API's, and waits until they are served */
  installCrds(): Promise<void>;
  /** local mode: stop the kube-apiserver (etcd keeps the data) and start it again on the same port */
  restartApiServer?(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

export type Availability =
  | { ok: true; mode: 'local'; assets: string }
  | { ok: true; mode: 'external'; kubeconfig: string }
  | { ok: false; reason: string };

function cacheDir(): string {
  return (
    process.env.ICA_APISERVER_CACHE ??
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ica-trainer')
  );
}

function hasAssets(dir: string | undefined): dir is string {
  return !!dir && existsSync(join(dir, 'kube-apiserver')) && existsSync(join(dir, 'etcd'));
}

/** Where the test API server comes from, or why there is none. */
export function apiServerAvailability(): Availability {
  const external = process.env.ICA_TEST_KUBECONFIG;
  if (external) {
    if (!existsSync(external)) return { ok: false, reason: `ICA_TEST_KUBECONFIG=${external} does not exist` };
    return { ok: true, mode: 'external', kubeconfig: external };
  }
  const kb = process.env.KUBEBUILDER_ASSETS;
  if (hasAssets(kb)) return { ok: true, mode: 'local', assets: kb };
  const pointer = join(cacheDir(), 'current-assets');
  const cached = existsSync(pointer) ? readFileSync(pointer, 'utf8').trim() : undefined;
  if (hasAssets(cached)) return { ok: true, mode: 'local', assets: cached };
  return {
    ok: false,
    reason:
      'no kube-apiserver and etcd: run scripts/test-apiserver/provision.sh (or set KUBEBUILDER_ASSETS, or ICA_TEST_KUBECONFIG for an existing cluster)',
  };
}

/**
 * `describe` for suites that need the API server. Without one they are skipped with a
 * warning; under CI (CI set) they fail instead, so that CI never passes by skipping.
 */
export function describeLive(name: string, fn: () => void): void {
  const a = apiServerAvailability();
  if (a.ok) {
    describe(name, fn);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      it('has a test API server (required under CI)', () => {
        throw new Error(`CI is set but the live tests cannot run: ${a.reason}`);
      });
    });
    return;
  }
  console.warn(`[live tests] skipping "${name}": ${a.reason}`);
  describe.skip(name, fn);
}

// ---------------------------------------------------------------------------------------
// Processes

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) if (p.pid && p.exitCode === null) p.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function startProcess(bin: string, args: string[], log: string): ChildProcess {
  const fd = openSync(log, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GETs `url` until it answers 200 or `deadline`; fails early when `child` exits. */
async function waitFor(
  what: string,
  child: ChildProcess,
  log: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) while starting:\n${tail(log)}`);
    }
    if (await probe().catch(() => false)) return;
    await sleep(150);
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000}s:\n${tail(log)}`);
}

function httpsGet(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false, timeout: 2000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------
// Kubeconfigs

export function kubeconfigYaml(options: {
  server: string;
  context: string;
  token: string;
  user: string;
  namespace?: string;
  caData?: string;
  /** verify the server certificate against the system CAs (default: skip verification, unless caData) */
  verify?: boolean;
}): string {
  const cluster = options.caData
    ? { server: options.server, 'certificate-authority-data': options.caData }
    : options.verify
      ? { server: options.server }
      : { server: options.server, 'insecure-skip-tls-verify': true };
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: options.context, cluster }],
    users: [{ name: options.user, user: { token: options.token } }],
    contexts: [
      {
        name: options.context,
        context: {
          cluster: options.context,
          user: options.user,
          ...(options.namespace ? { namespace: options.namespace } : {}),
        },
      },
    ],
    'current-context': options.context,
  });
}

// ---------------------------------------------------------------------------------------
// Objects

/** Creates an object; an existing one is replaced (a small `kubectl apply`). */
export async function applyObject<T extends KubernetesObject>(api: KubernetesObjectApi, obj: T): Promise<T> {
  try {
    return await api.create(obj);
  } catch (e) {
    if (!(e instanceof ApiException) || e.code !== 409) throw e;
    const current = await api.read(obj as KubernetesObject & { metadata: { name: string } });
    return api.replace({
      ...obj,
      ...serviceAddresses(obj, current),
      metadata: { ...obj.metadata, resourceVersion: current.metadata?.resourceVersion },
    } as T);
  }
}

/**
 * A Service's cluster IP cannot be unset by a replace: keep the one it has, as
 * `kubectl apply` does (its patch leaves fields the manifest does not name).
 */
function serviceAddresses(obj: KubernetesObject, current: KubernetesObject): { spec?: unknown } {
  if (obj.kind !== 'Service') return {};
  const spec = ((obj as { spec?: Record<string, unknown> }).spec ?? {}) as Record<string, unknown>;
  const now = ((current as { spec?: Record<string, unknown> }).spec ?? {}) as Record<string, unknown>;
  if (spec.clusterIP !== undefined || now.clusterIP === undefined) return {};
  return { spec: { ...spec, clusterIP: now.clusterIP, clusterIPs: now.clusterIPs } };
}

/** Deletes an object; a missing one is fine. */
export async function deleteObject(api: KubernetesObjectApi, obj: KubernetesObject): Promise<void> {
  try {
    await api.delete(obj, undefined, undefined, 0);
  } catch (e) {
    if (!(e instanceof ApiException) || e.code !== 404) throw e;
  }
}

/** The CRDs of one fixture file (default: the networking kinds). */
export function crdManifests(file: string = CRD_MANIFEST): KubernetesObject[] {
  const list = load(readFileSync(file, 'utf8')) as { items: KubernetesObject[] };
  return list.items;
}

/** One request to the API server as the admin, the body sent as JSON exactly as given. */
async function rawRequest(
  kc: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const url = new URL(path, cluster.server);
  const opts: import('node:https').RequestOptions = {
    method,
    headers: { 'content-type': 'application/json' },
  };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const req = request(url, opts, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/**
 * Creates or replaces a CRD without the client's typed serializer, which drops the
 * `enum` of every schema property (it expects `_enum`): sent as written, the API server
 * rejects unknown enum values as a cluster with Istio does.
 */
export async function applyCrd(kc: KubeConfig, crd: KubernetesObject): Promise<void> {
  const base = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const created = await rawRequest(kc, 'POST', base, crd);
  if (created.status < 300) return;
  if (created.status !== 409)
    throw new Error(`creating CRD ${crd.metadata?.name}: ${created.status} ${created.body}`);
  const path = `${base}/${crd.metadata?.name}`;
  const current = JSON.parse((await rawRequest(kc, 'GET', path)).body) as KubernetesObject;
  const replaced = await rawRequest(kc, 'PUT', path, {
    ...crd,
    metadata: { ...crd.metadata, resourceVersion: current.metadata?.resourceVersion },
  });
  if (replaced.status >= 300)
    throw new Error(`replacing CRD ${crd.metadata?.name}: ${replaced.status} ${replaced.body}`);
}

async function installCrds(objects: KubernetesObjectApi, kc: KubeConfig): Promise<void> {
  const crds = [
    ...crdManifests(),
    ...crdManifests(SECURITY_CRD_MANIFEST),
    ...crdManifests(TELEMETRY_CRD_MANIFEST),
    ...crdManifests(GATEWAY_API_CRD_MANIFEST),
  ];
  for (const crd of crds) await applyCrd(kc, crd);
  // Established, and served by discovery (what the live source reads first).
  const deadline = Date.now() + 30_000;
  for (const crd of crds) {
    for (;;) {
      const current = (await objects.read(crd as KubernetesObject & { metadata: { name: string } })) as {
        status?: { conditions?: { type: string; status: string }[] };
      };
      if (current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata?.name} not established within 30s`);
      await sleep(100);
    }
  }
  for (;;) {
    try {
      await objects.list('networking.istio.io/v1', 'ServiceEntry', 'default');
      await objects.list('networking.istio.io/v1alpha3', 'VirtualService', 'default');
      await objects.list('security.istio.io/v1', 'AuthorizationPolicy', 'default');
      await objects.list('security.istio.io/v1beta1', 'PeerAuthentication', 'default');
      await objects.list('networking.istio.io/v1beta1', 'ProxyConfig', 'default');
      await objects.list('telemetry.istio.io/v1', 'Telemetry', 'default');
      await objects.list('gateway.networking.k8s.io/v1', 'HTTPRoute', 'default');
      await objects.list('gateway.networking.k8s.io/v1', 'Gateway', 'default');
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(100);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Start

export interface StartOptions {
  /** install the Istio networking and security CRDs (default true) */
  crds?: boolean;
}

/** Starts a test API server (or connects to ICA_TEST_KUBECONFIG's cluster). */
export async function startTestCluster(options: StartOptions = {}): Promise<TestCluster> {
  const a = apiServerAvailability();
  if (!a.ok) throw new Error(a.reason);
  const cluster = a.mode === 'local' ? await startLocal(a.assets) : await connectExternal(a.kubeconfig);
  if (options.crds !== false) await cluster.installCrds();
  return cluster;
}

async function startLocal(assets: string): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'ica-apiserver-'));
  mkdirSync(join(dir, 'certs'));
  const tokens: Record<'admin' | TestUser, string> = {
    admin: randomBytes(16).toString('hex'),
    alice: randomBytes(16).toString('hex'),
    bob: randomBytes(16).toString('hex'),
    carol: randomBytes(16).toString('hex'),
  };
  writeFileSync(
    join(dir, 'tokens.csv'),
    [
      `${tokens.admin},admin,uid-admin,"system:masters"`,
      ...TEST_USERS.map((u) => `${tokens[u]},${u},uid-${u},"ica:learners"`),
    ].join('\n') + '\n',
  );
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));

  let etcd: ChildProcess | undefined;
  let apiserver: ChildProcess | undefined;
  const stop = async () => {
    if (apiserver) await stopProcess(apiserver);
    if (etcd) await stopProcess(etcd);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [etcdPort, peerPort, securePort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const etcdLog = join(dir, 'etcd.log');
    etcd = startProcess(
      join(assets, 'etcd'),
      [
        '--name=ica-test',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=ica-test=${peerUrl}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      etcdLog,
    );
    await waitFor(
      'etcd',
      etcd,
      etcdLog,
      async () => (await fetch(`${etcdUrl}/health`, { signal: AbortSignal.timeout(1000) })).ok,
      30_000,
    );
    const apiLog = join(dir, 'kube-apiserver.log');
    const apiArgs = [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      '--insecure-port=0',
      `--cert-dir=${join(dir, 'certs')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`,
      '--authorization-mode=RBAC',
      `--service-account-key-file=${join(dir, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc',
      '--service-cluster-ip-range=10.96.0.0/16',
      '--enable-priority-and-fairness=false',
      '--v=0',
    ];
    const server = `https://127.0.0.1:${securePort}`;
    const launch = async (): Promise<void> => {
      apiserver = startProcess(join(assets, 'kube-apiserver'), apiArgs, apiLog);
      await waitFor(
        'kube-apiserver',
        apiserver,
        apiLog,
        async () => (await httpsGet(`${server}/readyz`, tokens.admin)).status === 200,
        90_000,
      );
    };
    await launch();
    const restartApiServer = async (options: { downMs?: number } = {}): Promise<void> => {
      if (apiserver) await stopProcess(apiserver);
      apiserver = undefined;
      await new Promise((resolve) => setTimeout(resolve, options.downMs ?? 0));
      await launch();
    };
    const users = ['admin', ...TEST_USERS] as const;
    const kubeconfig = {} as Record<'admin' | TestUser, string>;
    const context = {} as Record<'admin' | TestUser, string>;
    for (const u of users) {
      context[u] = `ica-test-${u}`;
      kubeconfig[u] = join(dir, `kubeconfig-${u}.yaml`);
      writeFileSync(
        kubeconfig[u],
        kubeconfigYaml({ server, context: context[u], token: tokens[u], user: u }),
      );
    }
    const admin = new KubeConfig();
    admin.loadFromFile(kubeconfig.admin);
    const objects = KubernetesObjectApi.makeApiClient(admin);
    return {
      mode: 'local',
      server,
      kubeconfig,
      context,
      subject: (user) => ({ kind: 'User', name: user, apiGroup: 'rbac.authorization.k8s.io' }),
      admin,
      objects,
      installCrds: () => installCrds(objects, admin),
      restartApiServer,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function connectExternal(file: string): Promise<TestCluster> {
  const admin = new KubeConfig();
  admin.loadFromFile(file);
  const objects = KubernetesObjectApi.makeApiClient(admin);
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error(`ICA_TEST_KUBECONFIG=${file} has no current cluster`);
  const dir = mkdtempSync(join(tmpdir(), 'ica-external-'));
  const usersNs = 'ica-test-users';
  await applyObject(objects, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: usersNs } });
  const kubeconfig = { admin: file } as Record<'admin' | TestUser, string>;
  const context = { admin: admin.getCurrentContext() } as Record<'admin' | TestUser, string>;
  const caData = cluster.caData;
  for (const u of TEST_USERS) {
    const name = `ica-test-${u}`;
    await applyObject(objects, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: usersNs },
    });
    const token = await requestToken(admin, usersNs, name);
    context[u] = name;
    kubeconfig[u] = join(dir, `kubeconfig-${u}.yaml`);
    writeFileSync(
      kubeconfig[u],
      kubeconfigYaml({
        server: cluster.server,
        context: name,
        token,
        user: name,
        ...(caData ? { caData } : {}),
      }),
    );
  }
  return {
    mode: 'external',
    server: cluster.server,
    kubeconfig,
    context,
    subject: (user) => ({ kind: 'ServiceAccount', name: `ica-test-${user}`, namespace: usersNs }),
    admin,
    objects,
    installCrds: async () => {
      // A cluster with Istio already has them; install ours only where they are missing.
      try {
        await objects.list('networking.istio.io/v1', 'VirtualService', 'default');
      } catch {
        await installCrds(objects, admin);
      }
    },
    stop: async () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function requestToken(admin: KubeConfig, namespace: string, name: string): Promise<string> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = admin.makeApiClient(CoreV1Api);
  const res = await core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: [], expirationSeconds: 3600 },
    },
  });
  const token = res.status?.token;
  if (!token) throw new Error(`no token for ServiceAccount ${namespace}/${name}`);
  return token;
}
