// LDS as a proxy receives it, reduced to what `istioctl proxy-config listeners`
// reads: address, port, each filter chain's match and where it leads (an RDS
// route name, a cluster, an inline route). Sidecars: 0.0.0.0:<port> per
// outbound HTTP port, <ClusterIP>:<port> per TCP/TLS service port, the
// virtual outbound (15001) and inbound (15006) listeners, health and metrics.
// Gateways: one listener per Gateway server port.
import { ingressListeners } from '../config/sidecar-ingress.ts';
import type { ProxyTarget } from './proxy.ts';
import { catchAllCluster, gatewayRouteGroups, inboundPorts, outboundHttpHosts } from './routes.ts';
import type { EnvoyView } from './view.ts';

export interface FilterChain {
  filterChainMatch?: {
    destinationPort?: number;
    transportProtocol?: string;
    applicationProtocols?: string[];
    serverNames?: string[];
    prefixRanges?: { addressPrefix: string; prefixLen: number }[];
  };
  /** what the chain leads to, as istioctl's DESTINATION column shows it */
  destination: string;
}

export interface EnvoyListener {
  name: string;
  address: { socketAddress: { address: string; portValue: number } };
  filterChains: FilterChain[];
}

const HTTP_ALPN = ['http/1.1', 'h2c'];
const ISTIO_HTTP = ['istio-http/1.0', 'istio-http/1.1', 'istio-h2'];

function listener(address: string, port: number, chains: FilterChain[]): EnvoyListener {
  return {
    name: `${address}_${port}`,
    address: { socketAddress: { address, portValue: port } },
    filterChains: chains,
  };
}

function sidecarListeners(view: EnvoyView, proxy: ProxyTarget): EnvoyListener[] {
  const out: EnvoyListener[] = [];
  const httpPorts = outboundHttpHosts(view);
  // under a Sidecar resource, outbound listeners only for what its egress hosts import
  const scope = proxy.gateway ? undefined : view.mesh.sidecarScope(proxy.caller);
  const imported = (host: string, port: number) => !scope || scope.importsService(host, port);
  // unknown traffic: PassthroughCluster, or the Sidecar's egressProxy (BlackHoleCluster under REGISTRY_ONLY)
  const catchAll =
    (scope?.outboundMode ?? view.snapshot.outboundModeFor(proxy.caller.namespace, proxy.caller.labels)) ===
    'REGISTRY_ONLY'
      ? 'BlackHoleCluster'
      : catchAllCluster(view, proxy);
  for (const [port, hosts] of httpPorts) {
    if (!hosts.some((h) => imported(h, port))) continue;
    out.push(
      listener('0.0.0.0', port, [
        {
          filterChainMatch: { transportProtocol: 'raw_buffer', applicationProtocols: HTTP_ALPN },
          destination: `Route: ${port}`,
        },
        { destination: catchAll },
      ]),
    );
  }
  for (const svc of view.snapshot.services()) {
    for (const p of svc.ports) {
      if (httpPorts.get(p.port)?.includes(svc.fqdn) || !imported(svc.fqdn, p.port)) continue;
      const ip = view.addresses.service(svc.fqdn) ?? '0.0.0.0';
      out.push(listener(ip, p.port, [{ destination: `Cluster: outbound|${p.port}||${svc.fqdn}` }]));
    }
  }
  for (const se of view.snapshot.serviceEntries) {
    for (const p of se.spec.ports ?? []) {
      const proto = (p.protocol ?? '').toUpperCase();
      if (p.number === undefined || !(proto === 'TLS' || proto === 'HTTPS')) continue;
      for (const h of se.spec.hosts ?? []) {
        if (!imported(h, p.number)) continue;
        out.push(
          listener('0.0.0.0', p.number, [
            { filterChainMatch: { serverNames: [h] }, destination: `Cluster: outbound|${p.number}||${h}` },
          ]),
        );
      }
    }
  }
  out.push(
    listener('0.0.0.0', 15001, [
      { destination: catchAll },
      { filterChainMatch: { destinationPort: 15001 }, destination: 'Non-HTTP/Non-TCP' },
    ]),
  );
  const inbound: FilterChain[] = [
    { filterChainMatch: { destinationPort: 15006 }, destination: 'Non-HTTP/Non-TCP' },
  ];
  const ingress = ingressListeners(scope?.sidecar);
  for (const port of inboundPorts(view, proxy)) {
    const proto = (ingress.find((l) => l.port === port)?.protocol ?? 'HTTP').toUpperCase();
    if (!['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB'].includes(proto)) {
      // a TCP (or TLS) ingress listener: a tcp proxy to its cluster
      inbound.push({
        filterChainMatch: { destinationPort: port },
        destination: `Cluster: inbound|${port}||`,
      });
      continue;
    }
    inbound.push(
      {
        filterChainMatch: {
          destinationPort: port,
          transportProtocol: 'tls',
          applicationProtocols: ISTIO_HTTP,
        },
        destination: `Inline Route: /*`,
      },
      {
        filterChainMatch: {
          destinationPort: port,
          transportProtocol: 'raw_buffer',
          applicationProtocols: HTTP_ALPN,
        },
        destination: `Inline Route: /*`,
      },
    );
  }
  inbound.push(
    {
      filterChainMatch: {
        transportProtocol: 'tls',
        applicationProtocols: ISTIO_HTTP,
        prefixRanges: [{ addressPrefix: '0.0.0.0', prefixLen: 0 }],
      },
      destination: 'InboundPassthroughCluster',
    },
    {
      filterChainMatch: {
        transportProtocol: 'raw_buffer',
        prefixRanges: [{ addressPrefix: '0.0.0.0', prefixLen: 0 }],
      },
      destination: 'InboundPassthroughCluster',
    },
  );
  out.push(listener('0.0.0.0', 15006, inbound));
  return out;
}

const listenPorts = new WeakMap<ProxyTarget, Map<number, number>>();

/** The port a gateway pod listens on for a Gateway server port (its Service's targetPort, if one maps it). */
export function gatewayListenPort(view: EnvoyView, proxy: ProxyTarget, serverPort: number): number {
  let map = listenPorts.get(proxy);
  if (!map) {
    map = new Map();
    for (const svc of view.snapshot.services()) {
      if (svc.namespace !== proxy.namespace) continue;
      if (!Object.entries(svc.selector).every(([k, v]) => proxy.workload.labels[k] === v)) continue;
      for (const p of svc.ports)
        if (p.targetPort !== undefined && !map.has(p.port)) map.set(p.port, p.targetPort);
    }
    listenPorts.set(proxy, map);
  }
  return map.get(serverPort) ?? serverPort;
}

function gatewayListeners(view: EnvoyView, proxy: ProxyTarget): EnvoyListener[] {
  const byPort = new Map<number, FilterChain[]>();
  const chains = (port: number) => {
    let l = byPort.get(port);
    if (!l) byPort.set(port, (l = []));
    return l;
  };
  for (const g of gatewayRouteGroups(view, proxy)) {
    const tls = g.name.startsWith('https.');
    chains(g.listenPort).push({
      ...(tls ? { filterChainMatch: { serverNames: g.hosts.filter((h) => h !== '*') } } : {}),
      destination: `Route: ${g.name}`,
    });
  }
  for (const ref of proxy.caller.contexts) {
    for (const srv of view.snapshot.gateway(ref)?.spec.servers ?? []) {
      if (srv.port?.number === undefined || view.serverMode(srv) !== 'passthrough') continue;
      const port = gatewayListenPort(view, proxy, srv.port.number);
      for (const h of srv.hosts ?? [])
        chains(port).push({ filterChainMatch: { serverNames: [h] }, destination: `TLS passthrough: ${h}` });
    }
  }
  return [...byPort].map(([port, c]) => listener('0.0.0.0', port, c));
}

/** Every listener of a proxy (health and metrics included). */
export function listeners(view: EnvoyView, proxy: ProxyTarget): EnvoyListener[] {
  const out = proxy.gateway ? gatewayListeners(view, proxy) : sidecarListeners(view, proxy);
  out.push(
    listener('0.0.0.0', 15021, [{ destination: 'Inline Route: /healthz/ready*' }]),
    listener('0.0.0.0', 15090, [{ destination: 'Inline Route: /stats/prometheus*' }]),
  );
  return out;
}

/** istioctl's names for ALPN lists it recognises (others are printed as they are). */
const PROTOCOL_NAMES: [string, string[]][] = [
  ['App: HTTP TLS', ['http/1.0', 'http/1.1', 'h2c', ...ISTIO_HTTP]],
  ['App: Istio HTTP Plain', ['istio', ...ISTIO_HTTP]],
  ['App: TCP TLS', ['istio-peer-exchange', 'istio']],
  ['App: HTTP', ['http/1.0', 'http/1.1', 'h2c']],
];

/** istioctl's MATCH text for a filter chain. */
export function describeChain(chain: FilterChain): string {
  const m = chain.filterChainMatch;
  if (!m) return 'ALL';
  const d: string[] = [];
  if (m.serverNames?.length) d.push(`SNI: ${m.serverNames.join(',')}`);
  if (m.transportProtocol) d.push(`Trans: ${m.transportProtocol}`);
  if (m.applicationProtocols?.length) {
    const named = PROTOCOL_NAMES.find(([, p]) => p.join() === m.applicationProtocols!.join());
    d.push(named ? named[0] : `App: ${m.applicationProtocols.join(',')}`);
  }
  const port = m.destinationPort !== undefined ? `:${m.destinationPort}` : '';
  if (m.prefixRanges?.length)
    d.push(`Addr: ${m.prefixRanges.map((p) => `${p.addressPrefix}/${p.prefixLen}`).join(',')}${port}`);
  else if (port) d.push(`Addr: *${port}`);
  return d.length ? d.join('; ') : 'ALL';
}
