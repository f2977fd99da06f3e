// Test data for the cohort tests: the Pods the Bookinfo Deployments would make (no
// controllers run on the test API server), a lab's YAML as objects for a namespace,
// and learner loads built without a cluster for the unit tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import type { Manifest } from '../../src/core/cluster/manifests.ts';
import { toResource } from '../../src/core/cluster/to-resource.ts';
import { learnerManifests } from '../../src/core/cohort/manifests.ts';
import type { LearnerLoad } from '../../src/core/cohort/source.ts';
import type { Kind } from '../../src/core/config/resource.ts';
import { isIstioKind } from '../../src/core/config/resource.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';

export type Obj = Manifest & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
};

/** The Pod each Deployment would run (one per Deployment). */
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
          name: `${meta.name}-0`,
          namespace: meta.namespace,
          labels: { ...template.metadata.labels },
        },
        spec: {
          ...template.spec,
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
  const out: Obj[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(f)) continue;
    for (const doc of loadAll(readFileSync(join(dir, f), 'utf8')) as (Obj | null)[]) {
      if (!doc) continue;
      out.push({ ...doc, metadata: { ...doc.metadata, namespace } });
    }
  }
  return out;
}

/** A learner's load as the cohort source would build it, without a cluster. */
export function learnerLoad(cohort: string, id: string, istio: readonly Obj[]): LearnerLoad {
  const manifests = learnerManifests(cohort, id);
  const ns = `${cohort}-${id}`;
  const objects = [
    ...manifests.filter((m) => m.kind === 'Namespace' || m.kind === 'Service'),
    ...podsFor(manifests),
    ...istio,
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
