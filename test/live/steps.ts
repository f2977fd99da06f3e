// Steps the live tests share: a cluster set up for one describe block, a Scratch undone
// after one step, waiting for the API server to catch up, a CRD served at another
// version or not at all, a rejected apply, the changes `lab watch --live` sees (and
// the command itself in a child process), analyze --live's JSON, a learner's Role.
import { spawn } from 'node:child_process';
import { ApiException } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect } from 'vitest';
import { runAnalyzeLive } from '../../src/cli/analyze-live.ts';
import { resolveKubeconfig } from '../../src/core/cluster/kubeconfig.ts';
import type { IstioKind } from '../../src/core/config/resource.ts';
import { watchIstio } from '../../src/core/labs/live-watch.ts';
import {
  applyCrd,
  applyObject,
  crdManifests,
  deleteObject,
  startTestCluster,
  type TestCluster,
  type TestUser,
} from '../helpers/apiserver.ts';
import { type Obj, Scratch, sleep } from './objects.ts';

export interface SharedCluster {
  readonly cluster: TestCluster;
  readonly scratch: Scratch;
}

/**
 * A test cluster and a Scratch for the tests of one describe block: started and `setup`
 * run before them, the Scratch undone and the cluster stopped after them.
 */
export function sharedCluster(
  setup: (scratch: Scratch, cluster: TestCluster) => Promise<void>,
  timeoutMs = 180_000,
): SharedCluster {
  let cluster: TestCluster | undefined;
  let scratch: Scratch | undefined;
  beforeAll(async () => {
    cluster = await startTestCluster();
    scratch = new Scratch(cluster);
    await setup(scratch, cluster);
  }, timeoutMs);
  afterAll(async () => {
    await scratch?.undo();
    await cluster?.stop();
  });
  return {
    get cluster() {
      if (!cluster) throw new Error('the test cluster did not start');
      return cluster;
    },
    get scratch() {
      if (!scratch) throw new Error('the test cluster did not start');
      return scratch;
    },
  };
}

/** Runs `step` with a Scratch of its own, undone afterwards whether the step passes or not. */
export async function withScratch<T>(cluster: TestCluster, step: (work: Scratch) => Promise<T>): Promise<T> {
  const work = new Scratch(cluster);
  try {
    return await step(work);
  } finally {
    await work.undo();
  }
}

/**
 * Reads until `done` holds or `ms` pass (the API server takes a moment to serve a changed
 * CRD); returns the last read, for the test to assert on.
 */
export async function readUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(200);
    value = await read();
  }
  return value;
}

/** Expects the API server to refuse `obj` with 422 (its CRD's schema) and a body matching `body`. */
export async function expectUnprocessable(cluster: TestCluster, obj: Obj, body: RegExp): Promise<void> {
  const e = await applyObject(cluster.objects, obj).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ApiException);
  expect((e as ApiException<unknown>).code).toBe(422);
  expect(String((e as ApiException<unknown>).body)).toMatch(body);
}

type Crd = Obj & { spec: { versions: { name: string; served: boolean; storage: boolean }[] } };

/**
 * Runs `step` while the CRD named `name` (of `manifest`) serves `version` only (and stores
 * it, with `storage`), then puts the CRD back as the manifest has it.
 */
export async function servingOnly<T>(
  cluster: TestCluster,
  crd: { manifest: string; name: string; version: string; storage?: boolean },
  step: () => Promise<T>,
): Promise<T> {
  const original = (crdManifests(crd.manifest) as Crd[]).find((c) => c.metadata.name.startsWith(crd.name));
  if (!original) throw new Error(`no CRD ${crd.name} in ${crd.manifest}`);
  const old = structuredClone(original);
  for (const v of old.spec.versions) {
    v.served = v.name === crd.version;
    if (crd.storage) v.storage = v.name === crd.version;
  }
  await applyCrd(cluster.admin, old);
  try {
    return await step();
  } finally {
    await applyCrd(cluster.admin, original);
  }
}

/** Runs `step` with the CRDs of `manifest` deleted, then installs the test cluster's CRDs again. */
export async function withoutCrds<T>(
  cluster: TestCluster,
  manifest: string,
  step: () => Promise<T>,
): Promise<T> {
  for (const crd of crdManifests(manifest)) await deleteObject(cluster.objects, crd);
  try {
    return await step();
  } finally {
    await cluster.installCrds();
  }
}

/**
 * The watch `lab watch --live` re-grades on, for the admin in `namespace`: what it reports
 * ("added AuthorizationPolicy typo" ...) and says (lost, back), and a wait until all of
 * `lines` have arrived (the initial list comes as ADDED events). Stop it in a finally.
 */
export function watchChanges(
  cluster: TestCluster,
  namespace: string,
  versions: Partial<Record<IstioKind, string>>,
) {
  const target = resolveKubeconfig({ kubeconfig: cluster.kubeconfig.admin, namespace, env: {} });
  const changes: string[] = [];
  const statuses: string[] = [];
  const w = watchIstio({
    target,
    namespace,
    versions,
    onChange: (what) => changes.push(what),
    onStatus: (message) => statuses.push(message),
  });
  return {
    changes,
    statuses,
    async waitFor(lines: string[], ms = 20_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!lines.every((l) => changes.includes(l)) && Date.now() < deadline) await sleep(50);
    },
    stop: () => w.stop(),
  };
}

/** `analyze --live -n namespace -o json` as the admin: its exit code and the JSON it prints. */
export async function analyzeLiveJson(
  cluster: TestCluster,
  namespace: string,
): Promise<{ code: number; json: string }> {
  const chunks: string[] = [];
  const code = await runAnalyzeLive(
    { failureThreshold: 'Error', kubeconfig: cluster.kubeconfig.admin, namespace, output: 'json' },
    { env: {}, write: async (t) => void chunks.push(t) },
  );
  return { code, json: chunks.join('') };
}

interface Rule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  /** default get, list and watch */
  verbs?: string[];
}

const READ = ['get', 'list', 'watch'];

/** A Role (reading all of `apiGroups`, or these `rules`) in `namespace`, and its binding to `user`. */
export function readerRole(
  cluster: TestCluster,
  options: { name: string; namespace: string; user: TestUser; apiGroups?: string[]; rules?: Rule[] },
): Obj[] {
  const { name, namespace, user } = options;
  const rules = (options.rules ?? [{ apiGroups: options.apiGroups ?? [], resources: ['*'] }]).map((r) => ({
    ...r,
    verbs: r.verbs ?? READ,
  }));
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules } as Obj,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${name}-${user}`, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [cluster.subject(user)],
    } as Obj,
  ];
}

/** A lab result's failing criteria as `id: reason` lines (empty when it passes). */
export const failing = (r: {
  criteria: readonly { id: string; pass: boolean; reason: string }[];
}): string[] => r.criteria.filter((c) => !c.pass).map((c) => `${c.id}: ${c.reason}`);

/** `ica-trainer lab watch ID --live` in a child process, as a learner runs it, with a way to wait for its output. */
export function startLabWatch(kubeconfig: string, id: string, namespace?: string) {
  const bin = new URL('../../bin/ica-trainer.js', import.meta.url).pathname;
  const args = ['lab', 'watch', id, '--live', '--kubeconfig', kubeconfig, '--debounce', '100'];
  if (namespace) args.push('-n', namespace);
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, NO_COLOR: '1', ICA_TRAINER_FROM_SOURCE: '1' },
  });
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return {
    /** where the output is now: wait for text after this mark */
    mark: () => out.length,
    /** all it printed so far */
    output: () => out,
    async waitFor(re: RegExp, from: number, ms = 60_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!re.test(out.slice(from))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; output:\n${out}`);
        await sleep(100);
      }
    },
    stop: () => child.kill('SIGINT'),
  };
}
