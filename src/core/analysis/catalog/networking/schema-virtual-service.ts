// The webhook's checks on VirtualServices (destinations and weights, the top
// level, HTTP rules), split from schema-checks.ts, which combines the tables.
import { check, LABEL_RULE, q, REJECTED_WHY } from '../schema-entry.ts';

const STRING_MATCH_WHY =
  'A StringMatch is a oneof: the API server rejects the object ("oneOf" schema) and kubectl apply fails, nothing changes.';
const ZERO_WEIGHT_WHY = `${REJECTED_WHY} A missing weight counts as 0.`;

export const VIRTUAL_SERVICE_CHECKS = {
  // --- destinations and weights (VirtualService routes) ---
  'destination.missing': check({
    level: 'error',
    detail: () => 'this route entry has no destination',
    fix: 'Add destination.host (and subset/port if needed) to every entry under route:.',
  }),
  'destination.host-star': check<{ field: string }>({
    level: 'error',
    detail: (p) => `${p.field} "*" is not allowed: a destination must name one service`,
    fix: 'Name the service, e.g. host: reviews.',
  }),
  'destination.subset': check<{ subset: string }>({
    level: 'error',
    detail: (p) => `subset ${q(p.subset)} is not a valid subset name (${LABEL_RULE})`,
    fix: 'Use the subset name exactly as the DestinationRule defines it, e.g. v1.',
  }),
  'route.weight-negative': check<{ value: number }>({
    level: 'error',
    detail: (p) => `weight ${p.value} is negative: weights must be 0 or more`,
  }),
  'route.weights-zero': check<{ count: number }>({
    level: 'error',
    detail: (p) =>
      `the ${p.count} destinations of this route have weights totalling 0: with several destinations, at least one needs a weight above 0`,
    why: ZERO_WEIGHT_WHY,
    fix: 'Give each destination its share, e.g. weight: 80 and weight: 20.',
  }),
  'mirror.percentage': check<{ field: string; value: number }>({
    level: 'error',
    detail: (p) => `${p.field} ${p.value} is out of range: a mirror percentage is 0 to 100`,
  }),
  'mirror.percent-deprecated': check<{ field: string; value: number }>({
    level: 'warning',
    detail: (p) =>
      `using deprecated setting "${p.field}", use "mirrorPercentage" instead (mirrorPercentage: {value: ${p.value}})`,
    why: "Istio 1.26's CRD still accepts it and pilot still honours it (after mirrorPercentage, when both are set); the webhook warns because it may be removed.",
    fix: (p) => `Replace ${p.field}: ${p.value} with mirrorPercentage: {value: ${p.value}}.`,
  }),
  'mirror.destination-missing': check({
    level: 'error',
    detail: () => 'this mirrors entry has no destination',
  }),
  'mirror.both': check({
    level: 'error',
    detail: () => 'the rule sets both mirror and mirrors: use one of them',
    fix: 'Use mirrors: (a list) for several targets, or mirror: for one, not both.',
  }),

  // --- VirtualService top level (rule validation.virtual-service) ---
  'vs.hosts-missing': check({
    level: 'warning',
    detail: () =>
      'hosts is missing: Istio treats a VirtualService without hosts as a delegate, and no VirtualService delegates to this one',
    why: 'Nothing rejects it, but a delegate only takes effect when a root VirtualService names it under http[].delegate: these routes apply to no traffic at all.',
    fix: 'Add hosts: with the service the rules are for (e.g. hosts: [reviews]).',
  }),
  'vs.delegate-field': check<{ field: string }>({
    level: 'error',
    detail: (p) =>
      `a VirtualService without hosts is a delegate, and a delegate cannot have ${p.field}: (hosts is missing)`,
    fix: 'Add hosts: (most likely what was meant), or remove the field from the delegate.',
  }),
  'vs.host-star-mesh': check({
    level: 'error',
    detail: () =>
      'host "*" is not allowed on a VirtualService bound to the mesh (no gateways:, or gateways: including "mesh")',
    fix: 'Name the hosts, or bind the VirtualService to a Gateway (gateways: [my-gateway]) if "*" is for ingress traffic.',
  }),
  'vs.host-duplicate': check<{ a: string; b: string }>({
    level: 'error',
    detail: (p) =>
      p.a === p.b
        ? `host ${q(p.a)} is listed twice`
        : `hosts ${q(p.a)} and ${q(p.b)} overlap (the wildcard covers the other)`,
    fix: 'List each host once; a wildcard already covers the names under it.',
  }),
  'vs.gateway-legacy': check<{ name: string; recommended: string }>({
    level: 'warning',
    detail: (p) => `gateway ${q(p.name)} uses the legacy name.namespace form; prefer ${q(p.recommended)}`,
    why: 'Istio still accepts "name.namespace" but warns: write gateway references as "namespace/name" (or just "name" in the same namespace).',
    fix: (p) => `Write ${q(p.recommended)}.`,
  }),
  'vs.gateway-invalid': check<{ name: string; reason: string }>({
    level: 'error',
    detail: (p) => `gateway reference ${q(p.name)} is invalid: ${p.reason}`,
    fix: 'Write "name" (a Gateway in the same namespace), "namespace/name", or "mesh" for the sidecars.',
  }),
  'vs.no-routes': check({
    level: 'error',
    detail: () => 'the VirtualService has no http, tcp or tls routes',
    fix: 'Add an http: list with at least one rule (or tcp:/tls: for non-HTTP traffic).',
  }),
  'l4.no-route': check<{ kind: string }>({
    level: 'error',
    detail: (p) => `this ${p.kind} rule has no route`,
    fix: 'Add route: with at least one destination.',
  }),
  'tls.no-match': check({
    level: 'error',
    detail: () => 'this tls rule has no match: TLS routes must match on sniHosts',
    fix: 'Add match: [{sniHosts: [...]}] with the SNI names this rule is for.',
  }),
  'tls.no-sni': check({
    level: 'error',
    detail: () => 'this tls match has no sniHosts',
    fix: 'Add sniHosts: with names from the VirtualService hosts.',
  }),
  'tls.sni-ip': check<{ sni: string }>({
    level: 'warning',
    detail: (p) =>
      `sniHost ${q(p.sni)} is an IP address: SNI carries host names, most clients never send an IP`,
  }),
  'tls.sni-not-in-hosts': check<{ sni: string; hosts: string }>({
    level: 'error',
    detail: (p) => `sniHost ${q(p.sni)} is not covered by any of the VirtualService hosts [${p.hosts}]`,
    fix: 'Use sniHosts that are among (or under a wildcard of) the VirtualService hosts.',
  }),
  'match.source-namespace': check<{ value: string }>({
    level: 'error',
    detail: (p) => `sourceNamespace ${q(p.value)} is not a valid namespace name (${LABEL_RULE})`,
  }),

  // --- HTTP rules (rule validation.http-route) ---
  'http.no-action': check({
    level: 'error',
    detail: () => 'this HTTP rule has no route, redirect or directResponse',
    fix: 'Add route: with a destination (or redirect: / directResponse:).',
  }),
  'http.action-conflict': check<{ a: string; b: string }>({
    level: 'error',
    detail: (p) =>
      `this HTTP rule sets both ${p.a} and ${p.b}: a rule takes exactly one of route, redirect, directResponse or delegate`,
    fix: 'Keep one action per rule; split the others into rules of their own.',
  }),
  'http.action-extra': check<{ action: string; field: string }>({
    level: 'error',
    detail: (p) =>
      `${p.field} cannot be combined with ${p.action}: the rule answers without reaching a service`,
    fix: (p) => `Remove ${p.field}, or move it to a rule that uses route:.`,
  }),
  'http.delegate-nested': check({
    level: 'error',
    detail: () => 'a delegate VirtualService (no hosts) cannot delegate again',
  }),
  'match.multiple': check<{ field: string; keys: string }>({
    level: 'error',
    detail: (p) => `${p.field} sets ${p.keys}: a string match takes exactly one of exact, prefix or regex`,
    why: STRING_MATCH_WHY,
    fix: 'Keep one of exact, prefix or regex (use a second match entry for an OR).',
  }),
  'match.empty-object': check<{ field: string }>({
    level: 'warning',
    detail: (p) => `${p.field} is empty: it sets none of exact, prefix or regex, so it matches every request`,
    why: 'An empty string match constrains nothing: the rule catches traffic it was probably not meant for.',
    fix: 'Add exact:, prefix: or regex:, or remove the field.',
  }),
  'match.empty-value': check<{ field: string; kind: string }>({
    level: 'error',
    detail: (p) =>
      p.kind === 'prefix'
        ? `${p.field} has an empty prefix: only uri accepts an empty prefix`
        : `${p.field} has an empty regex`,
    fix: (p) => `Give the ${p.kind} a value, or remove ${p.field} to match any value.`,
  }),
  'match.regex-too-long': check<{ field: string; length: number }>({
    level: 'error',
    detail: (p) => `${p.field} regex is ${p.length} characters long: the maximum is 1024`,
  }),
  'match.regex-invalid': check<{ field: string; regex: string; error: string; hint: string }>({
    level: 'error',
    detail: (p) =>
      `${p.field} regex ${q(p.regex)} is not valid RE2: ${p.error}${p.hint ? ` (${p.hint})` : ''}`,
    fix: 'Istio uses RE2 syntax (github.com/google/re2/wiki/Syntax), not JavaScript or PCRE: no lookarounds, no backreferences. The regex must match the whole value.',
  }),
  'match.header-name': check<{ field: string; name: string }>({
    level: 'error',
    detail: (p) =>
      `${p.field} key ${q(p.name)} is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~, no spaces or ":")`,
  }),
  'match.header-uppercase': check<{ field: string; name: string }>({
    level: 'warning',
    detail: (p) =>
      `${p.field} key ${q(p.name)} has uppercase letters: the VirtualService API asks for lowercase header keys`,
    why: 'The API reference asks for lowercase header keys with "-" as separator. The webhook accepts capitals, and Envoy lowercases the names in its header matchers (header names are case-insensitive), so the match still works; lowercase is the documented form and what HTTP/2 sends.',
    fix: (p) => `Write ${q(p.name.toLowerCase())}.`,
  }),
  'retries.attempts-negative': check<{ value: number }>({
    level: 'error',
    detail: (p) => `retries.attempts ${p.value} is negative`,
  }),
  'retries.attempts-zero': check<{ fields: string; missing: boolean }>({
    level: 'error',
    detail: (p) =>
      `retries sets ${p.fields} while attempts is ${p.missing ? 'missing (so 0)' : '0'}: attempts 0 disables retries, so no other retry setting is allowed`,
    fix: (p) => (p.missing ? 'Add attempts: (e.g. attempts: 3).' : `Raise attempts, or remove ${p.fields}.`),
  }),
  'retries.retry-on': check<{ item: string; reason: string }>({
    level: 'error',
    detail: (p) => `retryOn item ${q(p.item)} ${p.reason}`,
    fix: 'Write a comma-separated list with no spaces, e.g. "5xx,reset,connect-failure,retriable-4xx"; items are Envoy retry policies or HTTP status codes.',
  }),
  'fault.empty': check({
    level: 'error',
    detail: () => 'fault has neither delay nor abort',
    fix: 'Add delay: (fixedDelay + percentage) and/or abort: (httpStatus + percentage).',
  }),
  'fault.percentage': check<{ field: string; value: number }>({
    level: 'error',
    detail: (p) => `${p.field} ${p.value} is out of range: a fault percentage is 0, or from 0.0001 to 100`,
  }),
  'fault.exponential-delay': check({
    level: 'error',
    detail: () => 'exponentialDelay is not supported',
    fix: 'Use fixedDelay, e.g. fixedDelay: 7s.',
  }),
  'fault.http-status': check<{ value: number }>({
    level: 'error',
    detail: (p) => `abort httpStatus ${p.value} is out of range: it must be 200 to 600`,
    fix: 'Use the status the caller should see, e.g. 503 or 500.',
  }),
  'fault.grpc-status': check<{ value: string }>({
    level: 'error',
    detail: (p) =>
      `abort grpcStatus ${q(p.value)} is not a gRPC status name: use an uppercase name such as "UNAVAILABLE" or "NOT_FOUND", not a number`,
  }),
  'fault.http2-error': check({
    level: 'error',
    detail: () => 'abort http2Error is not supported',
    fix: 'Use httpStatus (or grpcStatus).',
  }),
  'fault.abort-no-status': check({
    level: 'warning',
    detail: () => 'abort sets no httpStatus or grpcStatus: the abort has no error to return',
    why: 'Istio accepts it with a warning, and the fault never aborts anything.',
    fix: 'Add httpStatus (e.g. 503) or grpcStatus (e.g. "UNAVAILABLE").',
  }),
  'redirect.empty': check({
    level: 'error',
    detail: () => 'redirect sets none of uri, authority, scheme or port',
    fix: 'Say where to redirect, e.g. redirect: {uri: /v2/products}.',
  }),
  'redirect.code': check<{ value: number }>({
    level: 'error',
    detail: (p) => `redirectCode ${p.value} is not a redirect: it must be 300 to 399`,
    fix: 'Use 301 (permanent) or 302/307 (temporary); omit it for the default 301.',
  }),
  'redirect.scheme': check<{ value: string }>({
    level: 'error',
    detail: (p) => `redirect scheme ${q(p.value)} is invalid: it must be "http" or "https"`,
  }),
  'direct-response.status': check<{ value: number | undefined }>({
    level: 'error',
    detail: (p) =>
      p.value === undefined
        ? 'directResponse has no status: it is required (200 to 600)'
        : `directResponse status ${p.value} is out of range: it must be 200 to 600`,
  }),
  'direct-response.body-size': check<{ size: number }>({
    level: 'error',
    detail: (p) => `directResponse body is ${p.size} bytes: it must be under 1MB`,
  }),
  'direct-response.body-large': check<{ size: number }>({
    level: 'warning',
    detail: (p) => `directResponse body is ${p.size} bytes: bodies over 100KB slow down the control plane`,
  }),
  'rewrite.empty': check({
    level: 'error',
    detail: () => 'rewrite sets none of uri, uriRegexRewrite or authority',
  }),
  'rewrite.uri-and-regex': check({
    level: 'error',
    detail: () => 'rewrite sets both uri and uriRegexRewrite: use one of them',
  }),
  'rewrite.regex-incomplete': check({
    level: 'error',
    detail: () => 'uriRegexRewrite needs both match and rewrite',
  }),
  'cors.method': check<{ value: string }>({
    level: 'error',
    detail: (p) =>
      `corsPolicy allowMethods entry ${q(p.value)} is not an HTTP method (GET, POST, PUT, ... in uppercase, or "*")`,
  }),
};
