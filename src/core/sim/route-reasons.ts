// The words of a route explanation (routeRequest's `reason`): why a request took
// the default route, why a proxy answered it itself, and what is bound elsewhere.
import { hostCovers, toFqdn } from '../config/hosts.ts';
import { listenerRouteNotes } from '../config/http-route.ts';
import { derivedListener } from '../config/k8s-gateway.ts';
import { formatScope } from '../config/visibility.ts';
import type { Decision, SimMesh } from './mesh.ts';
import type { CompiledRule } from './routes.ts';
import { type Caller, flagsText, type RouteEntry, type SimRequest } from './types.ts';

const where = (context: string): string => (context === 'mesh' ? 'in the mesh' : `at Gateway ${context}`);

/** VirtualServices with a host covering `host`, bound elsewhere than `context` (for "not bound here" notes). */
function boundElsewhere(mesh: SimMesh, host: string, context: string, kind: 'http' | 'tls'): string[] {
  return mesh.snapshot.virtualServices
    .filter(
      (vs) =>
        (vs.spec[kind]?.length ?? 0) > 0 &&
        (vs.spec.hosts ?? []).some((h) => hostCovers(toFqdn(h, vs.namespace), host)) &&
        !mesh.snapshot.gatewayRefs(vs).includes(context),
    )
    .map((vs) => `${vs.namespace}/${vs.name}`);
}

function notBoundNote(mesh: SimMesh, host: string, context: string, kind: 'http' | 'tls'): string {
  const others = boundElsewhere(mesh, host, context, kind);
  if (others.length === 0) return '';
  const how =
    context === 'mesh'
      ? 'in the mesh (no gateways: field, or "mesh" listed)'
      : `to Gateway ${context} (its gateways: field must list it; one without gateways: applies to sidecars only)`;
  return `; a VirtualService for ${host} exists (${others.join(', ')}), but none is bound ${how}`;
}

export function routeReason(mesh: SimMesh, req: SimRequest, entry: RouteEntry, r: CompiledRule): string {
  const c = r.clusters[0];
  if (r.source) return `routed by ${r.where}`;
  // a client without a sidecar: no proxy applies any rule, kube-proxy picks a pod
  // ambient without a waypoint: ztunnel forwards at L4, no route applies
  if (r.l4)
    return `ambient, no waypoint: ztunnel forwards to any pod of ${req.host} and applies no VirtualService or HTTPRoute (a waypoint serving the Service would)`;
  if (r.where.startsWith('no sidecar'))
    return `the caller has no sidecar: no VirtualService or DestinationRule applies, kube-proxy spreads its connections over every pod of ${req.host}`;
  if (r.where === 'PassthroughCluster') {
    const sc = entry.sidecar;
    const policy = sc?.mode ? `Sidecar ${sc.ref} sets ALLOW_ANY` : 'the mesh is ALLOW_ANY';
    if (sc?.hides)
      return `Sidecar ${sc.ref} does not import ${req.host} (its egress hosts), so the proxy does not know it; ${policy}, so it passes through (PassthroughCluster): plain TCP to the original destination, no VirtualService, DestinationRule or mTLS`;
    return `${req.host}:${req.port} is not in the registry; ${policy}, so it passes through (PassthroughCluster)`;
  }
  if (r.where.startsWith('egressProxy')) {
    const why = entry.sidecar?.hides
      ? `Sidecar ${entry.sidecar.ref} does not import ${req.host}`
      : `${req.host}:${req.port} is not in the registry`;
    const missing = c?.missing ? ` (${c.missing}: 503, flag NC)` : '';
    return `${why}; under ALLOW_ANY the ${r.where} takes what the proxy does not know: ${c?.name ?? ''}${missing}`;
  }
  const what = entry.tls ? 'no tls rule' : 'no VirtualService';
  return `${what} applies ${where(entry.context)}: the default route to ${c?.name ?? req.host}${notBoundNote(mesh, req.host, entry.context, entry.tls ? 'tls' : 'http')}`;
}

function registeredPorts(mesh: SimMesh, host: string, from: string): string {
  const ports = mesh.snapshot
    .serviceEntriesFor(host, from)
    .flatMap((se) => (se.spec.ports ?? []).map((p) => `${p.number}${p.protocol ? `/${p.protocol}` : ''}`));
  return ports.join(', ');
}

export function localReason(
  mesh: SimMesh,
  caller: Caller,
  req: SimRequest,
  entry: RouteEntry,
  d: Decision,
): string {
  if (d.kind !== 'local') return '';
  if (d.preflight) return d.preflight;
  const hostPort = `${req.host}${req.explicitPort || !caller.gateway ? `:${req.port}` : ''}`;
  if (d.rule?.source) {
    if (d.rule.action === 'local' && d.rule.localFlags)
      return `${d.rule.where} has no destination (503, flag NC)`;
    const http = d.rule.source.http;
    const kind = http?.redirect ? 'a redirect' : 'a direct response';
    return `${d.rule.where} answers itself with ${kind} (${d.status})`;
  }
  if (d.cluster === 'BlackHoleCluster') {
    const sc = entry.sidecar;
    const policy = sc?.mode ? `Sidecar ${sc.ref} sets REGISTRY_ONLY` : 'the mesh is REGISTRY_ONLY';
    const blocked = entry.tls
      ? 'BlackHoleCluster, the connection is closed (flag UH)'
      : "the sidecar's block_all route answers 502 (counted as BlackHoleCluster in the metrics)";
    if (sc?.hides)
      return `${policy} and Sidecar ${sc.ref} does not import ${req.host} (its egress hosts), so the proxy does not know it: ${blocked}`;
    const ports = registeredPorts(mesh, req.host, caller.namespace);
    const hidden = ports ? [] : mesh.snapshot.serviceEntriesFor(req.host);
    const registered = ports
      ? `ServiceEntry registers ${req.host} only on port ${ports}, not ${req.port}${entry.tls ? ' for TLS' : ' for HTTP'}`
      : hidden.length
        ? `no ServiceEntry visible in namespace ${caller.namespace} registers ${req.host} (${hidden.map((se) => `${se.namespace}/${se.name} is exported to ${formatScope(mesh.snapshot.scopeOf(se))}`).join('; ')})`
        : `no ServiceEntry registers ${req.host}`;
    // HTTP: the block_all route answers 502 itself (metrics name it BlackHoleCluster);
    // TCP/TLS: the BlackHoleCluster, the catch-all for them, closes the connection
    return `${policy} and ${registered}: ${blocked}`;
  }
  if (caller.gateway && d.refused) return noListenerReason(mesh, caller, req);
  if (caller.gateway) {
    const gateways = caller.contexts.join(', ') || 'none selects this workload';
    if (!entry.server && d.status === 0 && req.scheme === 'http')
      return `only TLS/HTTPS servers of Gateway ${gateways} listen on port ${req.port}: a plaintext request matches no filter chain and the connection is closed without a response (use https://)`;
    if (entry.tlsProblem) return entry.tlsProblem;
    if (entry.server?.mode === 'https' && d.status === 0 && !entry.rules) {
      const srv = entry.server;
      return srv.tlsMode?.toUpperCase() === 'ISTIO_MUTUAL'
        ? `the HTTPS server of Gateway ${srv.gateway} (port ${srv.port}) is ISTIO_MUTUAL: it accepts only Istio-issued client certificates, which a client outside the mesh cannot have: the TLS handshake fails, no HTTP status`
        : `the HTTPS server of Gateway ${srv.gateway} (port ${srv.port}) is MUTUAL and the client sent no certificate: the TLS handshake fails, no HTTP status (curl exit 56 "alert certificate required" with TLS 1.3, 35 with TLS 1.2); send one (curl --cert/--key, simulate --cert)`;
    }
    if (!entry.server) {
      const kind = req.scheme === 'https' ? 'TLS or HTTPS ' : req.scheme === 'http' ? 'HTTP ' : '';
      const answer = d.status === 0 ? 'the connection is closed (flag NR)' : 'Envoy answers 404, flag NR';
      const sni = req.scheme === 'https' && req.sni && req.sni !== req.host ? ` (SNI ${req.sni})` : '';
      return `no ${kind}server of Gateway ${gateways} accepts ${hostPort}${sni} (${answer})`;
    }
    const srv = entry.server;
    if (srv.mode === 'redirect')
      return `the HTTP server of Gateway ${srv.gateway} (port ${srv.port}) sets tls.httpsRedirect: every request gets a 301 to https`;
    if (srv.mode === 'passthrough') {
      const bound = entry.rules
        ? `no tls rule of the VirtualServices bound to it matches SNI ${req.host} on port ${srv.port}`
        : `no VirtualService bound to it has tls rules for ${req.host}${notBoundNote(mesh, req.host, srv.gateway, 'tls')}`;
      return `the ${srv.protocol} PASSTHROUGH server of Gateway ${srv.gateway} routes by SNI only (http rules do not apply): ${bound}; the connection is closed (flag NR)`;
    }
    if (!entry.rules) {
      const at = derivedListener(mesh.snapshot, srv.gateway);
      if (at) {
        // a Gateway API listener: say which HTTPRoutes are attached to it, and why others are not
        const notes = listenerRouteNotes(mesh.snapshot, srv.gateway);
        return `listener ${at.listener} of Gateway ${at.gateway.namespace}/${at.gateway.name} (class istio) accepts the request, but no HTTPRoute attached to it has host ${req.host} (Envoy answers 404, flag NR)${notes.length ? `; ${notes.join('; ')}` : '; no HTTPRoute names it as parent'}`;
      }
      return `Gateway ${srv.gateway} accepts the request, but no VirtualService bound to it has host ${req.host} (Envoy answers 404, flag NR)${notBoundNote(mesh, req.host, srv.gateway, 'http')}`;
    }
  }
  if (d.status === 404)
    return `no HTTP rule matches the request ${where(entry.context)} (Envoy answers 404, flag NR)`;
  return `${d.status} ${flagsText(d.flags)}`;
}

/** Why a gateway pod has no listener where the request goes (the connection is refused). */
function noListenerReason(mesh: SimMesh, caller: Caller, req: SimRequest): string {
  const pod = caller.name.replace(/^Gateway /, '');
  const refused = req.hops
    ? 'no listener, so the connection is refused: the proxy sending to it answers 503 UF (connect-failure, retried by default), and the gateway logs nothing'
    : 'no listener, so the connection is refused: no HTTP status (curl exit 7), no access log line';
  if (caller.contexts.length === 0)
    return `no Gateway opens port ${req.port} on ${pod}: no Gateway's selector matches its pod, so it has no listeners at all; ${refused}`;
  const ports = [
    ...new Set(
      caller.contexts.flatMap((ref) =>
        (mesh.snapshot.gateway(ref)?.spec.servers ?? [])
          .map((srv) => srv.port?.number)
          .filter((p) => p !== undefined),
      ),
    ),
  ].sort((a, b) => a - b);
  return `no Gateway opens port ${req.port} on ${pod} (Gateway ${caller.contexts.join(', ')} open${caller.contexts.length === 1 ? 's' : ''} port ${ports.join(', ')}); ${refused}`;
}
