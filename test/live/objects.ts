// Kubernetes objects for the live tests: the Bookinfo model as Services and Pods (no
// controllers run on the test API server, so the Pods a Deployment would make are
// created directly, and marked Running and Ready through the status subresource).
import { CoreV1Api, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import { bookinfoManifests, gatewayManifests } from '../../src/core/config/bookinfo.ts';
import { applyObject, deleteObject, type TestCluster } from '../helpers/apiserver.ts';

type Obj = KubernetesObject & { metadata: { name: string; namespace?: string }; [k: string]: unknown };

const PROXY_IMAGE = 'docker.io/istio/proxyv2:1.29.0';

export function key(o: { kind?: string; metadata?: { namespace?: string; name?: string } }): string {
  return `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
}

/** The Pod a Deployment would run (one, whatever the replicas; none for replicas: 0). */
export function podFor(deployment: Record<string, unknown>): Obj[] {
  const meta = deployment.metadata as { name: string; namespace?: string };
  const spec = (deployment.spec ?? {}) as {
    replicas?: number;
    template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: unknown[] } };
  };
  if (spec.replicas === 0) return [];
  const containers = spec.template?.spec?.containers ?? [{ name: 'istio-proxy', image: PROXY_IMAGE }];
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
      spec: { automountServiceAccountToken: false, containers },
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

/** Creates (or replaces) objects, Pods marked Ready; ServiceAccount "default" first, for Pods. */
export async function createAll(cluster: TestCluster, objects: readonly Obj[]): Promise<void> {
  const podNamespaces = new Set(
    objects.filter((o) => o.kind === 'Pod').map((o) => o.metadata.namespace ?? 'default'),
  );
  await Promise.all(
    [...podNamespaces].map((ns) =>
      applyObject(cluster.objects, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace: ns },
      }),
    ),
  );
  await Promise.all(
    objects.map(async (o) => {
      await applyObject(cluster.objects, o);
      if (o.kind === 'Pod') await markReady(cluster, o);
    }),
  );
}

export async function deleteAll(cluster: TestCluster, objects: readonly Obj[]): Promise<void> {
  await Promise.all(objects.map((o) => deleteObject(cluster.objects, o)));
}

export async function ensureNamespace(cluster: TestCluster, name: string): Promise<void> {
  await applyObject(cluster.objects, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export type { Obj };
