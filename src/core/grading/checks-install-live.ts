// Checks on what `istioctl install` left on a cluster: since Istio 1.24 no cluster object
// records the IstioOperator (no in-cluster operator, no installed-state copy), so a live
// grade reads the install's products instead: istio-system's Deployments (which
// components run, istiod's container requests) and the `istio` ConfigMap's mesh config.
import { load as parseYaml } from 'js-yaml';
import type { Resource } from '../config/resource.ts';
import { fail, pass } from './checks.ts';
import { requestsMatch, sameQuantity } from './checks-install.ts';
import type { CheckResult, GradeContext } from './types.ts';

export const INSTALL_NAMESPACE = 'istio-system';

const recordOf = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function deployment(ctx: GradeContext, name: string): Resource | undefined {
  return ctx.snapshot.list('Deployment').find((d) => d.namespace === INSTALL_NAMESPACE && d.name === name);
}

/** What runs in istio-system, for failure reasons. */
function running(ctx: GradeContext): string {
  const names = ctx.snapshot
    .list('Deployment')
    .filter((d) => d.namespace === INSTALL_NAMESPACE)
    .map((d) => d.name)
    .sort();
  return names.length
    ? names.join(', ')
    : `no Deployment in ${INSTALL_NAMESPACE} (none installed, or none you may list)`;
}

/** The label istioctl puts on what an install applies: the IstioOperator's metadata.name ("unknown" without one). */
export const OWNING_RESOURCE = 'install.operator.istio.io/owning-resource';

const ownerOf = (d: Resource): string => d.labels[OWNING_RESOURCE] ?? 'unknown';

/**
 * A component's Deployment is in istio-system or not. An absence counts only when
 * istio-system's Deployments were seen (istiod's among them), so a read that could not
 * list them never passes as "not installed". istioctl install prunes only the objects of
 * its own install (its prune selects by owner labels, the IstioOperator's name among
 * them): a component whose Deployment carries another owner than istiod's is a leftover of
 * an earlier install (`cluster up`'s, unnamed), not installed by this one, and the reason says
 * how to remove it.
 */
export function expectClusterComponent(ctx: GradeContext, name: string, installed: boolean): CheckResult {
  const istiod = deployment(ctx, 'istiod');
  const d = deployment(ctx, name);
  if (installed)
    return d
      ? pass(`Deployment ${INSTALL_NAMESPACE}/${name} runs`)
      : fail(`${name} is not installed (Deployments in ${INSTALL_NAMESPACE}: ${running(ctx)})`);
  if (!istiod)
    return fail(
      `no istiod Deployment in ${INSTALL_NAMESPACE}: cannot tell whether ${name} is installed (running: ${running(ctx)})`,
    );
  if (!d) return pass(`Deployment ${INSTALL_NAMESPACE}/${name} is not installed`);
  if (ownerOf(d) !== ownerOf(istiod))
    return pass(
      `${name} is not part of your install: its Deployment is left from an earlier one (${OWNING_RESOURCE}=${ownerOf(d)}, istiod's is ${ownerOf(istiod)}), which istioctl install does not prune; remove it with kubectl -n ${INSTALL_NAMESPACE} delete deployment,service,serviceaccount ${name}`,
    );
  return fail(`${name} is still installed (Deployments in ${INSTALL_NAMESPACE}: ${running(ctx)})`);
}

/** The mesh config istiod reads: the `mesh` key of istio-system's `istio` ConfigMap, or why none. */
export function clusterMeshConfig(ctx: GradeContext): Record<string, unknown> | string {
  const cm = ctx.snapshot
    .list('ConfigMap')
    .find((c) => c.namespace === INSTALL_NAMESPACE && c.name === 'istio');
  if (!cm)
    return `no ConfigMap ${INSTALL_NAMESPACE}/istio (the mesh config an install writes), or it could not be read`;
  const text = recordOf(cm.raw.data).mesh;
  if (typeof text !== 'string') return `ConfigMap ${INSTALL_NAMESPACE}/istio has no mesh key`;
  try {
    return recordOf(parseYaml(text));
  } catch (e) {
    return `ConfigMap ${INSTALL_NAMESPACE}/istio: its mesh key is not YAML (${(e as Error).message.split('\n')[0]})`;
  }
}

/** A mesh config field (dotted path) in the cluster's `istio` ConfigMap. */
export function expectClusterMeshSetting(ctx: GradeContext, path: string, value: unknown): CheckResult {
  const mesh = clusterMeshConfig(ctx);
  if (typeof mesh === 'string') return fail(mesh);
  let cur: unknown = mesh;
  for (const k of path.split('.')) cur = recordOf(cur)[k];
  const where = `in ConfigMap ${INSTALL_NAMESPACE}/istio`;
  return JSON.stringify(cur) === JSON.stringify(value)
    ? pass(`meshConfig.${path} is ${JSON.stringify(value)} ${where}`)
    : fail(
        `meshConfig.${path} is ${cur === undefined ? 'unset' : JSON.stringify(cur)} ${where}, not ${JSON.stringify(value)}`,
      );
}

/** A Deployment's container's resources.requests (from its pod template). */
function containerRequests(d: Resource, container: string): Record<string, unknown> | undefined {
  const spec = recordOf(recordOf(recordOf(d.raw.spec).template).spec);
  const c = (Array.isArray(spec.containers) ? spec.containers : [])
    .map(recordOf)
    .find((x) => x.name === container);
  return c ? recordOf(recordOf(c.resources).requests) : undefined;
}

/** A component's container requests these quantities (2Gi and 2048Mi alike). */
export function expectClusterRequests(
  ctx: GradeContext,
  name: string,
  container: string,
  wanted: Record<string, string>,
): CheckResult {
  const d = deployment(ctx, name);
  if (!d) return fail(`no Deployment ${INSTALL_NAMESPACE}/${name} (running: ${running(ctx)})`);
  const requests = containerRequests(d, container);
  if (!requests) return fail(`Deployment ${INSTALL_NAMESPACE}/${name} has no container ${container}`);
  return requestsMatch(name, requests, wanted);
}

/** What only the demo profile gives every proxy it installs (values.global.proxy and gateways). */
export const DEMO_PROXY_REQUESTS = { cpu: '10m', memory: '40Mi' } as const;

/**
 * The demo profile's mark on a cluster: nothing names the profile, but demo alone gives
 * the gateways it installs small requests (10m CPU, 40Mi memory; every other profile
 * leaves the charts' 100m/128Mi). So the ingress gateway built on demo requests exactly
 * that, unless the overlay set its resources itself: the reason says so.
 */
export function expectClusterDemoGateway(ctx: GradeContext): CheckResult {
  const name = 'istio-ingressgateway';
  const d = deployment(ctx, name);
  if (!d) return fail(`no Deployment ${INSTALL_NAMESPACE}/${name} (running: ${running(ctx)})`);
  const requests = containerRequests(d, 'istio-proxy') ?? {};
  const demo = Object.entries(DEMO_PROXY_REQUESTS).every(([res, want]) => sameQuantity(requests[res], want));
  const got = `cpu ${String(requests.cpu ?? '(unset)')}, memory ${String(requests.memory ?? '(unset)')}`;
  return demo
    ? pass(
        `built on the demo profile: ${name} requests demo's ${got} (no cluster object names the profile; this is its mark)`,
      )
    : fail(
        `not built on the demo profile: ${name} requests ${got}, and demo gives its gateways cpu 10m, memory 40Mi (other profiles leave 100m/128Mi; or your overlay set the gateway's resources)`,
      );
}
