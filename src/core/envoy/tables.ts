// The tables `istioctl proxy-config` prints (Istio 1.26, istioctl/pkg/writer/
// envoy/configdump), with its filters: same headers, columns, ordering and
// tabwriter padding, so a learner reads the trainer's output as the real one.

import type { ClusterEntry } from './clusters.ts';
import { subsetKey } from './clusters.ts';
import type { EnvoyClusterLoadAssignment, EnvoyRoute, EnvoyRouteConfiguration } from './envoy-types.ts';
import { describeChain, type EnvoyListener } from './listeners.ts';
import type { SecretEntry } from './secrets.ts';
import { tabwrite } from './tabwriter.ts';

/** istioctl's unexpandDomains: drop `x.svc.cluster.local` and `x.svc` when `x` is listed too. */
function unexpand(domains: string[]): string[] {
  const set = new Set(domains);
  return domains.filter((h) => {
    const full = h.endsWith('.svc.cluster.local') ? h.slice(0, -'.svc.cluster.local'.length) : h;
    const partial = h.endsWith('.svc') ? h.slice(0, -'.svc'.length) : h;
    return !((full !== h && set.has(full)) || (partial !== h && set.has(partial)));
  });
}

/** istioctl's describeRouteDomains: the port-less domains, two at most, "+ N more...". */
export function describeRouteDomains(domains: string[]): string {
  if (domains.length === 0) return '';
  if (domains.length === 1) return domains[0]!;
  const withoutPort = unexpand(
    domains.filter((d) => !d.includes(':') || (d.split(':').length > 3 && d.endsWith(']'))),
  );
  if (withoutPort.length > 2)
    return `${withoutPort.slice(0, 2).join(', ')} + ${withoutPort.length - 2} more...`;
  return withoutPort.join(', ');
}

export function describeMatch(m: EnvoyRoute['match']): string {
  const conds: string[] = [];
  if (m.prefix) conds.push(`${m.prefix}*`);
  if (m.path) conds.push(m.path);
  if (m.safeRegex) conds.push(`regex ${m.safeRegex.regex}`);
  return conds.join(' ');
}

function describeManagement(r: EnvoyRoute): string {
  const config = r.metadata?.filterMetadata.istio.config;
  if (!config) return '';
  const pieces = config.split('/');
  return pieces.length === 8 ? `${pieces[7]}.${pieces[5]}` : '<unknown>';
}

const isPassthrough = (r: EnvoyRoute) => r.route?.cluster === 'PassthroughCluster';

export interface RouteFilter {
  name?: string;
}

export function filterRoutes(configs: EnvoyRouteConfiguration[], f: RouteFilter): EnvoyRouteConfiguration[] {
  return configs.filter((c) => !f.name || c.name === f.name);
}

/** The static route configurations every proxy's dump ends with (no name: health and metrics). */
const BACKEND_ROWS = [
  ['', 'backend', '*', '/stats/prometheus*', ''],
  ['', 'backend', '*', '/healthz/ready*', ''],
];

/** `istioctl proxy-config routes` (verbose, its default). */
export function routesTable(configs: EnvoyRouteConfiguration[], f: RouteFilter = {}): string {
  const rows: string[][] = [['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE']];
  for (const rc of filterRoutes(configs, f)) {
    for (const vh of rc.virtualHosts) {
      for (const r of vh.routes) {
        if (isPassthrough(r)) continue;
        rows.push([
          rc.name,
          vh.name,
          describeRouteDomains(vh.domains),
          describeMatch(r.match),
          describeManagement(r),
        ]);
      }
      if (vh.routes.length === 0)
        rows.push([rc.name, vh.name, describeRouteDomains(vh.domains), '/*', '404']);
    }
  }
  if (!f.name) rows.push(...BACKEND_ROWS);
  return tabwrite(rows, 5);
}

export interface ClusterFilter {
  fqdn?: string;
  port?: number;
  subset?: string;
  direction?: string;
}

/** istioctl's ClusterFilter.Verify: substring tests on the cluster name. */
export function clusterMatches(name: string, f: ClusterFilter): boolean {
  if (f.fqdn && !name.includes(f.fqdn)) return false;
  if (f.direction && !name.includes(f.direction)) return false;
  if (f.subset && !name.includes(f.subset)) return false;
  if (f.port && !name.includes(`|${f.port}|`)) return false;
  return true;
}

/** `istioctl proxy-config clusters`. */
export function clustersTable(entries: ClusterEntry[], f: ClusterFilter = {}): string {
  const rows: string[][] = [['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE']];
  for (const e of entries) {
    const c = e.cluster;
    if (!clusterMatches(c.name, f)) continue;
    const k = subsetKey(c.name);
    if (k) rows.push([k.fqdn, String(k.port), k.subset || '-', k.direction, c.type, e.destinationRule]);
    else rows.push([c.name, '-', '-', '-', c.type, e.destinationRule]);
  }
  return tabwrite(rows, 5);
}

export interface ListenerFilter {
  address?: string;
  port?: number;
  type?: string;
}

/** istioctl's retrieveListenerType. */
export function listenerType(l: EnvoyListener): string {
  let http = 0;
  let tcp = 0;
  for (const c of l.filterChains) {
    if (c.destination.startsWith('Route:') || c.destination.startsWith('Inline Route:')) http++;
    else if (c.destination !== 'Non-HTTP/Non-TCP' && c.destination !== 'BlackHoleCluster') tcp++;
  }
  if (http > 0) return tcp === 0 ? 'HTTP' : 'HTTP+TCP';
  return tcp > 0 ? 'TCP' : 'UNKNOWN';
}

export function filterListeners(list: EnvoyListener[], f: ListenerFilter): EnvoyListener[] {
  return list
    .filter((l) => {
      const a = l.address.socketAddress;
      if (f.address && a.address.toLowerCase() !== f.address.toLowerCase()) return false;
      if (f.port && a.portValue !== f.port) return false;
      if (f.type && listenerType(l).toLowerCase() !== f.type.toLowerCase()) return false;
      return true;
    })
    .sort((x, y) => {
      const a = x.address.socketAddress;
      const b = y.address.socketAddress;
      if (a.portValue !== b.portValue) return a.portValue - b.portValue;
      if (a.address !== b.address) return a.address < b.address ? -1 : 1;
      const tx = listenerType(x);
      const ty = listenerType(y);
      return tx < ty ? -1 : tx > ty ? 1 : 0;
    });
}

/** `istioctl proxy-config listeners` (verbose, its default; tabwriter padding 1). */
export function listenersTable(list: EnvoyListener[], f: ListenerFilter = {}): string {
  const rows: string[][] = [['ADDRESSES', 'PORT', 'MATCH', 'DESTINATION']];
  for (const l of filterListeners(list, f)) {
    const a = l.address.socketAddress;
    const chains = [...l.filterChains].sort((x, y) =>
      x.destination > y.destination ? -1 : x.destination < y.destination ? 1 : 0,
    );
    for (const c of chains) rows.push([a.address, String(a.portValue), describeChain(c), c.destination]);
  }
  return tabwrite(rows, 1);
}

export interface EndpointFilter {
  address?: string;
  port?: number;
  cluster?: string;
  status?: string;
}

export function filterEndpoints(
  list: EnvoyClusterLoadAssignment[],
  f: EndpointFilter,
): EnvoyClusterLoadAssignment[] {
  const out: EnvoyClusterLoadAssignment[] = [];
  for (const cla of list) {
    if (f.cluster && cla.clusterName.toLowerCase() !== f.cluster.toLowerCase()) continue;
    const endpoints = cla.endpoints
      .map((llb) => ({
        ...llb,
        lbEndpoints: llb.lbEndpoints.filter((ep) => {
          const s = ep.endpoint.address.socketAddress;
          if (
            f.address &&
            `${s.address}:${s.portValue}`.toLowerCase() !== f.address.toLowerCase() &&
            s.address !== f.address
          )
            return false;
          if (f.port && s.portValue !== f.port) return false;
          if (f.status && ep.healthStatus.toLowerCase() !== f.status.toLowerCase()) return false;
          return true;
        }),
      }))
      .filter((llb) => llb.lbEndpoints.length > 0);
    if (endpoints.length) out.push({ ...cla, endpoints });
  }
  return out;
}

/** `istioctl proxy-config endpoints` (1.26 heads the address column NAME; older istioctl, ENDPOINT). */
export function endpointsTable(list: EnvoyClusterLoadAssignment[], f: EndpointFilter = {}): string {
  const rows: string[][] = [['NAME', 'STATUS', 'LOCALITY', 'CLUSTER']];
  for (const cla of filterEndpoints(list, f)) {
    for (const llb of cla.endpoints) {
      for (const ep of llb.lbEndpoints) {
        const s = ep.endpoint.address.socketAddress;
        rows.push([`${s.address}:${s.portValue}`, ep.healthStatus, '', cla.clusterName]);
      }
    }
  }
  return tabwrite(rows, 5);
}

/** `istioctl proxy-config secret`. */
export function secretsTable(list: SecretEntry[]): string {
  const rows: string[][] = [
    ['RESOURCE NAME', 'TYPE', 'STATUS', 'VALID CERT', 'SERIAL NUMBER', 'NOT AFTER', 'NOT BEFORE'],
  ];
  for (const s of list)
    rows.push([s.name, s.type, s.status, String(s.valid), s.serial, s.notAfter, s.notBefore]);
  return tabwrite(rows, 5);
}
