// AuthorizationPolicy matching as Envoy's RBAC filter does it for Istio: string
// values exact, prefix ("/api*"), suffix ("*.example.com") or "*" (present);
// paths also take {*} and {**} templates; a source's fields, an operation's
// fields and every when condition must all match; from and to entries are ORed.
import { inCidr } from './cidr.ts';
import type { AuthzCondition, AuthzOperation, AuthzRule, AuthzSource } from './schemas/index.ts';

/** What the server's proxy knows about a request when it authorizes it. */
export interface AuthzRequest {
  /** the peer's SPIFFE identity (`cluster.local/ns/x/sa/y`); absent for plaintext */
  principal?: string;
  /** the request principal of a verified JWT (`iss/sub`) */
  requestPrincipal?: string;
  claims?: Record<string, unknown>;
  method: string;
  /** path without the query string */
  path: string;
  /** the Host/authority, without a port */
  host: string;
  port: number;
  headers: Record<string, string>;
  sni?: string;
  /** the directly connected peer's address (source.ip, ipBlocks); unknown: ipBlocks never match */
  sourceIp?: string;
  /** the original client's address (remote.ip, remoteIpBlocks); unknown: remoteIpBlocks never match */
  remoteIp?: string;
}

export function matchValue(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (pattern === '*') return value !== '';
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}

const templates = new Map<string, RegExp>();

export function matchPath(pattern: string, path: string | undefined): boolean {
  if (path === undefined) return false;
  if (!pattern.includes('{*}') && !pattern.includes('{**}')) return matchValue(pattern, path);
  let re = templates.get(pattern);
  if (!re) {
    const body = pattern
      .split('/')
      .map((seg) =>
        seg === '{*}' ? '[^/]+' : seg === '{**}' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    re = new RegExp(`^${body}$`);
    templates.set(pattern, re);
  }
  return re.test(path);
}

const any = (patterns: readonly string[] | undefined, value: string | undefined, m = matchValue) =>
  (patterns ?? []).some((p) => m(p, value));

/** `cluster.local/ns/default/sa/x` -> namespace and service account */
export function peerParts(principal: string | undefined): { ns?: string; sa?: string } {
  const m = principal ? /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal) : null;
  return m ? { ns: m[1], sa: m[2] } : {};
}

function matchSource(s: AuthzSource, r: AuthzRequest, policyNs: string): boolean {
  const peer = peerParts(r.principal);
  const sa = peer.ns !== undefined ? `${peer.ns}/${peer.sa}` : undefined;
  const saMatch = (list: readonly string[] | undefined) =>
    (list ?? []).some((v) => (v.includes('/') ? v : `${policyNs}/${v}`) === sa);
  if (s.principals && !any(s.principals, r.principal)) return false;
  if (s.notPrincipals && any(s.notPrincipals, r.principal)) return false;
  if (s.requestPrincipals && !any(s.requestPrincipals, r.requestPrincipal)) return false;
  if (s.notRequestPrincipals && any(s.notRequestPrincipals, r.requestPrincipal)) return false;
  if (s.namespaces && !any(s.namespaces, peer.ns)) return false;
  if (s.notNamespaces && any(s.notNamespaces, peer.ns)) return false;
  if (s.serviceAccounts && !saMatch(s.serviceAccounts)) return false;
  if (s.notServiceAccounts && saMatch(s.notServiceAccounts)) return false;
  // an unknown address is in no block: ipBlocks never match it, notIpBlocks never exclude it
  const inAny = (blocks: readonly string[] | undefined, ip: string | undefined) =>
    (blocks ?? []).some((b) => inCidr(b, ip));
  if (s.ipBlocks && !inAny(s.ipBlocks, r.sourceIp)) return false;
  if (s.notIpBlocks && inAny(s.notIpBlocks, r.sourceIp)) return false;
  if (s.remoteIpBlocks && !inAny(s.remoteIpBlocks, r.remoteIp)) return false;
  if (s.notRemoteIpBlocks && inAny(s.notRemoteIpBlocks, r.remoteIp)) return false;
  return true;
}

function matchOperation(o: AuthzOperation, r: AuthzRequest): boolean {
  const host = r.host.toLowerCase();
  const hostMatch = (list: readonly string[] | undefined) =>
    (list ?? []).some(
      (h) => matchValue(h.toLowerCase(), host) || matchValue(h.toLowerCase(), `${host}:${r.port}`),
    );
  if (o.hosts && !hostMatch(o.hosts)) return false;
  if (o.notHosts && hostMatch(o.notHosts)) return false;
  const port = String(r.port);
  if (o.ports && !o.ports.includes(port)) return false;
  if (o.notPorts?.includes(port)) return false;
  if (o.methods && !any(o.methods, r.method)) return false;
  if (o.notMethods && any(o.notMethods, r.method)) return false;
  if (o.paths && !any(o.paths, r.path, matchPath)) return false;
  if (o.notPaths && any(o.notPaths, r.path, matchPath)) return false;
  return true;
}

/** The values a condition key has for the request (none: the condition cannot match its values). */
function conditionValues(key: string, r: AuthzRequest): string[] {
  const peer = peerParts(r.principal);
  const bracket = /^([a-z.]+)((?:\[[^\]]+\])+)$/.exec(key);
  if (bracket) {
    const names = [...(bracket[2] ?? '').matchAll(/\[([^\]]+)\]/g)].map((m) => m[1] ?? '');
    if (bracket[1] === 'request.headers') {
      const v = r.headers[(names[0] ?? '').toLowerCase()];
      return v === undefined ? [] : [v];
    }
    if (bracket[1] === 'request.auth.claims') {
      let v: unknown = r.claims;
      for (const n of names) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[n] : undefined;
      if (Array.isArray(v)) return v.map(String);
      return v === undefined || v === null ? [] : [String(v)];
    }
    return [];
  }
  switch (key) {
    case 'source.principal':
      return r.principal ? [r.principal] : [];
    case 'source.namespace':
      return peer.ns ? [peer.ns] : [];
    case 'source.serviceAccount':
      return peer.ns ? [`${peer.ns}/${peer.sa}`] : [];
    case 'request.auth.principal':
      return r.requestPrincipal ? [r.requestPrincipal] : [];
    case 'request.auth.audiences': {
      const aud = r.claims?.aud;
      return Array.isArray(aud) ? aud.map(String) : aud === undefined ? [] : [String(aud)];
    }
    case 'request.auth.presenter':
      return r.claims?.azp === undefined ? [] : [String(r.claims.azp)];
    case 'destination.port':
      return [String(r.port)];
    case 'connection.sni':
      return r.sni ? [r.sni] : [];
    case 'source.ip':
      return r.sourceIp ? [r.sourceIp] : [];
    case 'remote.ip':
      return r.remoteIp ? [r.remoteIp] : [];
    default:
      return [];
  }
}

const IP_KEYS = new Set(['source.ip', 'remote.ip', 'destination.ip']);

function matchCondition(c: AuthzCondition, r: AuthzRequest): boolean {
  const have = conditionValues(c.key ?? '', r);
  // addresses compare as CIDR blocks, everything else as strings
  const m = IP_KEYS.has(c.key ?? '') ? inCidr : matchValue;
  if (c.values && !c.values.some((p) => have.some((v) => m(p, v)))) return false;
  if (c.notValues?.some((p) => have.some((v) => m(p, v)))) return false;
  return true;
}

/** Does the rule match? An empty rule ({}) matches every request. */
export function matchRule(rule: AuthzRule, r: AuthzRequest, policyNs: string): boolean {
  if (
    rule.from &&
    rule.from.length > 0 &&
    !rule.from.some((f) => f.source && matchSource(f.source, r, policyNs))
  )
    return false;
  if (rule.to && rule.to.length > 0 && !rule.to.some((t) => t.operation && matchOperation(t.operation, r)))
    return false;
  return (rule.when ?? []).every((c) => matchCondition(c, r));
}
