// Lab YAML as Kubernetes objects for a namespace, and the mesh config an instructor
// sets: shared by the tests that apply them to the API server (live, cohort, ui).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';

interface Named {
  metadata?: Record<string, unknown>;
}

/** Every document of the *.yaml files in `dir` (sorted), moved to `namespace`. */
export function yamlObjects<T>(dir: string, namespace: string): T[] {
  const out: T[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(f)) continue;
    for (const doc of loadAll(readFileSync(join(dir, f), 'utf8')) as (Named | null)[]) {
      if (!doc || typeof doc !== 'object') continue;
      out.push({ ...doc, metadata: { ...doc.metadata, namespace } } as T);
    }
  }
  return out;
}

/** The istio ConfigMap with the mesh's outbound traffic policy, as the instructor sets it. */
export function meshConfigMap<T>(mode: 'REGISTRY_ONLY' | 'ALLOW_ANY'): T {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'istio', namespace: 'istio-system' },
    data: { mesh: `outboundTrafficPolicy:\n  mode: ${mode}\n` },
  } as T;
}
