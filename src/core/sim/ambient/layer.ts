// The ambient layer: a hop to a pod enrolled in ambient goes through ztunnel
// (HBONE, mTLS with the client's identity) and, when the client is in ambient
// and a waypoint serves the destination Service, through that waypoint first.
// The waypoint enforces the L7 policies attached to it (targetRefs) with the
// client's identity; the destination ztunnel then enforces PeerAuthentication
// and the L4 policies that select the pod, seeing the waypoint's identity when
// there is one. Routing itself (VirtualServices only at a waypoint) is decided
// in route-tables.ts; this layer says when a VirtualService is left unused.
// Sidecar-to-sidecar hops are left to the security layer untouched. A sidecar or
// gateway client goes to the pods directly (upstream Istio sends sidecars to the
// pods; ingress goes through a waypoint only with istio.io/ingress-use-waypoint,
// which is noted, not simulated).
import { type AmbientModel, ambientOf, INGRESS_USE_WAYPOINT, type Waypoint } from '../../config/ambient.ts';
import type { AuthzRequest } from '../../config/authz-match.ts';
import { routeSourceName } from '../../config/http-route.ts';
import { SecurityPolicies } from '../../config/security-policies.ts';
import type { Snapshot } from '../../config/snapshot.ts';
import { principalOf } from '../../config/workload-facts.ts';
import { HopMemo } from '../hop-memo.ts';
import type { Hop, HopLayer, HopVerdict } from '../layers.ts';
import type { SimMesh } from '../mesh.ts';
import type { Caller, Endpoint, SimRequest } from '../types.ts';
import { attachedTo, customAtWaypoint, waypointDecision, waypointJwt, ztunnelDecision } from './policies.ts';

export function ambientLayer(mesh: SimMesh): HopLayer | null {
  if (!mesh.snapshot.workloadsMatching({}).some((w) => w.dataplane === 'ambient')) return null;
  return new AmbientLayer(mesh);
}

class AmbientLayer implements HopLayer {
  readonly name = 'ambient';
  private readonly mesh: SimMesh;
  private readonly snapshot: Snapshot;
  private readonly model: AmbientModel;
  private readonly policies: SecurityPolicies;
  /** one memo per --ext-authz answer (a CUSTOM check at a waypoint may depend on it) */
  private readonly memos = { allow: new HopMemo(), deny: new HopMemo() };

  constructor(mesh: SimMesh) {
    this.mesh = mesh;
    this.snapshot = mesh.snapshot;
    this.model = ambientOf(mesh.snapshot);
    this.policies = new SecurityPolicies(mesh.snapshot);
  }

  hop(h: Hop): HopVerdict | null {
    return this.memos[this.mesh.extAuthz].hop(h, (x) => this.decide(x));
  }

  private decide(h: Hop): HopVerdict | null {
    const { caller, cluster, endpoint: ep, req } = h;
    if (ep.external) return null;
    const note = (n: string) => h.note?.(n);
    if (caller.ambient) this.unusedL7(req, note);
    if (ep.workload?.dataplane !== 'ambient') {
      if (caller.ambient)
        note(
          `ambient: ${caller.name} → ztunnel → ${ep.pod}, which is not in ambient (${ep.workload?.sidecar ? 'a sidecar' : 'no mesh'})`,
        );
      return null;
    }
    const port = this.targetPort(cluster.host, cluster.port);
    // the client's identity: ztunnel (ambient) or a sidecar/gateway speak HBONE mTLS; anything else is plaintext
    const client =
      caller.ambient || caller.sidecar !== false
        ? principalOf(this.snapshot.trustDomain, caller.namespace, caller.serviceAccount ?? 'default')
        : undefined;
    const waypoint = caller.ambient ? this.model.serviceWaypoint(cluster.host) : undefined;
    if (caller.gateway && this.ingressUsesWaypoint(cluster.host))
      note(
        `${caller.name} → ${ep.pod}: istio.io/ingress-use-waypoint sends ingress traffic through the waypoint in Istio 1.26; not simulated (the gateway goes to the pod directly here)`,
      );
    if (waypoint) {
      const svc = this.snapshot.service(cluster.host);
      const r: AuthzRequest = {
        method: req.method,
        path: req.uri,
        host: req.authority.replace(/:\d+$/, ''),
        port,
        headers: req.headers,
        ...(client ? { principal: client } : {}),
      };
      // Envoy runs the CUSTOM filters (ext_authz) before the JWT filter and RBAC, at a waypoint too
      const custom = customAtWaypoint(this.snapshot, waypoint, svc, r, this.mesh.extAuthz);
      if (custom.kind === 'deny')
        return {
          kind: 'reply',
          status: custom.status,
          reason: `${custom.body ? `"${custom.body}": ` : ''}${custom.reason} (${client ?? 'no identity'})`,
          beforePod: true,
        };
      if (custom.note) note(custom.note);
      const jwt = waypointJwt(this.snapshot, waypoint, svc, req.headers, req.query);
      if (jwt.invalid) return { kind: 'reply', status: 401, reason: jwt.invalid, beforePod: true };
      if (jwt.principal) r.requestPrincipal = jwt.principal;
      if (jwt.claims) r.claims = jwt.claims;
      const w = waypointDecision(this.snapshot, waypoint, svc, r);
      for (const n of w.notes) note(n);
      if (w.denied) return { kind: 'reply', status: 403, reason: w.denied, beforePod: true };
    }
    const peer = waypoint ? this.model.principal(waypoint) : client;
    const pol = this.policies.forWorkload(ep.namespace, ep.labels);
    const mode = pol.mtls(port);
    if (mode.mode === 'STRICT' && !peer)
      return {
        kind: 'reset',
        connect: false,
        reason: `ztunnel at ${ep.pod} accepts only mTLS (${mode.by}: STRICT) but ${caller.name} sends plaintext (no sidecar, not in ambient): connection reset`,
      };
    if (mode.mode === 'DISABLE')
      note(`${mode.by}: DISABLE is ignored in ambient (ztunnel always speaks mTLS to ${ep.pod})`);
    const peerText = peer ? `peer ${peer}${waypoint ? ', the waypoint' : ''}` : 'no identity (plaintext)';
    const z = ztunnelDecision(
      ep.pod,
      pol,
      { method: '', path: '', host: '', port, headers: {}, ...(peer ? { principal: peer } : {}) },
      peerText,
    );
    for (const n of z.notes) note(n);
    if (z.denied) return { kind: 'reset', connect: false, reason: z.denied };
    note(this.path(caller, waypoint, ep, peer !== undefined));
    return null;
  }

  /** `ambient: productpage-v1 → ztunnel → waypoint default/waypoint → ztunnel → reviews-v2-…` */
  private path(caller: Caller, waypoint: Waypoint | undefined, ep: Endpoint, mtls: boolean): string {
    const from = caller.ambient
      ? `${caller.name} → ztunnel`
      : `${caller.name} (${caller.sidecar === false ? 'plaintext' : 'sidecar'})`;
    const via = waypoint ? ` → waypoint ${waypoint.namespace}/${waypoint.name}` : '';
    const how = mtls ? 'HBONE mTLS' : 'plaintext accepted (PERMISSIVE)';
    return `ambient: ${from}${via} → ztunnel → ${ep.pod} (${how}${waypoint || !caller.ambient ? '' : ', no waypoint'})`;
  }

  /** VirtualServices and Service-attached L7 policies that no waypoint applies for this host. */
  private unusedL7(req: SimRequest, note: (n: string) => void): void {
    if (this.model.serviceWaypoint(req.host)) return;
    const svc = this.snapshot.service(req.host);
    const why = svc
      ? `no waypoint serves ${req.host} (ambient traffic goes through ztunnel only: label the Service or its namespace istio.io/use-waypoint)`
      : `${req.host} has no waypoint`;
    const rules = this.mesh.table('mesh', req.host, req.port) ?? [];
    const names = new Set<string>();
    for (const r of rules) if (r.source?.vs) names.add(routeSourceName(r.source.vs));
    for (const n of names) note(`${n} does not apply: ${why}`);
    if (!svc) return;
    const none = { namespace: '', name: '' } as Waypoint;
    for (const p of this.snapshot.authorizationPolicies)
      if (attachedTo(p, none, svc))
        note(`AuthorizationPolicy ${p.namespace}/${p.name} is not enforced: ${why}`);
  }

  /** istio.io/ingress-use-waypoint=true on the Service or its namespace (ENABLE_INGRESS_WAYPOINT_ROUTING). */
  private ingressUsesWaypoint(host: string): boolean {
    const svc = this.snapshot.service(host);
    if (!svc || !this.model.serviceWaypoint(host)) return false;
    const ns = this.snapshot.list('Namespace').find((n) => n.name === svc.namespace);
    return (svc.resource.labels[INGRESS_USE_WAYPOINT] ?? ns?.labels[INGRESS_USE_WAYPOINT]) === 'true';
  }

  private targetPort(host: string, port: number): number {
    const svc = this.snapshot.service(host);
    return svc?.ports.find((p) => p.port === port)?.targetPort ?? port;
  }
}
