// Requests and the registry: how a target resolves to host and port, and what the
// registry (Kubernetes Services, ServiceEntries) declares about a host:port.
import { toFqdn } from '../config/hosts.ts';
import type { Snapshot } from '../config/snapshot.ts';
import type { RouteTables } from './route-tables.ts';
import { type Caller, SimError, type SimRequest } from './types.ts';

export const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB']);
export const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

/** Is a Kubernetes Service port TLS by Istio's protocol selection (name prefix `https`/`tls`)? */
function tlsPortName(name: string | undefined): boolean {
  return name !== undefined && /^(https|tls)(-|$)/i.test(name);
}

/**
 * A request from `caller` to `target` (`host`, `host:port`, or a URL). Short names
 * resolve in the caller's namespace, as DNS would. Without a port: 443 for
 * https://, else the Service's (or ServiceEntry's, without a scheme) first port,
 * else 80. A sidecar sends a TLS connection for https:// and, without a scheme,
 * to a port the registry declares TLS or HTTPS.
 */
export function request(
  snapshot: Snapshot,
  caller: Caller,
  target: string,
  path: string,
  headers: Record<string, string>,
  method: string,
  inferNamespace: boolean,
): SimRequest {
  const sm = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target);
  const given = sm?.[1]?.toLowerCase();
  if (given !== undefined && given !== 'http' && given !== 'https')
    throw new SimError(`"${target}": the simulator sends http:// and https:// requests, not ${given}://`);
  const scheme = given ?? '';
  let t = sm ? target.slice(sm[0].length) : target;
  const slash = t.indexOf('/');
  if (slash >= 0) {
    if (path === '/') path = t.slice(slash);
    t = t.slice(0, slash);
  }
  const m = /^(.*?)(?::(\d+))?$/.exec(t);
  const name = (m?.[1] ?? t).toLowerCase();
  const explicitPort = m?.[2] !== undefined;
  const host = caller.gateway ? name : resolveHost(snapshot, name, caller.namespace, inferNamespace);
  const port = explicitPort ? Number(m?.[2]) : defaultPort(snapshot, caller, host, scheme);
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const q = path.indexOf('?');
  return {
    method,
    scheme,
    tls:
      scheme === 'https' ||
      (scheme === '' && !caller.gateway && registryTls(snapshot, host, port, caller.namespace)),
    authority: t,
    host,
    port,
    explicitPort,
    path,
    uri: q >= 0 ? path.slice(0, q) : path,
    query: q >= 0 ? path.slice(q + 1) : '',
    headers: lower,
  };
}

/** The request a gateway pod's proxy receives from a cluster on `port` (a hop). */
export function forwardRequest(req: SimRequest, port: number, hops: number): SimRequest {
  const m = /^(.*?)(?::\d+)?$/.exec(req.authority);
  return {
    method: req.method,
    scheme: req.tls ? 'https' : 'http',
    tls: req.tls,
    hops,
    authority: req.authority,
    host: (m?.[1] ?? req.authority).toLowerCase(),
    port,
    explicitPort: true,
    path: req.path,
    uri: req.uri,
    query: req.query,
    headers: req.headers,
  };
}

function defaultPort(snapshot: Snapshot, caller: Caller, host: string, scheme: string): number {
  if (scheme === 'https') return 443;
  if (caller.gateway) return 80;
  const svc = snapshot.service(host);
  if (svc) return svc.ports[0]?.port ?? 80;
  if (scheme === '') {
    for (const se of snapshot.serviceEntriesFor(host)) {
      const p = se.spec.ports?.[0]?.number;
      if (p !== undefined) return p;
    }
  }
  return 80;
}

/** Does the registry declare `host:port` TLS (a Service port named https/tls, a ServiceEntry port TLS/HTTPS)? */
export function registryTls(snapshot: Snapshot, host: string, port: number, from?: string): boolean {
  const svc = snapshot.service(host);
  if (svc) return tlsPortName(svc.ports.find((p) => p.port === port)?.name);
  return serviceEntryPort(snapshot, host, port, from)?.tls === true;
}

/**
 * The ServiceEntry port registering `host:port`: undefined when no ServiceEntry
 * has the host, `null` when some do but none on this port (entries without
 * ports register every port).
 */
export function serviceEntryPort(
  snapshot: Snapshot,
  host: string,
  port: number,
  from?: string,
): { tls: boolean } | null | undefined {
  const entries = snapshot.serviceEntriesFor(host, from);
  if (entries.length === 0) return undefined;
  let listed = false;
  for (const se of entries) {
    for (const p of se.spec.ports ?? []) {
      listed = true;
      if (p.number === port) return { tls: TLS_PROTOCOLS.has((p.protocol ?? '').toUpperCase()) };
    }
  }
  return listed ? null : { tls: false };
}

/**
 * Is `host:port` in the registry for this kind of traffic? Kubernetes Services (and
 * cluster-local names) always are; a ServiceEntry host only on its ports, HTTP
 * traffic only on non-TLS ones and TLS connections only on non-HTTP ones.
 */
export function registered(
  snapshot: Snapshot,
  host: string,
  port: number,
  tls: boolean,
  from?: string,
): boolean {
  if (snapshot.service(host) || host.endsWith('.svc.cluster.local')) return true;
  const p = serviceEntryPort(snapshot, host, port, from);
  if (!p) return false;
  if (tls) return p.tls || !serviceEntryHttp(snapshot, host, port, from);
  return !p.tls;
}

function serviceEntryHttp(snapshot: Snapshot, host: string, port: number, from?: string): boolean {
  return snapshot
    .serviceEntriesFor(host, from)
    .some((se) =>
      (se.spec.ports ?? []).some(
        (p) => p.number === port && HTTP_PROTOCOLS.has((p.protocol ?? '').toUpperCase()),
      ),
    );
}

function resolveHost(snapshot: Snapshot, name: string, namespace: string, inferNamespace: boolean): string {
  if (!name.includes('.')) {
    const local = toFqdn(name, namespace);
    if (!inferNamespace || snapshot.service(local)) return local;
    const found = snapshot.services().filter((s) => s.name === name);
    return found.length === 1 ? found[0]!.fqdn : local;
  }
  const parts = name.split('.');
  if (parts.length === 2 && snapshot.service(`${name}.svc.cluster.local`)) return `${name}.svc.cluster.local`;
  if (parts.length === 3 && parts[2] === 'svc') return `${name}.cluster.local`;
  return name;
}

/** Is `host` something a client could resolve (a Service, ServiceEntry or VirtualService host)? */
export function knownHost(snapshot: Snapshot, tables: RouteTables, caller: Caller, host: string): boolean {
  if (caller.gateway || !host.endsWith('.svc.cluster.local')) return true;
  return snapshot.hostExists(host) || tables.table('mesh', host, 0) !== null;
}
