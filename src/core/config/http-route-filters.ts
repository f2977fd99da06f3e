// HTTPRoute filters as istiod translates them into the VirtualService fields they
// stand for (pilot/pkg/config/kube/gateway/conversion.go): RequestHeaderModifier and
// ResponseHeaderModifier -> headers.request / headers.response, RequestRedirect ->
// redirect, URLRewrite -> rewrite, RequestMirror -> mirrors; the same two header
// modifiers on a backendRef -> that destination's headers, CORS -> corsPolicy (added in
// Istio 1.26 with Gateway API 1.3). Any other filter (ExtensionRef) is istiod's
// InvalidFilter: the whole HTTPRoute makes no route (httpRouteInvalid).

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const asList = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(asRecord) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** A `[{name, value}]` list as a map: names lowercased, a repeated name ignored (the spec's rule). */
function headerMap(list: unknown): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const h of asList(list)) {
    const name = str(h.name)?.toLowerCase();
    if (name && !(name in out)) out[name] = String(h.value ?? '');
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A RequestHeaderModifier / ResponseHeaderModifier as header operations (set, add, remove). */
export function headerOperations(filter: unknown): Record<string, unknown> | undefined {
  const f = asRecord(filter);
  const set = headerMap(f.set);
  const add = headerMap(f.add);
  const remove = Array.isArray(f.remove) ? f.remove.filter((r): r is string => typeof r === 'string') : [];
  if (!set && !add && remove.length === 0) return undefined;
  return { ...(set ? { set } : {}), ...(add ? { add } : {}), ...(remove.length ? { remove } : {}) };
}

/**
 * RequestRedirect: statusCode (the Gateway API CRD defaults it to 302, where a
 * VirtualService's own default is 301), hostname, scheme, port (unset: the
 * request's port, or the scheme's default when a scheme is given), and a path
 * replaced whole or by prefix (`%PREFIX()%`, Istio's form for the matched prefix).
 */
export function redirectOf(filter: unknown): Record<string, unknown> {
  const f = asRecord(filter);
  const scheme = str(f.scheme);
  const port = num(f.port);
  const out: Record<string, unknown> = { redirectCode: num(f.statusCode) ?? 302 };
  const host = str(f.hostname);
  if (host) out.authority = host;
  if (scheme) out.scheme = scheme;
  if (port !== undefined) out.port = port;
  else out.derivePort = scheme ? 'FROM_PROTOCOL_DEFAULT' : 'FROM_REQUEST_PORT';
  const path = asRecord(f.path);
  if (path.type === 'ReplaceFullPath' && typeof path.replaceFullPath === 'string')
    out.uri = path.replaceFullPath;
  if (path.type === 'ReplacePrefixMatch' && typeof path.replacePrefixMatch === 'string')
    out.uri = `%PREFIX()%${path.replacePrefixMatch}`;
  return out;
}

/**
 * URLRewrite: a prefix replaced (a trailing `/` dropped; `/` removes the prefix),
 * the full path replaced (a regex rewrite of `/.*`), the hostname (authority).
 */
export function rewriteOf(filter: unknown): Record<string, unknown> | undefined {
  const f = asRecord(filter);
  const out: Record<string, unknown> = {};
  const path = asRecord(f.path);
  if (path.type === 'ReplacePrefixMatch' && typeof path.replacePrefixMatch === 'string')
    out.uri = path.replacePrefixMatch.replace(/\/$/, '') || '/';
  if (path.type === 'ReplaceFullPath' && typeof path.replaceFullPath === 'string')
    out.uriRegexRewrite = { match: '/.*', rewrite: path.replaceFullPath };
  const host = str(f.hostname);
  if (host) out.authority = host;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** RequestMirror: the backend (a Service), with fraction or percent when given. */
export function mirrorOf(
  filter: unknown,
  routeNamespace: string,
  fqdn: (name: string, ns: string) => string,
): Record<string, unknown> | undefined {
  const f = asRecord(filter);
  const b = asRecord(f.backendRef);
  if ((str(b.kind) ?? 'Service') !== 'Service' || (str(b.group) ?? '') !== '' || !str(b.name))
    return undefined;
  const destination = {
    host: fqdn(String(b.name), str(b.namespace) ?? routeNamespace),
    ...(num(b.port) !== undefined ? { port: { number: num(b.port) } } : {}),
  };
  const fraction = asRecord(f.fraction);
  const numerator = num(fraction.numerator);
  const percent =
    numerator !== undefined ? (100 * numerator) / (num(fraction.denominator) ?? 100) : num(f.percent);
  return { destination, ...(percent !== undefined ? { percentage: { value: percent } } : {}) };
}

/** The VirtualService fields of a rule's filters (applied in order: a later one of a kind wins). */
export function ruleFilters(
  filters: unknown,
  routeNamespace: string,
  fqdn: (name: string, ns: string) => string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const headers: Record<string, unknown> = {};
  const mirrors: Record<string, unknown>[] = [];
  for (const f of asList(filters)) {
    switch (f.type) {
      case 'RequestHeaderModifier': {
        const ops = headerOperations(f.requestHeaderModifier);
        if (ops) headers.request = ops;
        break;
      }
      case 'ResponseHeaderModifier': {
        const ops = headerOperations(f.responseHeaderModifier);
        if (ops) headers.response = ops;
        break;
      }
      case 'RequestRedirect':
        out.redirect = redirectOf(f.requestRedirect);
        break;
      case 'URLRewrite': {
        const rw = rewriteOf(f.urlRewrite);
        if (rw) out.rewrite = rw;
        break;
      }
      case 'RequestMirror': {
        const m = mirrorOf(f.requestMirror, routeNamespace, fqdn);
        if (m) mirrors.push(m);
        break;
      }
      case 'CORS':
        out.corsPolicy = corsOf(f.cors);
        break;
    }
  }
  if (Object.keys(headers).length > 0) out.headers = headers;
  if (mirrors.length > 0) out.mirrors = mirrors;
  return out;
}

/** A backendRef's own header filters, as that destination's headers. */
export function backendHeaders(filters: unknown): Record<string, unknown> | undefined {
  const headers: Record<string, unknown> = {};
  for (const f of asList(filters)) {
    if (f.type === 'RequestHeaderModifier') {
      const ops = headerOperations(f.requestHeaderModifier);
      if (ops) headers.request = ops;
    }
    if (f.type === 'ResponseHeaderModifier') {
      const ops = headerOperations(f.responseHeaderModifier);
      if (ops) headers.response = ops;
    }
  }
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/**
 * CORS (Gateway API 1.3, experimental channel) as istiod 1.26's createCorsFilter
 * writes it: each allowOrigins entry an exact match (a `*` or `https://*.example.com`
 * is matched literally: wildcards came after 1.26), allowMethods, allowHeaders,
 * exposeHeaders, allowCredentials when true, maxAge in seconds when above 0.
 */
export function corsOf(filter: unknown): Record<string, unknown> {
  const f = asRecord(filter);
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const out: Record<string, unknown> = {};
  const origins = strings(f.allowOrigins).filter((o) => o !== '');
  if (origins.length) out.allowOrigins = origins.map((o) => ({ exact: o }));
  if (f.allowCredentials === true) out.allowCredentials = true;
  for (const field of ['allowMethods', 'allowHeaders', 'exposeHeaders'] as const) {
    const list = strings(f[field]);
    if (list.length) out[field] = list;
  }
  const maxAge = num(f.maxAge);
  if (maxAge !== undefined && maxAge > 0) out.maxAge = `${maxAge}s`;
  return out;
}

const RULE_FILTERS = [
  'RequestHeaderModifier',
  'ResponseHeaderModifier',
  'RequestRedirect',
  'RequestMirror',
  'URLRewrite',
  'CORS',
];
const BACKEND_FILTERS = ['RequestHeaderModifier', 'ResponseHeaderModifier'];

/**
 * Why istiod 1.26 makes no route of this HTTPRoute: a filter convertHTTPRoute does not
 * translate (ExtensionRef, or anything but the two header modifiers on a backendRef)
 * is InvalidFilter, a hard error for the whole route.
 */
export function httpRouteInvalid(rules: unknown): string | undefined {
  for (const [n, rule] of asList(rules).entries()) {
    for (const f of asList(rule.filters))
      if (!RULE_FILTERS.includes(String(f.type)))
        return `rules[${n}]: unsupported filter type "${String(f.type)}"`;
    for (const b of asList(rule.backendRefs))
      for (const f of asList(b.filters))
        if (!BACKEND_FILTERS.includes(String(f.type)))
          return `rules[${n}].backendRefs: unsupported filter type "${String(f.type)}" (a backendRef takes ${BACKEND_FILTERS.join(', ')})`;
  }
  return undefined;
}
