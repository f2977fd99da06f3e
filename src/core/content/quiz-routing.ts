// Which HTTP rule serves a request: the small part of Envoy routing that quiz
// checks need (first match wins; match entries OR'd, conditions inside one
// entry AND'd; regexes are RE2 and match the whole value).
import { RE2JS } from 're2js';
import { gatewayRef, hostCovers, splitGatewayHost, toFqdn } from '../config/hosts.ts';
import type { HttpMatch, HttpRoute, StringMatch } from '../config/schemas/index.ts';
import type { Gateway, Snapshot, VirtualService } from '../config/snapshot.ts';
import type { RequestSpec } from './quiz-check-schema.ts';

export const QUIZ_NAMESPACE = 'default';

export interface RouteTarget {
  host: string;
  gateway?: string | undefined;
  request?: RequestSpec | undefined;
}

export type RouteSelection =
  | { ok: true; vs: VirtualService; index: number; rule: HttpRoute; binding: string }
  | { ok: false; reason: string };

/** A host as a check names it, fully qualified (short names live in namespace default). */
export function qualify(host: string, namespace: string = QUIZ_NAMESPACE): string {
  return toFqdn(host, namespace);
}

/** `reviews (mesh)` / `frontend.example.com (ingress)`: how a check names what it looks at. */
export function targetLabel(t: RouteTarget): string {
  const req = t.request;
  const parts: string[] = [];
  if (req?.method) parts.push(req.method);
  if (req?.uri) parts.push(req.uri);
  for (const [k, v] of Object.entries(req?.headers ?? {})) parts.push(`${k}: ${v}`);
  for (const [k, v] of Object.entries(req?.query ?? {})) parts.push(`?${k}=${v}`);
  const via = t.gateway && t.gateway !== 'mesh' ? ` via ${t.gateway}` : '';
  return `${t.host}${via}${parts.length ? ` [${parts.join(', ')}]` : ''}`;
}

/** Gateways (as `ns/name`) the target's traffic enters through. */
function bindings(snapshot: Snapshot, t: RouteTarget, fqdn: string): string[] {
  const g = t.gateway ?? 'mesh';
  if (g === 'mesh') return ['mesh'];
  if (g === 'ingress') {
    return snapshot.gateways.filter((gw) => servesHost(gw, fqdn)).map((gw) => `${gw.namespace}/${gw.name}`);
  }
  return [gatewayRef(g, QUIZ_NAMESPACE)];
}

/** Does a Gateway have a server whose hosts cover `host`? */
export function servesHost(gw: Gateway, host: string): boolean {
  return (gw.spec.servers ?? []).some((s) =>
    (s.hosts ?? []).some((h) => hostCovers(splitGatewayHost(h).host, host)),
  );
}

/** The first HTTP rule, over the VirtualServices bound where the request arrives, that matches it. */
export function selectRoute(snapshot: Snapshot, t: RouteTarget): RouteSelection {
  const fqdn = qualify(t.host);
  const binds = bindings(snapshot, t, fqdn);
  if (binds.length === 0) return { ok: false, reason: `no Gateway has a server for host ${t.host}` };
  const candidates = snapshot.virtualServices.filter(
    (vs) =>
      (vs.spec.hosts ?? []).some((h) => hostCovers(toFqdn(h, vs.namespace), fqdn)) &&
      snapshot.gatewayRefs(vs).some((r) => binds.includes(r)),
  );
  if (candidates.length === 0) {
    const where = binds.includes('mesh')
      ? 'in the mesh (no gateways: field, or "mesh" listed)'
      : `to ${binds.join(', ')}`;
    const anyHost = snapshot.virtualServices.some((vs) =>
      (vs.spec.hosts ?? []).some((h) => hostCovers(toFqdn(h, vs.namespace), fqdn)),
    );
    return {
      ok: false,
      reason: anyHost
        ? `a VirtualService for ${t.host} exists, but none is bound ${where}`
        : `no VirtualService has host ${t.host}`,
    };
  }
  for (const vs of candidates) {
    const binding = snapshot.gatewayRefs(vs).find((r) => binds.includes(r)) ?? 'mesh';
    const rules = vs.spec.http ?? [];
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index];
      if (rule && ruleMatches(rule, t, fqdn, binding)) return { ok: true, vs, index, rule, binding };
    }
  }
  return { ok: false, reason: `no HTTP rule matches the request (Envoy answers 404, flag NR)` };
}

function ruleMatches(rule: HttpRoute, t: RouteTarget, fqdn: string, binding: string): boolean {
  const matches = rule.match;
  if (!matches || matches.length === 0) return true;
  return matches.some((m) => matchEntry(m, t, fqdn, binding));
}

function matchEntry(m: HttpMatch, t: RouteTarget, fqdn: string, binding: string): boolean {
  const req = t.request ?? {};
  const headers = lowerKeys(req.headers ?? {});
  if (m.port !== undefined || m.sourceLabels || m.sourceNamespace) return false; // not modelled
  if (m.gateways && !m.gateways.some((g) => gatewayRef(g, QUIZ_NAMESPACE) === binding || g === binding))
    return false;
  const path = req.uri ?? '/';
  if (m.uri && !matchString(m.uri, path, m.ignoreUriCase === true)) return false;
  if (m.method && !matchString(m.method, req.method ?? 'GET')) return false;
  if (m.authority && !matchString(m.authority, req.authority ?? fqdn)) return false;
  if (m.scheme && !matchString(m.scheme, 'http')) return false;
  for (const [name, sm] of Object.entries(m.headers ?? {})) {
    const v = headers[name.toLowerCase()];
    if (v === undefined || !matchString(sm, v)) return false;
  }
  for (const [name, sm] of Object.entries(m.queryParams ?? {})) {
    const v = req.query?.[name];
    if (v === undefined || !matchString(sm, v)) return false;
  }
  for (const [name, sm] of Object.entries(m.withoutHeaders ?? {})) {
    const v = headers[name.toLowerCase()];
    if (v === undefined) continue;
    if (sm.regex === '*' || matchString(sm, v)) return false;
  }
  return true;
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

/** Istio StringMatch semantics; an empty match means "present". */
export function matchString(sm: StringMatch, value: string, ignoreCase = false): boolean {
  const v = ignoreCase ? value.toLowerCase() : value;
  if (sm.exact !== undefined) return v === (ignoreCase ? sm.exact.toLowerCase() : sm.exact);
  if (sm.prefix !== undefined) return v.startsWith(ignoreCase ? sm.prefix.toLowerCase() : sm.prefix);
  if (sm.regex !== undefined) {
    try {
      return RE2JS.matches(sm.regex, value);
    } catch {
      return false;
    }
  }
  return true;
}
