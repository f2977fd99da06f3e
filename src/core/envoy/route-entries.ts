// Compiled rules (the simulator's route tables) as Envoy routes: one Envoy
// route per VirtualService match entry that applies to this proxy (pilot drops
// the entries whose port, gateways, sourceLabels or sourceNamespace rule the
// proxy out, and the rule when none is left), in the table's order.
import { gatewayRef } from '../config/hosts.ts';
import type { HttpMatch, HttpRoute, StringMatch } from '../config/schemas/index.ts';
import { labelsMatch } from '../config/snapshot.ts';
import type { CompiledRule } from '../sim/routes.ts';
import type { Caller } from '../sim/types.ts';
import type {
  EnvoyHeaderMatcher,
  EnvoyHeaderValueOption,
  EnvoyRoute,
  EnvoyRouteAction,
  EnvoyStringMatch,
} from './envoy-types.ts';

const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';

/** `3s`, `0.250s`, as protobuf Durations print. */
export function durationText(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${(ms / 1000).toFixed(3).replace(/0+$/, '')}s`;
}

function stringMatch(m: StringMatch): EnvoyStringMatch | undefined {
  if (m.exact !== undefined) return { exact: m.exact };
  if (m.prefix !== undefined) return { prefix: m.prefix };
  if (m.regex !== undefined) return { safeRegex: { regex: m.regex } };
  return undefined;
}

function header(name: string, m: StringMatch, invert: boolean): EnvoyHeaderMatcher {
  const sm = stringMatch(m);
  return {
    name: name.toLowerCase(),
    ...(sm ? { stringMatch: sm } : { presentMatch: true }),
    ...(invert ? { invertMatch: true } : {}),
  };
}

/** Does a match entry apply to this proxy at all (the parts pilot decides when it builds routes)? */
export function matchApplies(
  m: HttpMatch,
  vsNamespace: string,
  caller: Caller,
  context: string,
  port: number,
): boolean {
  if (m.port !== undefined && m.port !== port) return false;
  if (m.sourceLabels && Object.keys(m.sourceLabels).length > 0 && !labelsMatch(m.sourceLabels, caller.labels))
    return false;
  if (m.sourceNamespace && m.sourceNamespace !== caller.namespace) return false;
  if (m.gateways?.length && !m.gateways.some((g) => gatewayRef(g, vsNamespace) === context)) return false;
  return true;
}

function envoyMatch(m: HttpMatch | undefined): EnvoyRoute['match'] {
  const out: EnvoyRoute['match'] = {};
  const uri = m?.uri;
  if (uri?.exact !== undefined) out.path = uri.exact;
  else if (uri?.regex !== undefined) out.safeRegex = { regex: uri.regex };
  else out.prefix = uri?.prefix ?? '/';
  if (m?.ignoreUriCase) out.caseSensitive = false;
  const headers: EnvoyHeaderMatcher[] = [];
  if (m?.authority) headers.push(header(':authority', m.authority, false));
  if (m?.method) headers.push(header(':method', m.method, false));
  if (m?.scheme) headers.push(header(':scheme', m.scheme, false));
  for (const [k, v] of Object.entries(m?.headers ?? {})) headers.push(header(k, v, false));
  for (const [k, v] of Object.entries(m?.withoutHeaders ?? {})) headers.push(header(k, v, true));
  if (headers.length) out.headers = headers;
  const query = Object.entries(m?.queryParams ?? {}).map(([name, v]) => {
    const sm = stringMatch(v);
    return sm ? { name, stringMatch: sm } : { name, presentMatch: true };
  });
  if (query.length) out.queryParameters = query;
  return out;
}

function vsPath(rule: CompiledRule): string | undefined {
  const vs = rule.source?.vs;
  return vs
    ? `/apis/networking.istio.io/v1alpha3/namespaces/${vs.namespace}/virtual-service/${vs.name}`
    : undefined;
}

const REDIRECT_CODES: Record<number, string> = {
  302: 'FOUND',
  303: 'SEE_OTHER',
  307: 'TEMPORARY_REDIRECT',
  308: 'PERMANENT_REDIRECT',
};

type HeaderOperations = NonNullable<NonNullable<HttpRoute['headers']>['request']>;

/** set -> overwrite, add -> append, as pilot writes a VirtualService's header operations. */
function headersToAdd(ops: HeaderOperations | undefined): EnvoyHeaderValueOption[] {
  const out: EnvoyHeaderValueOption[] = [];
  for (const [key, value] of Object.entries(ops?.set ?? {}))
    out.push({ header: { key, value }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' });
  for (const [key, value] of Object.entries(ops?.add ?? {}))
    out.push({ header: { key, value }, appendAction: 'APPEND_IF_EXISTS_OR_ADD' });
  return out;
}

/** The route's header operations (and a lone destination's), request and response. */
function headerFields(
  http: HttpRoute | undefined,
): Pick<
  EnvoyRoute,
  'requestHeadersToAdd' | 'requestHeadersToRemove' | 'responseHeadersToAdd' | 'responseHeadersToRemove'
> {
  const dests = http?.route ?? [];
  const lone = dests.length === 1 ? dests[0]?.headers : undefined;
  const out: ReturnType<typeof headerFields> = {};
  for (const dir of ['request', 'response'] as const) {
    const ops = [lone?.[dir], http?.headers?.[dir]];
    const add = ops.flatMap(headersToAdd);
    const remove = ops.flatMap((o) => o?.remove ?? []);
    if (add.length) out[`${dir}HeadersToAdd`] = add;
    if (remove.length) out[`${dir}HeadersToRemove`] = remove;
  }
  return out;
}

function action(
  rule: CompiledRule,
): Pick<EnvoyRoute, 'route' | 'redirect' | 'directResponse' | 'typedPerFilterConfig'> {
  const http = rule.source?.http;
  if (rule.action === 'local') {
    if (http?.redirect) {
      const r = http.redirect;
      const prefix = r.uri?.startsWith('%PREFIX()%') ? r.uri.slice('%PREFIX()%'.length) : undefined;
      const code = REDIRECT_CODES[rule.status];
      return {
        redirect: {
          ...(prefix !== undefined ? { prefixRewrite: prefix } : r.uri ? { pathRedirect: r.uri } : {}),
          ...(r.authority ? { hostRedirect: r.authority } : {}),
          ...(r.port ? { portRedirect: r.port } : {}),
          ...(r.scheme ? { schemeRedirect: r.scheme } : {}),
          ...(code ? { responseCode: code } : {}),
        },
      };
    }
    return { directResponse: { status: rule.status } };
  }
  const route: EnvoyRouteAction = {};
  if (rule.clusters.length === 1) route.cluster = rule.clusters[0]!.name;
  else {
    let prev = 0;
    route.weightedClusters = {
      clusters: rule.clusters.map((c, i) => {
        const w = Math.round((rule.cumulative[i]! - prev) * 100);
        prev = rule.cumulative[i]!;
        return { name: c.name, weight: w };
      }),
    };
  }
  if (!rule.tls) route.timeout = durationText(rule.timeoutMs);
  const rw = http?.rewrite;
  if (rw?.uriRegexRewrite?.match !== undefined)
    route.regexRewrite = {
      pattern: { regex: rw.uriRegexRewrite.match },
      substitution: rw.uriRegexRewrite.rewrite ?? '',
    };
  else if (rw?.uri !== undefined) route.prefixRewrite = rw.uri;
  if (rw?.authority) route.hostRewriteLiteral = rw.authority;
  if (rule.retry) {
    const written = http?.retries?.retryOn;
    route.retryPolicy = {
      retryOn: written ?? DEFAULT_RETRY_ON,
      numRetries: rule.retry.numRetries,
      ...(rule.retry.perTryTimeoutMs > 0 ? { perTryTimeout: durationText(rule.retry.perTryTimeoutMs) } : {}),
      ...(rule.retry.codes.length ? { retriableStatusCodes: rule.retry.codes } : {}),
    };
  }
  if (rule.mirrors.length) {
    route.requestMirrorPolicies = rule.mirrors.map((m) => ({
      cluster: m.cluster.name,
      runtimeFraction: {
        defaultValue: { numerator: Math.round(m.fraction * 1_000_000), denominator: 'MILLION' },
      },
    }));
  }
  const out: ReturnType<typeof action> = { route };
  const f = rule.fault;
  if (f) {
    const pct = (x: number) => ({ numerator: Math.round(x * 1_000_000), denominator: 'MILLION' });
    out.typedPerFilterConfig = {
      'envoy.filters.http.fault': {
        '@type': 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault',
        ...(f.delayFraction > 0
          ? { delay: { fixedDelay: durationText(f.delayMs), percentage: pct(f.delayFraction) } }
          : {}),
        ...(f.abortFraction > 0
          ? { abort: { httpStatus: f.abortStatus, percentage: pct(f.abortFraction) } }
          : {}),
      },
    };
  }
  return out;
}

/**
 * The Envoy routes of compiled rules for one proxy, routing context and port.
 * A delegate rule contributes its delegate's routes in its place.
 */
export function envoyRoutes(
  rules: readonly CompiledRule[],
  caller: Caller,
  context: string,
  port: number,
): EnvoyRoute[] {
  const out: EnvoyRoute[] = [];
  for (const rule of rules) {
    if (rule.action === 'delegate') {
      out.push(...envoyRoutes(rule.delegate ?? [], caller, context, port));
      continue;
    }
    const http = rule.source?.http;
    const vs = rule.source?.vs;
    const matches = http?.match?.length
      ? http.match.filter((m) => matchApplies(m, vs!.namespace, caller, context, port))
      : [undefined];
    const act = { ...action(rule), ...(rule.action === 'local' ? {} : headerFields(http)) };
    const config = vsPath(rule);
    for (const m of matches) {
      out.push({
        ...(rule.source ? {} : { name: 'default' }),
        match: envoyMatch(m),
        ...act,
        ...(config ? { metadata: { filterMetadata: { istio: { config } } } } : {}),
      });
    }
  }
  return out;
}
