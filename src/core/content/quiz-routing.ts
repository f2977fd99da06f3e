// Which route serves a quiz check's request: the check's target turned into a
// simulator request and routed by routeRequest (the simulator's one
// implementation of Envoy's routing: first match wins, match entries OR'd,
// conditions inside one entry AND'd, RE2 regexes over the whole value).
import { gatewayRef, toFqdn } from '../config/hosts.ts';
import type { Snapshot } from '../config/snapshot.ts';
import { type RouteResult, routeRequest } from '../sim/route-request.ts';
import { SimError } from '../sim/types.ts';
import type { RequestSpec } from './quiz-check-schema.ts';

export const QUIZ_NAMESPACE = 'default';

export interface RouteTarget {
  host: string;
  gateway?: string | undefined;
  request?: RequestSpec | undefined;
}

/**
 * ok: the request reaches a route, or a rule that answers it itself (redirect,
 * direct response); `rule` names it (`rule http[1] of VirtualService reviews`, or
 * `the default route` when no VirtualService applies). Otherwise why not.
 */
export type RouteSelection =
  | { ok: true; result: RouteResult; rule: string }
  | { ok: false; reason: string; result?: RouteResult };

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

function path(req: RequestSpec | undefined): string {
  const uri = req?.uri ?? '/';
  const query = Object.entries(req?.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return query ? `${uri}?${query}` : uri;
}

function route(snapshot: Snapshot, t: RouteTarget, gateway: string | undefined): RouteResult {
  const req = t.request;
  return routeRequest(snapshot, {
    to: t.host,
    path: path(req),
    ...(req?.method ? { method: req.method } : {}),
    ...(req?.headers ? { headers: req.headers } : {}),
    ...(req?.authority ? { authority: req.authority } : {}),
    ...(gateway ? { gateway } : {}),
  });
}

/**
 * Routes the check's request where it arrives: the sidecars (`mesh`), one Gateway,
 * or `ingress` (every Gateway is tried; the first that routes it wins, else the
 * first whose server accepts it).
 */
function routeTarget(snapshot: Snapshot, t: RouteTarget): RouteResult | string {
  const g = t.gateway ?? 'mesh';
  try {
    if (g === 'mesh') return route(snapshot, t, undefined);
    if (g !== 'ingress') return route(snapshot, t, gatewayRef(g, QUIZ_NAMESPACE));
    let accepted: RouteResult | undefined;
    for (const gw of snapshot.gateways) {
      const r = route(snapshot, t, `${gw.namespace}/${gw.name}`);
      if (r.outcome === 'route' || (r.outcome === 'local' && r.rule)) return r;
      if (r.server) accepted ??= r;
    }
    return accepted ?? `no Gateway has a server for host ${t.host}`;
  } catch (e) {
    if (e instanceof SimError) return e.message;
    throw e;
  }
}

/** The route that serves the check's request (see RouteSelection). */
export function selectRoute(snapshot: Snapshot, t: RouteTarget): RouteSelection {
  const result = routeTarget(snapshot, t);
  if (typeof result === 'string') return { ok: false, reason: result };
  if (result.outcome === 'route' || result.rule) return { ok: true, result, rule: ruleName(result) };
  return { ok: false, reason: result.reason, result };
}

function ruleName(r: RouteResult): string {
  if (!r.rule || !r.virtualService) return 'the default route (no VirtualService applies)';
  return `rule ${r.rule.kind}[${r.rule.index}] of VirtualService ${r.virtualService.name}`;
}
