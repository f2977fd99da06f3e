// Which Gateway server of a gateway caller takes a request: the listener on the
// port (one per server port of the Gateways that select the pod), then the server
// whose hosts cover the request's host (or SNI) with a protocol that fits the scheme.
import { hostCovers, splitGatewayHost } from '../config/hosts.ts';
import type { Server } from '../config/schemas/index.ts';
import { labelsMatch, type Snapshot } from '../config/snapshot.ts';
import { HTTP_PROTOCOLS, TLS_PROTOCOLS } from './registry.ts';
import type { Caller, GatewayServerMatch, ServerMode, SimRequest } from './types.ts';

/** A Gateway server's TLS mode that needs a client certificate, and whether an outside client's can do. */
export function needsClientCert(tlsMode: string | undefined): 'any' | 'istio' | undefined {
  const m = (tlsMode ?? '').toUpperCase();
  if (m === 'MUTUAL') return 'any';
  if (m === 'ISTIO_MUTUAL') return 'istio';
  return undefined;
}

/** How a Gateway server handles what it accepts, from its protocol and TLS settings. */
export function serverMode(server: Server): ServerMode {
  const proto = (server.port?.protocol ?? 'HTTP').toUpperCase();
  const mode = (server.tls?.mode ?? '').toUpperCase();
  if (HTTP_PROTOCOLS.has(proto)) return server.tls?.httpsRedirect ? 'redirect' : 'http';
  if (mode === 'PASSTHROUGH' && TLS_PROTOCOLS.has(proto)) return 'passthrough';
  if (proto === 'HTTPS' && mode !== 'AUTO_PASSTHROUGH') return 'https';
  return 'unsupported';
}

/**
 * The Gateway server of a gateway caller that accepts the request: host (or SNI)
 * covered, port served (when given), and a protocol that fits the scheme (https://
 * only TLS/HTTPS servers, http:// only plain ones; without a scheme, plain and
 * terminating servers first).
 */
export function gatewayServer(
  snapshot: Snapshot,
  caller: Caller,
  req: SimRequest,
): GatewayServerMatch | null {
  // a TLS client is matched by its SNI, which is the host unless given apart
  const name = req.scheme === 'https' ? (req.sni ?? req.host) : req.host;
  const key = `${name}|${req.explicitPort ? req.port : ''}|${req.scheme}`;
  const cache = (caller.gatewayContexts ??= new Map());
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let found: GatewayServerMatch | null = null;
  let later: GatewayServerMatch | null = null;
  for (const ref of caller.contexts) {
    for (const srv of snapshot.gateway(ref)?.spec.servers ?? []) {
      const protocol = (srv.port?.protocol ?? 'HTTP').toUpperCase();
      const tls = TLS_PROTOCOLS.has(protocol);
      if (
        (req.scheme === 'https' && !tls) ||
        (req.scheme === 'http' && (tls || !HTTP_PROTOCOLS.has(protocol)))
      )
        continue;
      if (req.explicitPort && !portServes(snapshot, caller, srv.port?.number, req.port)) continue;
      if (!(srv.hosts ?? []).some((h) => hostCovers(splitGatewayHost(h).host.toLowerCase(), name))) continue;
      const match: GatewayServerMatch = {
        gateway: ref,
        port: srv.port?.number ?? req.port,
        protocol,
        ...(srv.tls?.mode ? { tlsMode: srv.tls.mode } : {}),
        ...(srv.tls?.credentialName ? { credentialName: srv.tls.credentialName } : {}),
        mode: serverMode(srv),
      };
      if (
        req.scheme === '' &&
        !req.explicitPort &&
        (match.mode === 'passthrough' || match.mode === 'unsupported')
      ) {
        later ??= match;
        continue;
      }
      found = match;
      break;
    }
    if (found) break;
  }
  found ??= later;
  cache.set(key, found);
  return found;
}

/**
 * Does the gateway pod listen where the request goes? istiod builds a gateway's
 * listeners from the servers of the Gateways that select its pod, one per server
 * port: with no such Gateway there is none, and a port no server opens has none.
 * A bare host (no scheme, no port) is taken to the server its host matches;
 * http:// and https:// go to 80 and 443 as a client would.
 */
export function hasListener(snapshot: Snapshot, caller: Caller, req: SimRequest): boolean {
  if (caller.contexts.length === 0) return false;
  if (!req.explicitPort && req.scheme === '') return true;
  return caller.contexts.some((ref) =>
    (snapshot.gateway(ref)?.spec.servers ?? []).some((srv) =>
      portServes(snapshot, caller, srv.port?.number, req.port),
    ),
  );
}

/** Do only TLS/HTTPS servers of the caller's Gateways listen where `port` leads? */
export function tlsOnlyPort(snapshot: Snapshot, caller: Caller, port: number): boolean {
  let tls = false;
  for (const ref of caller.contexts)
    for (const srv of snapshot.gateway(ref)?.spec.servers ?? []) {
      if (!portServes(snapshot, caller, srv.port?.number, port)) continue;
      if (!TLS_PROTOCOLS.has((srv.port?.protocol ?? 'HTTP').toUpperCase())) return false;
      tls = true;
    }
  return tls;
}

/** Does a gateway server port receive requests sent to `port` (directly or via its Service)? */
function portServes(
  snapshot: Snapshot,
  caller: Caller,
  serverPort: number | undefined,
  port: number,
): boolean {
  if (serverPort === undefined || serverPort === port) return true;
  for (const svc of snapshot.services()) {
    if (svc.namespace !== caller.namespace || !labelsMatch(svc.selector, caller.labels)) continue;
    if (svc.ports.some((p) => p.port === port && (p.targetPort ?? p.port) === serverPort)) return true;
  }
  return false;
}
