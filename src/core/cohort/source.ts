// Reads a whole cohort from the cluster with a fixed number of requests, whatever the
// number of learners, and splits it into one LoadResult per learner namespace:
//
//   GET  /apis/networking.istio.io (+ /<version> until the five kinds are found)
//   LIST namespaces?labelSelector=ica-trainer/cohort=<name>,ica-trainer/learner
//   LIST virtualservices, destinationrules, gateways, serviceentries, sidecars (all namespaces)
//   LIST services, pods                                                 (all namespaces)
//   LIST secrets in istio-system, metadata only (gateway credentials; data never read)
//   GET  configmaps istio-system/istio (the mesh config)
//   GET  /apis/gateway.networking.k8s.io (+ /<version>), LIST gateways, httproutes (all
//        namespaces, served version): Gateway API Gateways (waypoints) and HTTPRoutes; a
//        cluster without them reads none, a grader forbidden them marks them unknown
//
// Learner-created objects carry no cohort label, so the label selector applies to the
// namespaces and the kinds are listed cluster-wide and split by namespace. Each learner's
// LoadResult holds their namespace's objects plus istio-system's (the ingress and egress
// gateways, shared by everyone).

import { ClusterError } from '../cluster/errors.ts';
import {
  collectGatewayApi,
  discoverGatewayApi,
  GATEWAY_API_GROUP,
  type GatewayApiDiscovery,
  gatewayApiResource,
} from '../cluster/gateway-api.ts';
import { ApiStatusError, DEFAULT_TIMEOUT_MS, KubeHttp } from '../cluster/http.ts';
import { denial } from '../cluster/istio-discovery.ts';
import { type ResolvedKubeconfig, resolveKubeconfig } from '../cluster/kubeconfig.ts';
import { discoverIstio as discoverServedIstio, type ListOutcome } from '../cluster/live-source.ts';
import { toResource } from '../cluster/to-resource.ts';
import type { LoadResult } from '../config/load.ts';
import { isIstioKind, type Kind, NETWORKING_KINDS, type Resource } from '../config/resource.ts';
import { COHORT_LABEL, LEARNER_LABEL, learnerSelector } from './manifests.ts';
import type { CohortClusterOptions } from './setup.ts';

export const SHARED_NAMESPACE = 'istio-system';
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

interface KindSpec {
  kind: Kind;
  apiVersion: string;
  path: string;
  accept?: string;
}

export interface LearnerLoad {
  id: string;
  namespace: string;
  /** the learner's own objects and istio-system's, as read (namespaces unchanged) */
  load: LoadResult;
  /** the learner's Istio resources (not the Sidecar cohort init put there) */
  istio: Resource[];
}

export interface CohortSnapshot {
  context: string;
  server: string;
  learners: LearnerLoad[];
  /** namespaces labelled for the cohort but being deleted (left out) */
  terminating: string[];
  notes: string[];
  requests: number;
}

function isStatus(e: unknown, status: number): e is ApiStatusError {
  return e instanceof ApiStatusError && e.status === status;
}

function forbidden(e: ApiStatusError, what: string): ClusterError {
  return new ClusterError(
    'forbidden',
    `forbidden: cannot ${what} (${e.body?.message ?? 'RBAC'}); grade with the instructor's kubeconfig or the cohort's grader kubeconfig (_grader.kubeconfig), which may list these cluster-wide`,
  );
}

/** The Istio kinds at the versions the server serves (the live source's discovery, in this module's shape). */
async function discoverIstio(http: KubeHttp, target: ResolvedKubeconfig): Promise<KindSpec[]> {
  const found = await discoverServedIstio(http, target);
  return NETWORKING_KINDS.flatMap((k) => {
    const spec = found.get(k);
    return spec
      ? [
          {
            kind: k,
            apiVersion: `${spec.group}/${spec.version}`,
            path: `/apis/${spec.group}/${spec.version}/${spec.plural}`,
          },
        ]
      : [];
  });
}

interface ListedObject {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
  };
  status?: { phase?: string };
}

/** Reads the cohort `name` and splits it by learner namespace. */
export async function readCohortSnapshot(
  name: string,
  options: CohortClusterOptions = {},
): Promise<CohortSnapshot> {
  const target = resolveKubeconfig(options);
  const http = new KubeHttp(target, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const notes: string[] = [];
  const [istio, gatewayApi] = await Promise.all([discoverIstio(http, target), discoverGatewayApi(http)]);
  const specs: KindSpec[] = [
    ...istio,
    { kind: 'Service', apiVersion: 'v1', path: '/api/v1/services' },
    { kind: 'Pod', apiVersion: 'v1', path: '/api/v1/pods' },
  ];
  const secrets: KindSpec = {
    kind: 'Secret',
    apiVersion: 'v1',
    path: `/api/v1/namespaces/${SHARED_NAMESPACE}/secrets`,
    accept: METADATA_ONLY,
  };
  const list = async (spec: KindSpec, query = ''): Promise<ListedObject[]> => {
    try {
      const body = await http.get<{ items?: ListedObject[] }>(
        `${spec.path}${query}`,
        spec.accept ? { accept: spec.accept } : {},
      );
      return body.items ?? [];
    } catch (e) {
      if (isStatus(e, 403)) throw forbidden(e, `list ${spec.path}`);
      throw e;
    }
  };
  const [namespaces, lists, secretItems, mesh, gatewayApiLists] = await Promise.all([
    list(
      { kind: 'Namespace', apiVersion: 'v1', path: '/api/v1/namespaces' },
      `?labelSelector=${encodeURIComponent(learnerSelector(name))}`,
    ),
    Promise.all(specs.map((s) => list(s))),
    list(secrets).catch((e: unknown) => {
      if (!(e instanceof ClusterError) || e.failure !== 'forbidden') throw e;
      notes.push(
        `could not list Secrets in ${SHARED_NAMESPACE}: checks of Gateway credentialName see no Secrets`,
      );
      return [] as ListedObject[];
    }),
    http.get<unknown>(`/api/v1/namespaces/${SHARED_NAMESPACE}/configmaps/istio`).catch((e: unknown) => {
      if (isStatus(e, 404)) return undefined;
      if (isStatus(e, 403)) {
        notes.push(`could not read the mesh config (configmap ${SHARED_NAMESPACE}/istio): ALLOW_ANY assumed`);
        return undefined;
      }
      throw e;
    }),
    listGatewayApi(http, gatewayApi),
  ]);
  const gatewayApiRead = collectGatewayApi(gatewayApi, gatewayApiLists, target.context, undefined);
  if (gatewayApiRead.missing)
    notes.push(
      `could not list the Gateway API kinds (${GATEWAY_API_GROUP}): waypoints, Gateways and HTTPRoutes are unknown, so the checks that need them are skipped`,
    );

  const byNamespace = new Map<string, Resource[]>();
  const put = (r: Resource | undefined) => {
    if (!r) return;
    const key = r.kind === 'Namespace' ? r.name : r.namespace;
    let bucket = byNamespace.get(key);
    if (!bucket) byNamespace.set(key, (bucket = []));
    bucket.push(r);
  };
  specs.forEach((spec, i) => {
    for (const item of lists[i] ?? []) put(toResource(item, spec.apiVersion, spec.kind, target.context));
  });
  for (const item of secretItems) put(toResource(item, 'v1', 'Secret', target.context));
  if (mesh) put(toResource(mesh, 'v1', 'ConfigMap', target.context));

  const shared = byNamespace.get(SHARED_NAMESPACE) ?? [];
  const inNamespace = <T extends { namespace: string }>(list: T[], ns: string) =>
    list.filter((x) => x.namespace === ns || x.namespace === SHARED_NAMESPACE);
  const learners: LearnerLoad[] = [];
  const terminating: string[] = [];
  for (const ns of namespaces) {
    const nsName = ns.metadata?.name;
    const id = ns.metadata?.labels?.[LEARNER_LABEL];
    if (!nsName || !id) continue;
    if (ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') {
      terminating.push(nsName);
      continue;
    }
    const own = byNamespace.get(nsName) ?? [];
    const nsResource = toResource(ns, 'v1', 'Namespace', target.context);
    const resources = [...(nsResource ? [nsResource] : []), ...own, ...shared];
    learners.push({
      id,
      namespace: nsName,
      load: {
        resources,
        problems: [],
        meshConfigs: [],
        filesRead: 1,
        kubernetesGateways: inNamespace(gatewayApiRead.gateways, nsName),
        httpRoutes: inNamespace(gatewayApiRead.routes, nsName),
        gatewayApiObjects: inNamespace(gatewayApiRead.objects, nsName),
        ...(gatewayApiRead.missing ? { gatewayApiUnknown: true as const } : {}),
      },
      istio: own.filter((r) => isIstioKind(r.kind) && !(r.kind === 'Sidecar' && r.labels[COHORT_LABEL])),
    });
  }
  learners.sort((a, b) => a.id.localeCompare(b.id));
  return {
    context: target.context,
    server: target.server,
    learners,
    terminating: terminating.sort(),
    notes,
    requests: http.requests,
  };
}

/** One LIST per served Gateway API kind, cluster-wide (403 and 404 become outcomes). */
async function listGatewayApi(http: KubeHttp, discovery: GatewayApiDiscovery): Promise<ListOutcome[]> {
  if (!('served' in discovery)) return [];
  return Promise.all(
    discovery.served.map(async (g): Promise<ListOutcome> => {
      try {
        const body = await http.get<{ items?: unknown[] }>(
          `/apis/${GATEWAY_API_GROUP}/${g.version}/${g.plural}`,
        );
        return { ok: true, items: body.items ?? [] };
      } catch (e) {
        if (isStatus(e, 404)) return { ok: false, notServed: true };
        if (isStatus(e, 403)) return { ok: false, denied: denial(e, 'list', gatewayApiResource(g.plural)) };
        throw e;
      }
    }),
  );
}
