// Ambient mode as Istio 1.26 wires it: which waypoint (a Kubernetes Gateway of
// class istio-waypoint) serves a Service or a workload, from the
// istio.io/use-waypoint labels. A Service's own label beats its namespace's, a
// pod's own label beats its namespace's; the value `none` opts out. A waypoint
// takes the traffic its istio.io/waypoint-for label names (service, the default;
// workload; all; none): a namespace labelled with a workload-only waypoint gives
// its Services none. `istioctl waypoint apply --enroll-namespace` makes a Gateway
// named `waypoint` (class istio-waypoint, listener mesh 15008 HBONE, no
// waypoint-for label unless --for is given) and labels the namespace
// istio.io/use-waypoint=waypoint.
import type { KubernetesGateway } from './load.ts';
import type { Resource } from './resource.ts';
import type { ServiceInfo, Snapshot, Workload } from './snapshot.ts';
import { principalOf } from './workload-facts.ts';

export const WAYPOINT_CLASS = 'istio-waypoint';
export const USE_WAYPOINT = 'istio.io/use-waypoint';
export const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';
export const WAYPOINT_FOR = 'istio.io/waypoint-for';
/** on a Service (or its namespace): ingress gateways send to the Service's waypoint too */
export const INGRESS_USE_WAYPOINT = 'istio.io/ingress-use-waypoint';

export type WaypointFor = 'service' | 'workload' | 'all' | 'none';
const TRAFFIC_TYPES: readonly string[] = ['service', 'workload', 'all', 'none'];

export interface Waypoint {
  namespace: string;
  name: string;
  /** `istio.io/waypoint-for`, `service` when unset (istiod's default for the istio-waypoint class) */
  for: WaypointFor;
  /** the label as written, when it is not one of the four values (the waypoint then takes service traffic) */
  invalidFor?: string;
  gateway: KubernetesGateway;
}

/** How a Service or a workload is told to use a waypoint. */
export interface WaypointUse {
  /** the object whose label decided: the Service, the pod (or Deployment), or the namespace */
  by: Resource;
  level: 'service' | 'workload' | 'namespace';
  /** `ns/name` the label names */
  ref: string;
  /** the Gateway, when one of class istio-waypoint has that name */
  waypoint?: Waypoint;
  /** the waypoint takes this kind of traffic (waypoint-for covers service, or workload) */
  serves: boolean;
}

export class AmbientModel {
  private readonly snapshot: Snapshot;
  private readonly byRef = new Map<string, Waypoint>();
  private readonly serviceUses = new Map<string, WaypointUse | undefined>();

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    for (const gw of snapshot.kubernetesGatewayList()) {
      if (gw.className !== WAYPOINT_CLASS) continue;
      const label = gw.labels[WAYPOINT_FOR];
      const valid = label === undefined || TRAFFIC_TYPES.includes(label);
      this.byRef.set(`${gw.namespace}/${gw.name}`, {
        namespace: gw.namespace,
        name: gw.name,
        for: valid && label ? (label as WaypointFor) : 'service',
        ...(valid ? {} : { invalidFor: label }),
        gateway: gw,
      });
    }
  }

  /** Every Gateway of class istio-waypoint. */
  waypoints(): Waypoint[] {
    return [...this.byRef.values()];
  }

  waypoint(ref: string): Waypoint | undefined {
    return this.byRef.get(ref);
  }

  /** The SPIFFE identity a waypoint presents to the destination's ztunnel (its own service account). */
  principal(w: Waypoint): string {
    return principalOf(this.snapshot.trustDomain, w.namespace, w.name);
  }

  /** The use-waypoint label that decides for a Service (its own, else its namespace's); undefined: none. */
  serviceUse(svc: ServiceInfo): WaypointUse | undefined {
    if (this.serviceUses.has(svc.fqdn)) return this.serviceUses.get(svc.fqdn);
    const use = this.use(svc.resource, svc.resource.labels, 'service', svc.namespace);
    this.serviceUses.set(svc.fqdn, use);
    return use;
  }

  /** The use-waypoint label that decides for a workload (the pod's own, else its namespace's). */
  workloadUse(w: Workload): WaypointUse | undefined {
    return this.use(w.resource, w.labels, 'workload', w.namespace);
  }

  /** The waypoint that takes traffic sent to a Service (by its host name), if any. */
  serviceWaypoint(fqdn: string): Waypoint | undefined {
    const svc = this.snapshot.service(fqdn);
    if (!svc) return undefined;
    const use = this.serviceUse(svc);
    return use?.serves ? use.waypoint : undefined;
  }

  private use(
    obj: Resource,
    labels: Record<string, string>,
    kind: 'service' | 'workload',
    namespace: string,
  ): WaypointUse | undefined {
    let by = obj;
    let level: WaypointUse['level'] = kind;
    let name = labels[USE_WAYPOINT];
    let nsLabel = labels[USE_WAYPOINT_NAMESPACE];
    if (name === undefined) {
      const ns = this.snapshot.list('Namespace').find((n) => n.name === namespace);
      name = ns?.labels[USE_WAYPOINT];
      if (!ns || name === undefined) return undefined;
      by = ns;
      level = 'namespace';
      nsLabel = ns.labels[USE_WAYPOINT_NAMESPACE];
    }
    if (name === '' || name === 'none') return undefined;
    const ref = `${nsLabel || namespace}/${name}`;
    const waypoint = this.byRef.get(ref);
    const serves = waypoint !== undefined && (waypoint.for === 'all' || waypoint.for === kind);
    return { by, level, ref, ...(waypoint ? { waypoint } : {}), serves };
  }
}

const models = new WeakMap<Snapshot, AmbientModel>();

/** The ambient model of a snapshot (cached). */
export function ambientOf(snapshot: Snapshot): AmbientModel {
  let m = models.get(snapshot);
  if (!m) models.set(snapshot, (m = new AmbientModel(snapshot)));
  return m;
}
