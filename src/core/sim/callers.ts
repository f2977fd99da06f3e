// Callers: the proxies requests start from (a workload's sidecar, a Gateway's
// proxies, a pod's sidecar), each with its routing contexts.
import { BOOKINFO_NAMESPACE } from '../config/bookinfo.ts';
import { runsOldConfig } from '../config/drill.ts';
import { deploymentName, derivedGateways, ingressGatewayNamed, podLabels } from '../config/k8s-gateway.ts';
import { labelsMatch, type Snapshot, type Workload } from '../config/snapshot.ts';
import { namespaceAmbient } from '../config/workload-facts.ts';
import { withoutKindPrefix } from '../config/workload-ref.ts';
import { type Caller, type Endpoint, SimError } from './types.ts';

const ALIASES: Record<string, string> = { ingress: 'istio-ingressgateway', egress: 'istio-egressgateway' };

/** Makes the callers of one mesh (their ids are unique within it). */
export class Callers {
  private readonly snapshot: Snapshot;
  private nextCaller = 0;

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
  }

  /** A caller standing for the proxies of one Gateway (`ns/name`): its selector's labels, that context only. */
  gatewayCaller(ref: string): Caller {
    const gw = this.snapshot.gateway(ref);
    if (!gw) {
      const known = this.snapshot.gateways.map((g) => `${g.namespace}/${g.name}`).join(', ');
      throw new SimError(`no Gateway ${ref} (known: ${known || 'none'})`);
    }
    // the gateway pods' namespace (their Service maps client ports to server ports), else the Gateway's
    const selector = gw.spec.selector ?? {};
    const pod = Object.keys(selector).length > 0 ? this.snapshot.workloadsMatching(selector)[0] : undefined;
    return {
      id: this.nextCaller++,
      name: `Gateway ${ref}`,
      namespace: pod?.namespace ?? gw.namespace,
      labels: pod ? { ...pod.labels } : { ...selector },
      gateway: true,
      contexts: [ref],
      sidecar: true,
      serviceAccount: pod?.serviceAccount ?? 'default',
      ...(runsOldConfig(this.snapshot, pod) ? { stale: true } : {}),
    };
  }

  /** The gateway proxy behind a pod, when the pod is one (it routes what it receives). */
  gatewayOf(ep: Endpoint): Caller | null {
    if (ep.gateway !== undefined) return ep.gateway;
    if (ep.external) {
      ep.gateway = null;
      return null;
    }
    const c = this.makeCaller(ep.pod, ep.namespace, ep.labels, ep.workload);
    ep.gateway = c.gateway ? c : null;
    return ep.gateway;
  }

  /** The caller named by `--from`: a workload (`name`, `ns/name`), `ingress`, or labels `k=v,...`. */
  caller(from: string | undefined, namespace: string): Caller {
    // the default client: an injected pod running as its namespace's default service account
    if (!from) {
      const c = this.makeCaller('client', namespace, { app: 'client' });
      // in a namespace enrolled in ambient (and not injecting), a new pod is captured by ztunnel
      const ns = this.snapshot.list('Namespace').find((n) => n.name === namespace);
      if (namespaceAmbient(ns)) {
        c.sidecar = false;
        c.ambient = true;
      }
      return c;
    }
    if (from.includes('=')) {
      const slash = from.indexOf('/');
      const ns = slash > 0 && slash < from.indexOf('=') ? from.slice(0, slash) : BOOKINFO_NAMESPACE;
      const labels: Record<string, string> = {};
      for (const pair of from.slice(slash > 0 && slash < from.indexOf('=') ? slash + 1 : 0).split(',')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new SimError(`--from "${from}": labels are written k=v,k2=v2`);
        labels[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
      }
      return this.makeCaller(from, ns, labels);
    }
    // `deploy/reviews-v2` as proxy-config and describe take it (else `deploy` would read as a namespace)
    const ref = withoutKindPrefix(from);
    const wanted = ALIASES[ref] ?? ref;
    const [ns, name] = wanted.includes('/') ? wanted.split('/', 2) : [undefined, wanted];
    // a bare name means the workload in the namespace being looked at, when there is one
    const everywhere = this.snapshot.workloadsMatching({});
    const local = everywhere.filter((x) => x.namespace === namespace);
    const all = [...local, ...everywhere.filter((x) => x.namespace !== namespace)];
    const w =
      all.find((x) => x.name === name && (ns === undefined || x.namespace === ns)) ??
      all.find((x) => (ns === undefined || x.namespace === ns) && name?.startsWith(`${x.name}-`)) ??
      // on a cluster the workloads are Pods named <deployment>-<hash>-<id>: `productpage-v1` names them
      all.find(
        (x) =>
          (ns === undefined || x.namespace === ns) &&
          x.resource.kind === 'Pod' &&
          x.name.startsWith(`${name}-`),
      );
    if (!w) {
      // a Gateway API Gateway of class istio: istiod deploys `<name>-istio` for it (no Deployment in the inputs)
      const k8s = ingressGatewayNamed(this.snapshot, name ?? '', ns);
      if (k8s) return this.makeCaller(deploymentName(k8s), k8s.namespace, podLabels(k8s));
      const names = [...new Set(all.map((x) => x.name))].sort().join(', ');
      throw new SimError(`--from "${from}": no such workload (known: ${names || 'none'})`);
    }
    const c = this.makeCaller(w.name, w.namespace, w.labels, w);
    // a client that injection leaves without a sidecar (files, the model's legacy/curl) bypasses
    // routing; a pod read from a cluster keeps being routed: the test clusters run no
    // istio-proxy containers at all (see DESIGN, a known gap)
    if (c.sidecar === false && !c.ambient && w.resource.origin.cluster === undefined) c.direct = true;
    return c;
  }

  private makeCaller(
    name: string,
    namespace: string,
    labels: Record<string, string>,
    workload?: Workload,
  ): Caller {
    const refs = [...this.snapshot.gateways, ...derivedGateways(this.snapshot).values()]
      .filter(
        (g) =>
          g.spec.selector && Object.keys(g.spec.selector).length > 0 && labelsMatch(g.spec.selector, labels),
      )
      .map((g) => `${g.namespace}/${g.name}`);
    const gateway = refs.length > 0 || labels.istio === 'ingressgateway' || labels.istio === 'egressgateway';
    return {
      id: this.nextCaller++,
      name,
      namespace,
      labels,
      gateway,
      contexts: gateway ? refs : ['mesh'],
      sidecar: gateway || (workload?.sidecar ?? true),
      serviceAccount: workload?.serviceAccount ?? 'default',
      ...(!gateway && workload?.dataplane === 'ambient' ? { ambient: true } : {}),
      ...(runsOldConfig(this.snapshot, workload) ? { stale: true } : {}),
    };
  }

  /** The sidecar of a pod, as a caller of other services. */
  podCaller(ep: Endpoint): Caller {
    if (!ep.caller) {
      ep.caller = {
        id: this.nextCaller++,
        name: ep.pod,
        namespace: ep.namespace,
        labels: ep.labels,
        gateway: false,
        contexts: ['mesh'],
        sidecar: ep.workload?.sidecar ?? true,
        serviceAccount: ep.workload?.serviceAccount ?? 'default',
        ...(ep.workload?.dataplane === 'ambient' ? { ambient: true } : {}),
        ...(runsOldConfig(this.snapshot, ep.workload, [ep.pod]) ? { stale: true } : {}),
      };
    }
    return ep.caller;
  }
}
