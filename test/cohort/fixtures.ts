// Test data for the cohort tests: the Pods the Bookinfo Deployments would make (no
// controllers run on the test API server), a lab's YAML as objects for a namespace,
// and learner loads built without a cluster for the unit tests.
import type { Manifest } from '../../src/core/cluster/manifests.ts';
import { toResource } from '../../src/core/cluster/to-resource.ts';
import { learnerManifests } from '../../src/core/cohort/manifests.ts';
import type { LearnerLoad } from '../../src/core/cohort/source.ts';
import { gatewayManifests } from '../../src/core/config/bookinfo.ts';
import type { Kind } from '../../src/core/config/resource.ts';
import { isIstioKind } from '../../src/core/config/resource.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import {
  injectedContainers,
  meshConfigMap as meshConfig,
  yamlObjects as objectsIn,
} from '../helpers/yaml-objects.ts';

export type Obj = Manifest & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
};

/** A stable stand-in for the ReplicaSet's pod-template-hash. */
function templateHash(name: string): string {
  let h = 5381;
  for (const c of name) h = ((h * 33) ^ c.charCodeAt(0)) >>> 0;
  return h.toString(36).padStart(7, '0').slice(0, 9);
}

/** The Pod each Deployment would run (one per Deployment), named as its ReplicaSet names it. */
export function podsFor(manifests: readonly Manifest[]): Obj[] {
  return manifests
    .filter((m) => m.kind === 'Deployment')
    .map((d) => {
      const meta = d.metadata as { name: string; namespace: string };
      const template = (
        d.spec as { template: { metadata: { labels: Record<string, string> }; spec: Manifest } }
      ).template;
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${meta.name}-${templateHash(meta.name)}-x7k2p`,
          namespace: meta.namespace,
          labels: { ...template.metadata.labels, 'pod-template-hash': templateHash(meta.name) },
        },
        spec: {
          ...template.spec,
          // the learner namespaces are injected: the injector adds the sidecar beside the app
          containers: injectedContainers(meta.namespace, template),
          // nothing creates ServiceAccount token Secrets on the test server
          automountServiceAccountToken: false,
        },
      };
    });
}

export const LABS = loadExercises().exercises;

export function lab(id: string) {
  const l = LABS.find((e) => e.id === id);
  if (!l) throw new Error(`no lab ${id}`);
  return l;
}

/** The YAML documents of a folder (a lab's solution/ or starter/), placed in `namespace`. */
export function yamlObjects(dir: string, namespace: string): Obj[] {
  return objectsIn<Obj>(dir, namespace);
}

/** The istio ConfigMap with the mesh's outbound traffic policy, as the instructor sets it. */
export function meshConfigMap(mode: 'REGISTRY_ONLY' | 'ALLOW_ANY'): Obj {
  return meshConfig<Obj>(mode);
}

/** A learner's load as the cohort source would build it, without a cluster: their namespace and istio-system. */
export function learnerLoad(
  cohort: string,
  id: string,
  istio: readonly Obj[],
  shared: readonly Obj[] = [],
): LearnerLoad {
  const manifests = learnerManifests(cohort, id);
  const gateways = gatewayManifests();
  const ns = `${cohort}-${id}`;
  const objects = [
    ...manifests.filter((m) => m.kind === 'Namespace' || m.kind === 'Service'),
    ...podsFor(manifests),
    ...istio,
    ...gateways.filter((m) => m.kind === 'Service'),
    ...podsFor(gateways),
    ...shared,
  ];
  const resources = objects.flatMap((o) => {
    const r = toResource(o, String(o.apiVersion), o.kind as Kind, 'test');
    return r ? [r] : [];
  });
  return {
    id,
    namespace: ns,
    load: { resources, problems: [], meshConfigs: [], filesRead: 1 },
    istio: resources.filter((r) => isIstioKind(r.kind)),
  };
}
