// The ambient lines of `describe pod`: which data plane carries the pod's
// traffic, and for each of its Services the waypoint that serves it (and so
// where its VirtualServices and L7 policies apply) or why none does.
import { ambientOf, type WaypointUse } from '../config/ambient.ts';
import type { ServiceInfo, Snapshot, Workload } from '../config/snapshot.ts';
import type { SimMesh } from '../sim/mesh.ts';

function decidedBy(use: WaypointUse): string {
  const obj = use.by;
  const who = obj.kind === 'Namespace' ? `namespace ${obj.name}` : `${obj.kind} ${obj.namespace}/${obj.name}`;
  return `${who}'s istio.io/use-waypoint`;
}

/** Lines under the pod's header: its data plane and, in ambient, the workload waypoint. */
export function podDataplaneLines(snapshot: Snapshot, w: Workload): string[] {
  if (w.dataplane === 'sidecar') return [];
  if (w.dataplane === 'none')
    return ['   Data plane: none (no sidecar, not in ambient): no mTLS, routing or policy at this pod'];
  const out = ['   Data plane: ambient (ztunnel on its node: HBONE mTLS, L4 authorization; no sidecar)'];
  const use = ambientOf(snapshot).workloadUse(w);
  if (use?.serves)
    out.push(`   Workload waypoint: ${use.ref} (${decidedBy(use)}), for traffic sent to the pod's own IP`);
  return out;
}

/** Lines under a Service of an ambient pod: the waypoint that serves it, or why routing rules do not apply. */
export function serviceWaypointLines(
  snapshot: Snapshot,
  mesh: SimMesh,
  w: Workload,
  svc: ServiceInfo,
): string[] {
  if (w.dataplane !== 'ambient') return [];
  const use = ambientOf(snapshot).serviceUse(svc);
  if (use?.serves)
    return [
      `Waypoint: ${use.ref} (${decidedBy(use)}): ambient clients reach ${svc.name} through it, where its VirtualServices and targetRefs policies apply`,
    ];
  const why = !use
    ? 'no istio.io/use-waypoint on the Service or its namespace'
    : !use.waypoint
      ? `${decidedBy(use)} names ${use.ref}, which does not exist`
      : `${use.ref} takes ${use.waypoint.for} traffic only, not service traffic`;
  const vs = svc.ports.some((p) => (mesh.table('mesh', svc.fqdn, p.port) ?? []).some((r) => r.source));
  return [
    `Waypoint: none (${why}): ambient clients reach ${svc.name} through ztunnel only${vs ? '; its VirtualService applies to sidecar clients only' : ''}`,
  ];
}
