// HTTPMatchRequest as Envoy evaluates it: every condition inside one match
// entry must hold (AND); the entries of a rule are alternatives (OR). Regexes
// are RE2 (re2js) and must match the whole value, as Envoy's safe_regex does.
import { RE2JS } from 're2js';
import { gatewayRef } from '../config/hosts.ts';
import type { HttpMatch, StringMatch } from '../config/schemas/index.ts';
import { labelsMatch } from '../config/snapshot.ts';
import type { Caller, SimRequest } from './types.ts';

export type StringPredicate = (value: string | undefined) => boolean;
export type RequestPredicate = (req: SimRequest, caller: Caller, context: string) => boolean;

const never: StringPredicate = () => false;
const present: StringPredicate = (v) => v !== undefined;

/**
 * A StringMatch as a predicate. `emptyMeansPresent`: an empty match (`{}`) on a
 * header or query parameter only asks that it be present; elsewhere it is no
 * condition at all (undefined).
 */
export function compileStringMatch(
  m: StringMatch | undefined,
  options: { ignoreCase?: boolean; emptyMeansPresent?: boolean; pathSegments?: boolean } = {},
): StringPredicate | undefined {
  if (!m) return undefined;
  const fold = options.ignoreCase === true;
  if (options.pathSegments && m.prefix !== undefined && m.prefix !== '/') {
    // Envoy's path_separated_prefix: the whole path, or the prefix followed by `/`
    const want = m.prefix.replace(/\/$/, '');
    const below = `${want}/`;
    return (v) => v !== undefined && (v === want || v.startsWith(below));
  }
  if (m.exact !== undefined) {
    const want = fold ? m.exact.toLowerCase() : m.exact;
    return fold ? (v) => v !== undefined && v.toLowerCase() === want : (v) => v === want;
  }
  if (m.prefix !== undefined) {
    const want = fold ? m.prefix.toLowerCase() : m.prefix;
    return fold ? (v) => v?.toLowerCase().startsWith(want) === true : (v) => v?.startsWith(want) === true;
  }
  if (m.regex !== undefined) {
    let re: RE2JS;
    try {
      re = RE2JS.compile(m.regex, fold ? RE2JS.CASE_INSENSITIVE : 0);
    } catch {
      return never; // an invalid RE2 regex is rejected by validation; it never matches here
    }
    return (v) => v !== undefined && re.matches(v);
  }
  return options.emptyMeansPresent ? present : undefined;
}

/** Parses `a=1&b=2` (first value wins, like Envoy's query parameter matcher). */
export function queryParams(req: SimRequest): Record<string, string> {
  if (req.params) return req.params;
  const out: Record<string, string> = {};
  if (req.query) {
    for (const part of req.query.split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const k = decode(eq < 0 ? part : part.slice(0, eq));
      if (!(k in out)) out[k] = eq < 0 ? '' : decode(part.slice(eq + 1));
    }
  }
  req.params = out;
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * One match entry: all of its conditions as one predicate. `gatewaySemantics`: the
 * rule came from a Gateway API HTTPRoute, whose uri prefix (PathPrefix) matches whole
 * path segments: istiod turns it into Envoy's path_separated_prefix (route.go
 * translateRouteMatch under UseGatewaySemantics), so `/foo` matches `/foo` and
 * `/foo/bar`, not `/foobar`.
 */
export function compileHttpMatch(
  m: HttpMatch,
  vsNamespace: string,
  gatewaySemantics = false,
): RequestPredicate {
  const checks: RequestPredicate[] = [];
  const uri = compileStringMatch(m.uri, {
    ignoreCase: m.ignoreUriCase === true,
    pathSegments: gatewaySemantics,
  });
  if (uri) checks.push((req) => uri(req.uri));
  const scheme = compileStringMatch(m.scheme);
  if (scheme) checks.push(() => scheme('http'));
  const method = compileStringMatch(m.method);
  if (method) checks.push((req) => method(req.method));
  const authority = compileStringMatch(m.authority);
  if (authority) checks.push((req) => authority(req.authority));
  for (const [name, sm] of Object.entries(m.headers ?? {})) {
    const key = name.toLowerCase();
    const p = compileStringMatch(sm, { emptyMeansPresent: true }) ?? present;
    checks.push((req) => p(req.headers[key]));
  }
  for (const [name, sm] of Object.entries(m.withoutHeaders ?? {})) {
    const key = name.toLowerCase();
    const p = compileStringMatch(sm, { emptyMeansPresent: true }) ?? present;
    checks.push((req) => !p(req.headers[key]));
  }
  for (const [name, sm] of Object.entries(m.queryParams ?? {})) {
    const p = compileStringMatch(sm, { emptyMeansPresent: true }) ?? present;
    checks.push((req) => p(queryParams(req)[name]));
  }
  if (m.port !== undefined) {
    const port = m.port;
    checks.push((req) => req.port === port);
  }
  if (m.sourceLabels && Object.keys(m.sourceLabels).length > 0) {
    const labels = m.sourceLabels;
    checks.push((_req, caller) => labelsMatch(labels, caller.labels));
  }
  if (m.sourceNamespace) {
    const ns = m.sourceNamespace;
    checks.push((_req, caller) => caller.namespace === ns);
  }
  if (m.gateways && m.gateways.length > 0) {
    const refs = new Set(m.gateways.map((g) => gatewayRef(g, vsNamespace)));
    checks.push((_req, _caller, context) => refs.has(context));
  }
  switch (checks.length) {
    case 0:
      return () => true;
    case 1:
      return checks[0]!;
    case 2: {
      const [a, b] = checks as [RequestPredicate, RequestPredicate];
      return (req, caller, ctx) => a(req, caller, ctx) && b(req, caller, ctx);
    }
    default:
      return (req, caller, ctx) => {
        for (const c of checks) if (!c(req, caller, ctx)) return false;
        return true;
      };
  }
}

/** Source labels and namespace of a match (the caller's), or undefined when neither is set. */
export function compileSourceMatch(
  labels: Record<string, string> | undefined,
  namespace: string | undefined,
): RequestPredicate | undefined {
  const hasLabels = labels !== undefined && Object.keys(labels).length > 0;
  if (!hasLabels && !namespace) return undefined;
  return (_req, caller) =>
    (!hasLabels || labelsMatch(labels, caller.labels)) && (!namespace || caller.namespace === namespace);
}

/** A rule's `match` list: undefined when it matches every request. */
export function compileRuleMatch(
  matches: HttpMatch[] | undefined,
  vsNamespace: string,
  gatewaySemantics = false,
) {
  if (!matches || matches.length === 0) return undefined;
  const preds = matches.map((m) => compileHttpMatch(m, vsNamespace, gatewaySemantics));
  if (preds.length === 1) return preds[0]!;
  return (req: SimRequest, caller: Caller, ctx: string) => {
    for (const p of preds) if (p(req, caller, ctx)) return true;
    return false;
  };
}
