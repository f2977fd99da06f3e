// Which proxy a proxy-config command is about: istioctl's ways of naming one
// (`deploy/productpage-v1`, `productpage-v1-<hash>` pod names, `name.namespace`,
// `istio-ingressgateway`), resolved against the snapshot's workloads.

import { lastPushed } from '../config/drill.ts';
import { ingressGatewayNamed, ingressWorkload } from '../config/k8s-gateway.ts';
import type { Snapshot, Workload } from '../config/snapshot.ts';
import { withoutKindPrefix } from '../config/workload-ref.ts';
import type { SimMesh } from '../sim/mesh.ts';
import type { Caller } from '../sim/types.ts';
import { podNames } from './addresses.ts';
import { type EnvoyView, envoyView } from './view.ts';

export interface ProxyTarget {
  workload: Workload;
  /** the pod shown (the workload's first pod) */
  pod: string;
  namespace: string;
  /** the proxy as the simulator routes for it */
  caller: Caller;
  /** a gateway proxy (routes by Gateway servers) rather than a sidecar */
  gateway: boolean;
}

/** A proxy that cannot be named: the message lists what exists. */
export class UnknownProxyError extends Error {}

/** The workload exists but runs without an Envoy proxy. */
export class NoSidecarError extends UnknownProxyError {}

/**
 * Resolves `name` (istioctl's forms) in `namespace`; a `name.namespace` suffix
 * wins over the namespace given. Deployment names, pod names built from them and
 * Pods in the inputs are all accepted.
 */
export function resolveProxy(
  mesh: SimMesh,
  name: string,
  namespace: string,
  options: { ambient?: boolean } = {},
): ProxyTarget {
  const snapshot = mesh.snapshot;
  let wanted = withoutKindPrefix(name);
  let ns = namespace;
  const all = snapshot.workloadsMatching({});
  const namespaces = new Set(all.map((w) => w.namespace));
  const dot = wanted.lastIndexOf('.');
  if (dot > 0 && namespaces.has(wanted.slice(dot + 1))) {
    ns = wanted.slice(dot + 1);
    wanted = wanted.slice(0, dot);
  }
  const k8s = ingressGatewayNamed(snapshot, wanted, ns !== namespace || dot > 0 ? ns : undefined);
  // a Gateway API Gateway of class istio: istiod's `<name>-istio` Deployment is not in the inputs
  const w =
    findWorkload(snapshot, all, wanted, ns, ns !== namespace || dot > 0) ?? (k8s && ingressWorkload(k8s));
  if (!w) {
    const known = [...new Set(all.map((x) => `${x.name}.${x.namespace}`))].sort().join(', ');
    throw new UnknownProxyError(`no workload "${name}" in namespace ${ns} (known: ${known || 'none'})`);
  }
  // an ambient pod has no Envoy of its own, but describe can say which ztunnel and waypoint serve it
  if (w.sidecar === false && !(options.ambient && w.dataplane === 'ambient')) {
    throw new NoSidecarError(
      w.dataplane === 'ambient'
        ? `${w.name}.${w.namespace} is in ambient (ztunnel carries its traffic, no sidecar): there is no Envoy configuration of its own to show; describe pod shows its waypoints`
        : w.noInjector
          ? `${w.name}.${w.namespace} has no Istio sidecar: ${w.noInjector}; there is no Envoy configuration to show`
          : `${w.name}.${w.namespace} has no Istio sidecar (its namespace is not labelled for injection, or the pod was created before the label): there is no Envoy configuration to show`,
    );
  }
  const caller = mesh.caller(`${w.namespace}/${w.name}`, w.namespace);
  const pod = podNames(w)[0] ?? w.name;
  return { workload: w, pod, namespace: w.namespace, caller, gateway: caller.gateway };
}

function findWorkload(
  _snapshot: Snapshot,
  all: Workload[],
  name: string,
  ns: string,
  strict: boolean,
): Workload | undefined {
  const inNs = all.filter((w) => w.namespace === ns);
  // a gateway is usually named without its namespace (istio-system)
  const pool = strict ? inNs : [...inNs, ...all.filter((w) => w.namespace !== ns)];
  return (
    pool.find((w) => w.name === name) ??
    pool.find((w) => podNames(w).includes(name)) ??
    // pods on a cluster: <deployment>-<replicaset hash>-<id>
    pool.find((w) => w.resource.kind !== 'Pod' && name.startsWith(`${w.name}-`)) ??
    // a Deployment whose pods the inputs list themselves (kubectl get pods -o yaml)
    pool.find((w) => w.resource.kind === 'Pod' && w.name.startsWith(`${name}-`))
  );
}

/**
 * The configuration the proxy runs: a proxy that missed istiod's last push (a drill,
 * config/drill.ts) has the snapshot without what that push carried.
 */
export function asRunning(target: { view: EnvoyView; proxy: ProxyTarget }): {
  view: EnvoyView;
  proxy: ProxyTarget;
} {
  if (!target.proxy.caller.stale) return target;
  const view = envoyView(lastPushed(target.view.snapshot));
  const { workload } = target.proxy;
  return {
    view,
    proxy: resolveProxy(view.mesh, `${workload.name}.${workload.namespace}`, workload.namespace),
  };
}
