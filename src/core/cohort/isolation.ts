// What `cohort init` checks about learner isolation on the cluster: whether Istio's
// Sidecar resource is served (each learner namespace gets one), and whether the mesh
// config keeps Istio resources from being exported to every namespace by default.
// The mesh config is only read, never rewritten: it belongs to the Istio install (an
// IstioOperator or Helm values would put it back), so the instructor gets the setting.
import { load } from 'js-yaml';
import { ApiStatusError } from '../cluster/http.ts';
import type { ObjectClient } from './kube.ts';
import { GATEWAY_NAMESPACE } from './manifests.ts';

/** The meshConfig fields whose default "*" exports a learner's resources to everyone. */
export const EXPORT_DEFAULTS = [
  'defaultVirtualServiceExportTo',
  'defaultDestinationRuleExportTo',
  'defaultServiceExportTo',
] as const;

/**
 * What to set: the learner's own namespace and the shared ingress gateway's. Plain "."
 * would hide learners' routes, subsets and Services from the ingress gateway in
 * istio-system (Istio matches a gateway's VirtualServices against exportTo by the
 * gateway proxy's namespace), failing every ingress lab.
 */
export const RECOMMENDED_EXPORT_TO = ['.', GATEWAY_NAMESPACE] as const;

export const NO_SIDECAR_CRD =
  'the cluster does not serve networking.istio.io/v1 Sidecar (Istio 1.22 or later not installed?): learner namespaces got no Sidecar, so one learner\'s VirtualService or ServiceEntry exported to "*" can change another\'s traffic; install Istio and run cohort init again';

/** True when the API server serves networking.istio.io/v1 sidecars. */
export async function sidecarServed(client: ObjectClient): Promise<boolean> {
  try {
    const list = await client.http.get<{ resources?: { name?: string }[] }>('/apis/networking.istio.io/v1');
    return (list.resources ?? []).some((r) => r.name === 'sidecars');
  } catch (e) {
    if (e instanceof ApiStatusError && e.status === 404) return false;
    throw e;
  }
}

function isolating(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' && v !== '*') &&
    value.includes('.')
  );
}

/**
 * One warning naming the exact meshConfig to add when any export default is unset or
 * exports to "*" (Istio's default); undefined when all three keep resources at home.
 * `meshText` is the istio ConfigMap's `mesh` key; unreadable YAML is itself a warning.
 */
export function meshExportWarning(meshText: string | undefined): string | undefined {
  let mesh: Record<string, unknown> = {};
  try {
    const parsed = meshText ? load(meshText) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      mesh = parsed as Record<string, unknown>;
  } catch {
    return `the mesh config (ConfigMap ${GATEWAY_NAMESPACE}/istio, key mesh) is not valid YAML; could not check its exportTo defaults`;
  }
  const open = EXPORT_DEFAULTS.filter((f) => !isolating(mesh[f]));
  if (open.length === 0) return undefined;
  const value = JSON.stringify(RECOMMENDED_EXPORT_TO);
  const setting = open.map((f) => `${f}: ${value}`).join(', ');
  return `the mesh exports VirtualServices, DestinationRules and Services to every namespace by default (${open.join(', ')} unset or "*"): a learner's resource without exportTo is seen by all. Add to the Istio install's meshConfig (IstioOperator spec.meshConfig or Helm values; cohort init does not change it): ${setting}`;
}

/** The mesh config check against the cluster: no ConfigMap (Istio not installed) is no warning. */
export async function meshExportCheck(client: ObjectClient): Promise<string | undefined> {
  const cm = (await client.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'istio',
    namespace: GATEWAY_NAMESPACE,
  })) as { data?: Record<string, string> } | undefined;
  if (!cm) return undefined;
  return meshExportWarning(cm.data?.mesh);
}
