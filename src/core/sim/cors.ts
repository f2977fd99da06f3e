// Envoy's CORS filter as a route's corsPolicy sets it (a VirtualService corsPolicy, or
// the corsPolicy istiod makes of an HTTPRoute CORS filter): a preflight, an OPTIONS
// request with Origin and Access-Control-Request-Method, from an allowed origin is
// answered by the proxy itself (200, the Access-Control-Allow-* headers) before routing;
// from any other origin it is forwarded to the application like any request (Istio's
// default unmatchedPreflights FORWARD; IGNORE does the same, without the CORS checks).
import type { StringMatch } from '../config/schemas/index.ts';
import type { CompiledRule } from './routes.ts';
import type { SimRequest } from './types.ts';

function originMatches(m: StringMatch, origin: string): boolean {
  if (m.exact !== undefined) return m.exact === origin;
  if (m.prefix !== undefined) return origin.startsWith(m.prefix);
  if (m.regex !== undefined) {
    try {
      return new RegExp(`^(?:${m.regex})$`).test(origin);
    } catch {
      return false;
    }
  }
  return false;
}

/** Why the proxy answers this request as a CORS preflight (undefined: it does not). */
export function corsPreflight(rule: CompiledRule, req: SimRequest): string | undefined {
  const cors = rule.source?.http?.corsPolicy;
  if (!cors || req.method.toUpperCase() !== 'OPTIONS') return undefined;
  const origin = req.headers.origin;
  const wanted = req.headers['access-control-request-method'];
  if (!origin || !wanted) return undefined;
  const allowed =
    (cors.allowOrigins ?? []).some((m) => originMatches(m, origin)) ||
    (cors.allowOrigin ?? []).some((o) => o === '*' || o === origin);
  if (!allowed) return undefined;
  const methods = cors.allowMethods?.length ? cors.allowMethods.join(', ') : 'none listed';
  return `${rule.where} answers the CORS preflight itself (200): origin ${origin} is allowed by its corsPolicy (methods: ${methods})`;
}
