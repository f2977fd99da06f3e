// Lab YAML as Kubernetes objects for a namespace, and the mesh config an instructor
// sets: shared by the tests that apply them to the API server (live, cohort, ui).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { extAuthzProvidersMeshYaml } from '../../src/core/cluster/ext-authz-sample.ts';
import { LEGACY_NAMESPACE } from '../../src/core/config/bookinfo.ts';

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

/**
 * Every document of the *.yaml files in `dir` (sorted), in the namespaces they name (default
 * when none); `skip` names files left out (a lab's clusterProvides: `cluster up` has them).
 */
export function yamlAsWritten<T>(dir: string, skip: readonly string[] = []): T[] {
  const out: T[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(f) || skip.includes(f)) continue;
    for (const doc of loadAll(readFileSync(join(dir, f), 'utf8')) as (Named | null)[]) {
      if (!doc || typeof doc !== 'object') continue;
      out.push({ ...doc, metadata: { namespace: 'default', ...doc.metadata } } as T);
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

/**
 * The istio ConfigMap as `cluster up` leaves it (its install's sample ext-authz providers)
 * with the mesh's outbound traffic policy the instructor sets.
 */
export function clusterUpMeshConfigMap<T>(mode: 'REGISTRY_ONLY' | 'ALLOW_ANY'): T {
  const cm = meshConfigMap<{ data: { mesh: string } }>(mode);
  return { ...cm, data: { mesh: `${cm.data.mesh}${extAuthzProvidersMeshYaml()}` } } as T;
}

const PROXY_IMAGE = 'docker.io/istio/proxyv2:1.26.0';

/**
 * A pod template's containers as the sidecar injector leaves them: istio-proxy beside the
 * app's containers, except in the plaintext client's namespace (not labelled for
 * injection) and for pods labelled sidecar.istio.io/inject=false.
 */
export function injectedContainers(
  namespace: string | undefined,
  template: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: unknown[] } } | undefined,
): unknown[] {
  const injected =
    namespace !== LEGACY_NAMESPACE && template?.metadata?.labels?.['sidecar.istio.io/inject'] !== 'false';
  const app = (template?.spec?.containers ?? []).filter(
    (c) => (c as { name?: string } | null)?.name !== 'istio-proxy',
  );
  return injected ? [...app, { name: 'istio-proxy', image: PROXY_IMAGE }] : app;
}
