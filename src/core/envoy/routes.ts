// RDS as a proxy receives it: route configurations built from the simulator's
// compiled route tables (SimMesh.entry / SimMesh.table), never from a second
// reading of the VirtualServices. Sidecars get one route configuration per
// outbound HTTP port (`9080`) with a virtual host per service on that port;
// gateways one per Gateway server port (`http.8080`).
import { hostCovers, splitGatewayHost } from '../config/hosts.ts';
import { gatewayRoutes } from '../config/http-route.ts';
import { ingressListeners } from '../config/sidecar-ingress.ts';
import type { ServiceInfo, VirtualService } from '../config/snapshot.ts';
import type { Decision } from '../sim/route-tables.ts';
import type { EnvoyRoute, EnvoyRouteConfiguration, EnvoyVirtualHost } from './envoy-types.ts';
import { gatewayListenPort } from './listeners.ts';
import type { ProxyTarget } from './proxy.ts';
import { envoyRoutes } from './route-entries.ts';
import type { EnvoyView } from './view.ts';

const TLS_NAME = /^(https|tls)(-|$)/i;
const TCP_NAME = /^(tcp|mongo|mysql|redis|kafka|zookeeper)(-|$)/i;

/** Is a Service port HTTP for outbound routing (named http*, grpc*, or unnamed and sniffed)? */
export function httpServicePort(name: string | undefined): boolean {
  return !name || !(TLS_NAME.test(name) || TCP_NAME.test(name));
}

/** Service and ServiceEntry hosts with their HTTP ports, as a sidecar's outbound listeners see them. */
const hostsCache = new WeakMap<EnvoyView, Map<number, string[]>>();

export function outboundHttpHosts(view: EnvoyView): Map<number, string[]> {
  const cached = hostsCache.get(view);
  if (cached) return cached;
  const byPort = new Map<number, Set<string>>();
  const add = (port: number, host: string) => {
    let s = byPort.get(port);
    if (!s) byPort.set(port, (s = new Set()));
    s.add(host);
  };
  for (const svc of view.snapshot.services())
    for (const p of svc.ports) if (httpServicePort(p.name)) add(p.port, svc.fqdn);
  for (const se of view.snapshot.serviceEntries) {
    for (const p of se.spec.ports ?? []) {
      const proto = (p.protocol ?? '').toUpperCase();
      if (proto && !['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB'].includes(proto)) continue;
      for (const h of se.spec.hosts ?? []) if (p.number !== undefined) add(p.number, h);
    }
  }
  const out = new Map<number, string[]>();
  for (const [port, hosts] of [...byPort].sort((a, b) => a[0] - b[0])) out.set(port, [...hosts].sort());
  hostsCache.set(view, out);
  return out;
}

/** The domains pilot gives a service's virtual host, as seen from `callerNs`. */
function serviceDomains(
  view: EnvoyView,
  svc: ServiceInfo | undefined,
  host: string,
  callerNs: string,
): string[] {
  if (!svc) return [host];
  const out = [svc.fqdn];
  if (svc.namespace === callerNs) out.push(svc.name);
  out.push(`${svc.name}.${svc.namespace}.svc`, `${svc.name}.${svc.namespace}`);
  const ip = view.addresses.service(svc.fqdn);
  if (ip) out.push(ip);
  return out;
}

function decisionRoutes(d: Decision, proxy: ProxyTarget, port: number): EnvoyRoute[] {
  if (d.kind === 'route') return envoyRoutes([d.rule], proxy.caller, 'mesh', port);
  if (d.cluster === 'BlackHoleCluster')
    return [{ name: 'block_all', match: { prefix: '/' }, directResponse: { status: 502 } }];
  return [{ match: { prefix: '/' }, directResponse: { status: d.status } }];
}

/**
 * Where a sidecar sends what it does not know under ALLOW_ANY: PassthroughCluster,
 * or the cluster of its Sidecar's egressProxy (pilot: outbound|<port>|<subset>|<host>).
 */
export function catchAllCluster(view: EnvoyView, proxy: ProxyTarget): string {
  const p = proxy.gateway ? undefined : view.mesh.sidecarScope(proxy.caller)?.egressProxy;
  return p ? `outbound|${p.port ?? 0}|${p.subset ?? ''}|${p.host}` : 'PassthroughCluster';
}

function sidecarRouteConfigs(view: EnvoyView, proxy: ProxyTarget): EnvoyRouteConfiguration[] {
  const { mesh } = view;
  const out: EnvoyRouteConfiguration[] = [];
  for (const [port, hosts] of outboundHttpHosts(view)) {
    const vhosts: EnvoyVirtualHost[] = [];
    for (const host of hosts) {
      const req = mesh.request(proxy.caller, `${host}:${port}`, '/');
      if (req.tls) continue;
      const entry = mesh.entry(proxy.caller, req);
      // a host its Sidecar does not import has no virtual host (the catch-all below answers)
      if (entry.sidecar?.hides && !entry.rules) continue;
      const routes = entry.rules
        ? envoyRoutes(entry.rules, proxy.caller, 'mesh', port)
        : decisionRoutes(entry.fallback!, proxy, port);
      const svc = view.snapshot.service(host);
      vhosts.push({
        name: `${host}:${port}`,
        domains: serviceDomains(view, svc, host, proxy.namespace),
        routes,
        includeRequestAttemptCount: true,
      });
    }
    vhosts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    vhosts.push(
      (mesh.sidecarScope(proxy.caller)?.outboundMode ??
        view.snapshot.outboundModeFor(proxy.caller.namespace, proxy.caller.labels)) === 'REGISTRY_ONLY'
        ? {
            name: 'block_all',
            domains: ['*'],
            routes: [{ name: 'block_all', match: { prefix: '/' }, directResponse: { status: 502 } }],
          }
        : {
            name: 'allow_any',
            domains: ['*'],
            routes: [
              {
                name: 'allow_any',
                match: { prefix: '/' },
                route: { cluster: catchAllCluster(view, proxy), timeout: '0s' },
              },
            ],
          },
    );
    out.push({ name: String(port), virtualHosts: vhosts, validateClusters: false });
  }
  const ingress = ingressListeners(view.mesh.sidecarScope(proxy.caller)?.sidecar);
  for (const port of inboundPorts(view, proxy)) {
    // a TCP (or TLS) Sidecar ingress listener is a tcp proxy: no route configuration
    const proto = (ingress.find((l) => l.port === port)?.protocol ?? 'HTTP').toUpperCase();
    if (!['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB'].includes(proto)) continue;
    const cluster = `inbound|${port}||`;
    out.push({
      name: cluster,
      virtualHosts: [
        {
          name: `inbound|http|${port}`,
          domains: ['*'],
          routes: [{ name: 'default', match: { prefix: '/' }, route: { cluster, timeout: '0s' } }],
        },
      ],
      validateClusters: false,
    });
  }
  return out;
}

/**
 * The ports of this workload's inbound filter chains: its Sidecar's ingress listeners
 * when it has any, else the (target) ports of the Services that select it.
 */
export function inboundPorts(view: EnvoyView, proxy: ProxyTarget): number[] {
  const ingress = proxy.gateway ? [] : ingressListeners(view.mesh.sidecarScope(proxy.caller)?.sidecar);
  if (ingress.length > 0) return [...new Set(ingress.map((l) => l.port))].sort((a, b) => a - b);
  const ports = new Set<number>();
  for (const svc of view.snapshot.services()) {
    if (svc.namespace !== proxy.namespace || Object.keys(svc.selector).length === 0) continue;
    if (!Object.entries(svc.selector).every(([k, v]) => proxy.workload.labels[k] === v)) continue;
    for (const p of svc.ports) ports.add(p.targetPort ?? p.port);
  }
  return [...ports].sort((a, b) => a - b);
}

/** A gateway's servers, grouped the way pilot names their route configurations. */
export interface GatewayRouteGroup {
  name: string;
  /** the Gateway server port */
  port: number;
  /** the port the gateway pod listens on for it */
  listenPort: number;
  /** `ns/name` of the Gateways */
  contexts: string[];
  hosts: string[];
  /** each Gateway's own server hosts: a VirtualService meets only those of the Gateway it binds */
  hostsByContext: Map<string, string[]>;
  /** `ns/name|host` of the servers with tls.httpsRedirect: their virtual hosts require TLS */
  redirects: Set<string>;
}

export function gatewayRouteGroups(view: EnvoyView, proxy: ProxyTarget): GatewayRouteGroup[] {
  const groups = new Map<string, GatewayRouteGroup>();
  for (const ref of proxy.caller.contexts) {
    const gw = view.snapshot.gateway(ref);
    for (const srv of gw?.spec.servers ?? []) {
      const port = srv.port?.number;
      if (port === undefined) continue;
      const mode = view.serverMode(srv);
      const listenPort = gatewayListenPort(view, proxy, port);
      let name: string;
      if (mode === 'http' || mode === 'redirect') name = `http.${listenPort}`;
      else if (mode === 'https') name = `https.${port}.${srv.port?.name ?? ''}.${gw!.name}.${gw!.namespace}`;
      else continue;
      let g = groups.get(name);
      if (!g)
        groups.set(
          name,
          (g = {
            name,
            port,
            listenPort,
            contexts: [],
            hosts: [],
            hostsByContext: new Map(),
            redirects: new Set(),
          }),
        );
      if (!g.contexts.includes(ref)) g.contexts.push(ref);
      let own = g.hostsByContext.get(ref);
      if (!own) g.hostsByContext.set(ref, (own = []));
      for (const h of srv.hosts ?? []) {
        const host = splitGatewayHost(h).host.toLowerCase();
        g.hosts.push(host);
        own.push(host);
        if (mode === 'redirect') g.redirects.add(`${ref}|${host}`);
      }
    }
  }
  return [...groups.values()];
}

/** The VirtualServices (and HTTPRoutes on Gateway API listeners) with http rules, by routing context. */
function httpVsByContext(view: EnvoyView): Map<string, VirtualService[]> {
  const out = new Map<string, VirtualService[]>();
  for (const vs of [...view.snapshot.virtualServices, ...gatewayRoutes(view.snapshot)]) {
    if (!(vs.spec.http?.length ?? 0)) continue;
    for (const ref of view.snapshot.gatewayRefs(vs)) {
      let l = out.get(ref);
      if (!l) out.set(ref, (l = []));
      l.push(vs);
    }
  }
  return out;
}

/** The server host a VirtualService host meets (exact names by lookup, wildcards by scan). */
function serverHostFor(exact: Set<string>, wildcards: string[], h: string): string | undefined {
  if (exact.has(h)) return h;
  for (const s of wildcards) if (hostCovers(s, h) || hostCovers(h, s)) return s;
  if (h.startsWith('*')) for (const s of exact) if (hostCovers(h, s)) return s;
  return undefined;
}

function gatewayRouteConfigs(view: EnvoyView, proxy: ProxyTarget): EnvoyRouteConfiguration[] {
  const out: EnvoyRouteConfiguration[] = [];
  const byContext = httpVsByContext(view);
  for (const g of gatewayRouteGroups(view, proxy)) {
    const vhosts: EnvoyVirtualHost[] = [];
    const seen = new Set<string>();
    for (const context of g.contexts) {
      // pilot matches a VirtualService's hosts against the servers of the Gateway it is
      // bound to, not every server merged into this route configuration
      const own = g.hostsByContext.get(context) ?? [];
      const exact = new Set(own.filter((h) => !h.startsWith('*')));
      const wildcards = [...new Set(own.filter((h) => h.startsWith('*')))];
      for (const vs of byContext.get(context) ?? []) {
        for (const raw of vs.spec.hosts ?? []) {
          const h = raw.toLowerCase();
          // the virtual host is the narrower of the VirtualService host and the server host
          const server = serverHostFor(exact, wildcards, h);
          if (server === undefined) continue;
          const host = hostCovers(server, h) ? h : server;
          if (seen.has(host)) continue;
          seen.add(host);
          const rules = view.mesh.table(context, host, g.port);
          if (!rules) continue;
          vhosts.push({
            name: `${host}:${g.port}`,
            domains: host === '*' ? ['*'] : [host, `${host}:*`],
            routes: envoyRoutes(rules, proxy.caller, context, g.port),
            includeRequestAttemptCount: true,
            // pilot: a server with httpsRedirect sets require_tls ALL (Envoy answers 301 to https)
            ...(g.redirects.has(`${context}|${server}`) ? { requireTls: 'ALL' as const } : {}),
          });
        }
      }
    }
    if (vhosts.length === 0) vhosts.push({ name: `blackhole:${g.port}`, domains: ['*'], routes: [] });
    vhosts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    out.push({ name: g.name, virtualHosts: vhosts, validateClusters: false });
  }
  return out;
}

/** Every route configuration of a proxy, in istioctl's order (numeric names first, ascending). */
export function routeConfigs(view: EnvoyView, proxy: ProxyTarget): EnvoyRouteConfiguration[] {
  const list = proxy.gateway ? gatewayRouteConfigs(view, proxy) : sidecarRouteConfigs(view, proxy);
  const numeric = list.filter((r) => /^\d+$/.test(r.name)).sort((a, b) => Number(a.name) - Number(b.name));
  return [...numeric, ...list.filter((r) => !/^\d+$/.test(r.name))];
}
