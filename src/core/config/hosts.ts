// Host names as Istio resolves them (pilot ResolveShortnameToFQDN) and
// wildcard matching (pkg/config/host Name.Matches / SubsetOf).
import { isIP } from 'node:net';

export const CLUSTER_DOMAIN = 'cluster.local';

/** `reviews` named in namespace `default` -> `reviews.default.svc.cluster.local`. */
export function toFqdn(host: string, namespace: string): string {
  if (host === '' || host === '*' || host.includes('.') || isIP(host) !== 0) return host;
  return `${host}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

/** The short service name and namespace of a cluster-local FQDN, if it is one. */
export function splitServiceFqdn(fqdn: string): { name: string; namespace: string } | undefined {
  const suffix = `.svc.${CLUSTER_DOMAIN}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const parts = fqdn.slice(0, -suffix.length).split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { name: parts[0], namespace: parts[1] };
}

export function isWildcard(host: string): boolean {
  return host.startsWith('*');
}

/** Does `pattern` (possibly `*` or `*.example.com`) cover the concrete or wildcard `host`? */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (pattern === '*') return true;
  if (!pattern.startsWith('*')) return false;
  const suffix = pattern.slice(1); // ".example.com"
  if (host.startsWith('*')) return host.slice(1).endsWith(suffix) && host.length >= pattern.length;
  return host.endsWith(suffix) && host.length > suffix.length;
}

/** Do two hosts (either may be a wildcard) match some common name? */
export function hostsOverlap(a: string, b: string): boolean {
  return hostCovers(a, b) || hostCovers(b, a);
}

/**
 * A Gateway server host `[ns/]dnsName`: the namespace part restricts which
 * VirtualServices may bind ("*" or "." for any / the gateway's own namespace).
 */
export function splitGatewayHost(h: string): { namespace: string; host: string } {
  const i = h.indexOf('/');
  if (i < 0) return { namespace: '*', host: h };
  return { namespace: h.slice(0, i), host: h.slice(i + 1) };
}

/** A VirtualService `gateways:` entry -> `ns/name` (short names are in the VS namespace). */
export function gatewayRef(entry: string, vsNamespace: string): string {
  if (entry === 'mesh') return 'mesh';
  if (entry.includes('/')) return entry;
  // legacy `name.namespace` form (warned about by validation)
  const dot = entry.indexOf('.');
  if (dot > 0) return `${entry.slice(dot + 1).split('.')[0]}/${entry.slice(0, dot)}`;
  return `${vsNamespace}/${entry}`;
}
