// What a route does to the request before it goes upstream: `rewrite` (uri,
// the matched prefix, and authority) and `headers.request` set/add/remove at
// the route and destination level (the route's win, as Envoy applies the less
// specific mutations last). The upstream application sees the result: a
// rewrite to /productpage renders the page, a header set there is forwarded.
import type { HttpMatch, HttpRoute } from '../config/schemas/index.ts';
import { compileHttpMatch, type RequestPredicate } from './match.ts';
import type { Caller, SimRequest } from './types.ts';

interface HeaderOps {
  set: [string, string][];
  add: [string, string][];
  remove: string[];
}

export interface RequestTransform {
  uri?: string;
  /** rewrite.uriRegexRewrite: every match of `match` in the path replaced by `rewrite` */
  regex?: { match: RegExp; rewrite: string };
  /** an HTTPRoute's rule (Gateway API semantics): a prefix replaced by `/` leaves no `//` */
  gatewaySemantics?: true;
  authority?: string;
  /** the rule's match entries with their uri prefix, to find the prefix a rewrite replaces */
  entries: { pred: RequestPredicate; prefix?: string }[];
  route?: HeaderOps;
  /** per destination, in the order of the rule's clusters */
  destinations: (HeaderOps | undefined)[];
}

type Headers = NonNullable<HttpRoute['headers']>;

function headerOps(h: Headers | undefined): HeaderOps | undefined {
  const r = h?.request;
  if (!r || (!r.set && !r.add && !r.remove)) return undefined;
  const lower = (m: Record<string, string> | undefined): [string, string][] =>
    Object.entries(m ?? {}).map(([k, v]) => [k.toLowerCase(), v]);
  return { set: lower(r.set), add: lower(r.add), remove: (r.remove ?? []).map((k) => k.toLowerCase()) };
}

/** An RE2 rewrite as JavaScript reads it (`\\1` -> `$1`); null when the pattern does not compile. */
function regexRewrite(
  rw: { match?: string; rewrite?: string } | undefined,
): RequestTransform['regex'] | null {
  if (rw?.match === undefined) return null;
  try {
    return { match: new RegExp(rw.match, 'g'), rewrite: (rw.rewrite ?? '').replace(/\\(\d)/g, '$$$1') };
  } catch {
    return null;
  }
}

export function compileTransform(
  r: HttpRoute,
  destinationHeaders: (Headers | undefined)[],
  vsNamespace: string,
  gatewaySemantics = false,
): RequestTransform | undefined {
  const route = headerOps(r.headers);
  const destinations = destinationHeaders.map(headerOps);
  const regex = regexRewrite(r.rewrite?.uriRegexRewrite);
  const uri = regex ? undefined : r.rewrite?.uri;
  const authority = r.rewrite?.authority;
  if (uri === undefined && !regex && authority === undefined && !route && !destinations.some(Boolean))
    return undefined;
  const entries = (r.match ?? []).map((m: HttpMatch) => ({
    pred: compileHttpMatch(m, vsNamespace),
    ...(m.uri?.prefix !== undefined ? { prefix: m.uri.prefix } : {}),
  }));
  return {
    ...(uri !== undefined ? { uri } : {}),
    ...(regex ? { regex } : {}),
    ...(gatewaySemantics ? { gatewaySemantics: true as const } : {}),
    ...(authority !== undefined ? { authority } : {}),
    entries,
    ...(route ? { route } : {}),
    destinations,
  };
}

function apply(headers: Record<string, string>, ops: HeaderOps): void {
  for (const k of ops.remove) delete headers[k];
  for (const [k, v] of ops.set) headers[k] = v;
  for (const [k, v] of ops.add) headers[k] = headers[k] === undefined ? v : `${headers[k]},${v}`;
}

/** The request as the upstream receives it. */
export function transformRequest(
  t: RequestTransform,
  destination: number,
  req: SimRequest,
  caller: Caller,
  context: string,
): SimRequest {
  const out: SimRequest = { ...req };
  delete out.params;
  delete out.route;
  const dest = t.destinations[destination];
  if (dest || t.route) {
    out.headers = { ...req.headers };
    if (dest) apply(out.headers, dest);
    if (t.route) apply(out.headers, t.route);
  }
  if (t.authority !== undefined) out.authority = t.authority;
  if (t.uri !== undefined) {
    const entry = t.entries.find((e) => e.pred(req, caller, context));
    const prefix = entry?.prefix;
    const rest = prefix !== undefined && req.uri.startsWith(prefix) ? req.uri.slice(prefix.length) : '';
    // `/` for the prefix: Gateway API's "remove the prefix" (/api/v1 -> /v1, not //v1)
    out.uri = t.gatewaySemantics && t.uri === '/' && rest.startsWith('/') ? rest : t.uri + rest;
    out.path = out.query ? `${out.uri}?${out.query}` : out.uri;
  }
  if (t.regex) {
    out.uri = req.uri.replace(t.regex.match, t.regex.rewrite);
    out.path = out.query ? `${out.uri}?${out.query}` : out.uri;
  }
  return out;
}
