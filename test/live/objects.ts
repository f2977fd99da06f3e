// Kubernetes objects for the live tests: the Bookinfo model as Services and Pods (no
// controllers run on the test API server, so the Pods a Deployment would make are
// created directly, and marked Running and Ready through the status subresource).
import { readFileSync } from 'node:fs';
import { ApiException, CoreV1Api, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import { load } from 'js-yaml';
import { bookinfoManifests, gatewayManifests } from '../../src/core/config/bookinfo.ts';
import { applyObject, deleteObject, type TestCluster } from '../helpers/apiserver.ts';
import { injectedContainers } from '../helpers/yaml-objects.ts';

type Obj = KubernetesObject & { metadata: { name: string; namespace?: string }; [k: string]: unknown };

/**
 * Two characters that differ from run to run, for namespace names: on an existing cluster
 * a namespace deleted by the previous run may still be terminating.
 */
export const RUN = Math.random().toString(36).slice(2, 4).padEnd(2, '0');

/** JSON findings without what only a file has, the namespace mapped to `default`. */
export function comparable(json: string, ns: string): unknown[] {
  return (JSON.parse(json) as Record<string, unknown>[]).map((f) => {
    const { file: _f, line: _l, column: _c, ...rest } = f;
    return JSON.parse(JSON.stringify(rest).replaceAll(ns, 'default'));
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function key(o: { kind?: string; metadata?: { namespace?: string; name?: string } }): string {
  return `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
}

/** The Pod a Deployment would run (one, whatever the replicas; none for replicas: 0). */
export function podFor(deployment: Record<string, unknown>): Obj[] {
  const meta = deployment.metadata as { name: string; namespace?: string };
  const spec = (deployment.spec ?? {}) as {
    replicas?: number;
    template?: {
      metadata?: { labels?: Record<string, string> };
      spec?: { containers?: unknown[]; serviceAccountName?: string };
    };
  };
  if (spec.replicas === 0) return [];
  const containers = injectedContainers(meta.namespace, spec.template);
  return [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${meta.name}-0`,
        ...(meta.namespace ? { namespace: meta.namespace } : {}),
        labels: spec.template?.metadata?.labels ?? {},
      },
      // No ServiceAccount token: nothing here creates the token Secrets one would need.
      // The account stays: it is the workload's mTLS identity (principals match it).
      spec: {
        automountServiceAccountToken: false,
        ...(spec.template?.spec?.serviceAccountName
          ? { serviceAccountName: spec.template.spec.serviceAccountName }
          : {}),
        containers,
      },
    },
  ];
}

/** Manifests as the cluster would hold them: Deployments become Pods. */
export function clusterObjects(manifests: readonly Record<string, unknown>[]): Obj[] {
  const out: Obj[] = [];
  for (const m of manifests) {
    if (m.kind === 'Deployment') out.push(...podFor(m));
    else out.push(structuredClone(m) as Obj);
  }
  return out;
}

export function bookinfoObjects(namespace: string): Obj[] {
  return clusterObjects(bookinfoManifests(namespace));
}

export function gatewayObjects(): Obj[] {
  return clusterObjects(gatewayManifests());
}

/**
 * The TLS labs' credential Secrets in istio-system, as their READMEs have the learner create
 * them: bookinfo-credential and partner-credential (test certificates for their hosts; the
 * partner's with the partners' CA as ca.crt).
 */
export function credentialSecrets(): Obj[] {
  return ['bookinfo-credential.yaml', 'partner-credential.yaml'].map(
    (f) => load(readFileSync(new URL(`../fixtures/sim/${f}`, import.meta.url), 'utf8')) as Obj,
  );
}

/** Marks a Pod Running and Ready, as the kubelet would. */
export async function markReady(cluster: TestCluster, pod: Obj, ready = true): Promise<void> {
  const core = cluster.admin.makeApiClient(CoreV1Api);
  const name = pod.metadata.name;
  const namespace = pod.metadata.namespace ?? 'default';
  const current = await core.readNamespacedPod({ name, namespace });
  const now = new Date();
  const status = ready ? 'True' : 'False';
  const body: V1Pod = {
    ...current,
    status: {
      phase: 'Running',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
        { type: 'Ready', status, lastTransitionTime: now },
        { type: 'ContainersReady', status, lastTransitionTime: now },
      ],
    },
  };
  await core.replaceNamespacedPodStatus({ name, namespace, body });
}

/** Labels no node has: on a real cluster (external mode) the test Pods are never scheduled or run. */
export const NEVER_SCHEDULED = { 'ica-trainer.dev/test-pod': 'never-scheduled' };

function serverFieldsRemoved(o: Obj): Obj {
  const {
    resourceVersion: _r,
    uid: _u,
    creationTimestamp: _c,
    managedFields: _m,
    ...metadata
  } = o.metadata as unknown as Record<string, unknown>;
  const { status: _s, ...rest } = o;
  return { ...rest, metadata } as unknown as Obj;
}

function isStatus(e: unknown, code: number): boolean {
  return e instanceof ApiException && e.code === code;
}

/**
 * What a test creates, undone afterwards: objects it created are deleted, objects it
 * replaced get their old content back. So the tests leave an existing cluster
 * (ICA_TEST_KUBECONFIG) as they found it. Pods are marked Ready; on a real cluster they
 * carry a nodeSelector no node matches, so nothing runs.
 */
export class Scratch {
  readonly cluster: TestCluster;
  private readonly created = new Map<string, Obj>();
  private readonly replaced = new Map<string, Obj>();
  /** namespaces this scratch created: nothing in them can have existed before */
  private readonly fresh = new Set<string>();

  constructor(cluster: TestCluster) {
    this.cluster = cluster;
  }

  /**
   * Creates the namespace unless it exists. Test namespaces (with RUN in their names) are
   * deleted afterwards on an existing cluster; shared ones such as istio-system are kept,
   * so that the next run does not find them still terminating.
   */
  async namespace(name: string): Promise<void> {
    const ns: Obj = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    try {
      await this.cluster.objects.read(ns);
      return;
    } catch (e) {
      if (!isStatus(e, 404)) throw e;
    }
    await applyObject(this.cluster.objects, ns);
    this.created.set(key(ns), ns);
    this.fresh.add(name);
  }

  /**
   * Creates or replaces objects (in parallel); first the ServiceAccounts the Pods run as
   * ("default" unless they name one): the API server admits no Pod without its account.
   */
  async apply(objects: readonly Obj[]): Promise<void> {
    const accounts = new Map<string, { name: string; namespace: string }>();
    for (const o of objects) {
      if (o.kind !== 'Pod') continue;
      const namespace = o.metadata.namespace ?? 'default';
      const name = (o.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default';
      accounts.set(`${namespace}/${name}`, { name, namespace });
      accounts.set(`${namespace}/default`, { name: 'default', namespace });
    }
    await Promise.all(
      [...accounts.values()].map((metadata) =>
        this.ensure({ apiVersion: 'v1', kind: 'ServiceAccount', metadata }),
      ),
    );
    await Promise.all(objects.map((o) => this.applyOne(o)));
  }

  /** Applies one object (in order with others: a later definition replaces an earlier one). */
  async applyOne(o: Obj): Promise<void> {
    const k = key(o);
    const ns = o.metadata.namespace ?? '';
    if (!this.created.has(k) && !this.replaced.has(k)) {
      let existing: Obj | undefined;
      if (!this.fresh.has(ns)) {
        try {
          existing = (await this.cluster.objects.read(o)) as Obj;
        } catch (e) {
          if (!isStatus(e, 404)) throw e;
        }
      }
      if (existing) this.replaced.set(k, serverFieldsRemoved(existing));
      else this.created.set(k, o);
    }
    let body = o;
    if (o.kind === 'Pod' && this.cluster.mode === 'external') {
      const spec = (o.spec ?? {}) as Record<string, unknown>;
      body = { ...o, spec: { ...spec, nodeSelector: NEVER_SCHEDULED } };
    }
    try {
      await applyObject(this.cluster.objects, body);
    } catch (e) {
      if (this.created.get(k) === o) this.created.delete(k);
      throw e;
    }
    if (o.kind === 'Pod') await markReady(this.cluster, o);
  }

  /** Creates the object only when it does not exist yet (the cluster's own stays untouched). */
  async ensure(o: Obj): Promise<void> {
    try {
      await this.cluster.objects.read(o);
      return;
    } catch (e) {
      if (!isStatus(e, 404)) throw e;
    }
    try {
      await this.cluster.objects.create(o);
      this.created.set(key(o), o);
    } catch (e) {
      if (!isStatus(e, 409)) throw e;
    }
  }

  /** Deletes what was created and restores what was replaced. */
  async undo(): Promise<void> {
    const created = [...this.created.values()];
    await Promise.all(
      created.filter((o) => o.kind !== 'Namespace').map((o) => deleteObject(this.cluster.objects, o)),
    );
    await Promise.all([...this.replaced.values()].map((o) => applyObject(this.cluster.objects, o)));
    // Without a namespace controller (the test API server), a deleted namespace stays Terminating.
    if (this.cluster.mode === 'external') {
      await Promise.all(
        created
          .filter((o) => o.kind === 'Namespace' && o.metadata.name.includes(RUN))
          .map((o) => deleteObject(this.cluster.objects, o)),
      );
    }
    this.created.clear();
    this.replaced.clear();
    this.fresh.clear();
  }
}

export type { Obj };
