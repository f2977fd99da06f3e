// The validating webhook's checks (shared/istio-semantics.md section 1), part of
// the message catalog: for each check id, its level (error -> IST0106,
// warning -> IST0133), the detail template (what is wrong, quoting the value),
// and, where a specific text teaches better than the default, why and fix.
// The rules under rules/validation/ take every text they report from here.
import type { SchemaParams } from './index.ts';

export type SchemaLevel = 'error' | 'warning';

export interface SchemaCheck<P> {
  level: SchemaLevel;
  detail: (p: P) => string;
  why?: string;
  fix?: string | ((p: P) => string);
}

type NoParams = Record<string, never>;

function check<P extends object = NoParams>(c: SchemaCheck<P>): SchemaCheck<P> {
  return c;
}

/** Quotes a value as written: "5xx, reset" (only quotes and control characters escaped). */
const plain = (s: string): boolean => [...s].every((c) => c !== '"' && c.charCodeAt(0) >= 0x20);
const q = (v: unknown): string => (typeof v === 'string' && plain(v) ? `"${v}"` : JSON.stringify(v));
const suffix = (hint: string | undefined): string => (hint ? `: ${hint}` : '');

/** What happens to a resource the webhook rejects. */
export const REJECTED_WHY =
  'kubectl apply fails with \'admission webhook "validation.istio.io" denied the request: configuration is invalid\' and nothing changes: the cluster keeps the previous version of the resource (or never creates it).';
/** What happens to a resource the webhook accepts with a warning. */
export const WARNED_WHY =
  'kubectl apply succeeds and prints this as a "Warning:" line: Istio accepts the resource, but it does not behave the way it reads.';

const LABEL_RULE =
  'letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
const STRING_MATCH_WHY =
  'A StringMatch is a oneof: the API server rejects the object ("oneOf" schema) and kubectl apply fails, nothing changes.';
const ENUM_WHY =
  'The CRD schema lists the allowed values (uppercase): the API server rejects any other with "Unsupported value", kubectl apply fails and nothing changes.';
const ZERO_WEIGHT_WHY = `${REJECTED_WHY} A missing weight counts as 0.`;

export const SCHEMA_CHECKS = {
  // --- durations (rule validation.durations) ---
  'duration.syntax': check<{ field: string; value: string; hint: string }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.value)} is not a duration${suffix(p.hint)}`,
    why: 'Durations are Go durations ("500ms", "3s", "1.5s", "1m30s"): the API server cannot decode anything else, so kubectl apply fails and nothing changes.',
    fix: 'Write a number followed by a unit (ms, s, m or h), e.g. "500ms", "3s", "2m".',
  }),
  'duration.too-small': check<{ field: string; value: string }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.value)} is below the minimum of 1ms`,
    fix: (p) =>
      `Use at least "1ms" (remove ${p.field} to get the default; a 0 duration does not mean "disabled" here).`,
  }),
  'duration.precision': check<{ field: string; value: string }>({
    level: 'error',
    detail: (p) =>
      `${p.field} ${q(p.value)} is not a whole number of milliseconds: Istio supports durations to millisecond precision only`,
    fix: 'Round the duration to whole milliseconds, e.g. "1500us" -> "2ms".',
  }),
  'duration.seconds-precision': check<{ field: string; value: string }>({
    level: 'error',
    detail: (p) =>
      `${p.field} ${q(p.value)} is not a whole number of seconds: CORS maxAge has seconds precision`,
    fix: 'Use whole seconds, e.g. "24h" or "90s".',
  }),
  'duration.negative': check<{ field: string; value: string }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.value)} is negative`,
    fix: 'Use a duration of 0s or more.',
  }),

  // --- host names, ports, addresses (shared) ---
  'host.empty': check<{ field: string }>({
    level: 'error',
    detail: (p) => `${p.field} is missing (or empty): a host name is required`,
  }),
  'host.invalid': check<{ field: string; host: string; reason: string }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.host)} is not a valid host name: ${p.reason}`,
    fix: 'Use a DNS name ("reviews", "reviews.default.svc.cluster.local", "*.example.com"): labels of letters, digits and "-", a "*" only as the whole first label.',
  }),
  'port.range': check<{ field: string; value: number }>({
    level: 'error',
    detail: (p) =>
      p.value === 0
        ? `${p.field} is missing (or 0): a port number is 1 to 65535`
        : `${p.field} ${p.value} is not a port number: ports are 1 to 65535`,
  }),
  'address.invalid': check<{ field: string; value: string; cidr: boolean }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.value)} is not an IP address${p.cidr ? ' or CIDR block' : ''}`,
    fix: (p) => (p.cidr ? 'Use an IP ("10.0.0.5") or a CIDR block ("10.0.0.0/16").' : 'Use an IP address.'),
  }),

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
    detail: (p) => `${p.field} key ${q(p.name)} has uppercase letters: header keys must be lowercase`,
    why: 'The VirtualService API requires lowercase header keys with "-" as separator (HTTP/2 header names are always lowercase); uppercase keys are not the names Envoy sees.',
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

  // --- DestinationRule (rule validation.destination-rule) ---
  'dr.host-missing': check({
    level: 'error',
    detail: () => 'host is missing: a DestinationRule applies to one host',
    fix: 'Add host: with the service name, e.g. host: reviews.',
  }),
  'dr.policy-empty': check<{ field: string }>({
    level: 'error',
    detail: (p) => `${p.field} is empty: a traffic policy must set at least one setting`,
    fix: (p) => `Add loadBalancer, connectionPool, outlierDetection or tls to ${p.field}, or remove it.`,
  }),
  'dr.tunnel-proxy-protocol': check({
    level: 'error',
    detail: () => 'tunnel and proxyProtocol cannot be set together',
  }),
  'dr.subset-name-missing': check({
    level: 'error',
    detail: () => 'this subset has no name',
    fix: 'Name the subset (e.g. name: v1) so that routes can refer to it.',
  }),
  'dr.subset-name': check<{ name: string }>({
    level: 'error',
    detail: (p) => `subset name ${q(p.name)} is invalid (${LABEL_RULE})`,
    fix: 'Use a short name such as v1, v2 or canary.',
  }),
  'dr.subset-duplicate': check<{ name: string }>({
    level: 'error',
    detail: (p) => `subset name ${q(p.name)} is defined twice`,
    fix: 'Give each subset its own name (one subset per version label).',
  }),
  'dr.port-level-port': check({
    level: 'error',
    detail: () => 'this portLevelSettings entry has no port',
    fix: 'Add port: {number: 9080} (the Service port the policy is for).',
  }),
  'dr.port-level-empty': check({
    level: 'error',
    detail: () => 'this portLevelSettings entry sets no policy',
    fix: 'Add loadBalancer, connectionPool, outlierDetection or tls.',
  }),
  'dr.lb-simple': check<{ value: string }>({
    level: 'error',
    detail: (p) =>
      `loadBalancer.simple ${q(p.value)} is not a load balancing algorithm (ROUND_ROBIN, LEAST_REQUEST, LEAST_CONN, RANDOM, PASSTHROUGH, UNSPECIFIED)`,
    why: ENUM_WHY,
    fix: 'Use one of the names in uppercase, e.g. simple: ROUND_ROBIN (the default is LEAST_REQUEST).',
  }),
  'dr.lb-both': check({
    level: 'error',
    detail: () => 'loadBalancer sets both simple and consistentHash: use one of them',
    why: 'They are a oneof: the API server rejects the object and kubectl apply fails, nothing changes.',
  }),
  'dr.hash-key-multiple': check<{ keys: string }>({
    level: 'error',
    detail: (p) => `consistentHash sets ${p.keys}: hash on exactly one key`,
    why: 'The hash key is a oneof: the API server rejects the object and kubectl apply fails, nothing changes.',
  }),
  'dr.cookie-name': check({
    level: 'error',
    detail: () => 'consistentHash.httpCookie has no name',
    fix: 'Add the cookie name, e.g. httpCookie: {name: user, ttl: 0s}.',
  }),
  'dr.ring-size-deprecated': check({
    level: 'warning',
    detail: () => 'consistentHash.minimumRingSize is deprecated: use ringHash.minimumRingSize',
  }),
  'dr.ring-size-conflict': check({
    level: 'error',
    detail: () => 'consistentHash sets minimumRingSize together with ringHash or maglev: use only one',
  }),
  'dr.maglev-table-size': check<{ value: number }>({
    level: 'error',
    detail: (p) =>
      `maglev tableSize ${p.value} is invalid: it must be a prime number below 5000011 (e.g. 65537)`,
  }),
  'dr.warmup-duration': check({
    level: 'error',
    detail: () => 'warmup has no duration',
  }),
  'dr.warmup-minimum-percent': check<{ value: number }>({
    level: 'error',
    detail: (p) => `warmup minimumPercent ${p.value} is above 100`,
  }),
  'dr.warmup-aggression': check<{ value: number }>({
    level: 'error',
    detail: (p) => `warmup aggression ${p.value} is below 1`,
  }),
  'dr.pool-empty': check({
    level: 'error',
    detail: () => 'connectionPool sets neither tcp nor http',
  }),
  'dr.pool-negative': check<{ field: string; value: number }>({
    level: 'error',
    detail: (p) => `${p.field} ${p.value} is negative: connection pool limits are 0 or more`,
  }),
  'dr.pool-h2-client-protocol': check({
    level: 'error',
    detail: () => 'useClientProtocol cannot be true when h2UpgradePolicy is UPGRADE',
  }),
  'dr.outlier-percent': check<{ field: string; value: number }>({
    level: 'error',
    detail: (p) => `${p.field} ${p.value} is out of range: it is a percentage from 0 to 100`,
  }),
  'dr.outlier-consecutive-errors': check({
    level: 'warning',
    detail: () =>
      'outlierDetection.consecutiveErrors is deprecated: use consecutive5xxErrors or consecutiveGatewayErrors',
    fix: 'Rename consecutiveErrors to consecutive5xxErrors.',
  }),
  'dr.outlier-local-origin': check({
    level: 'error',
    detail: () => 'consecutiveLocalOriginFailures needs splitExternalLocalOriginErrors: true',
  }),
  'dr.tls-mode': check<{ value: string }>({
    level: 'error',
    detail: (p) => `tls.mode ${q(p.value)} is not a client TLS mode (DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL)`,
    why: ENUM_WHY,
    fix: 'For mesh traffic use ISTIO_MUTUAL; SIMPLE/MUTUAL are for external TLS servers.',
  }),
  'dr.tls-mutual-files': check<{ missing: string }>({
    level: 'error',
    detail: (p) => `tls.mode MUTUAL without credentialName needs ${p.missing}`,
    fix: 'Set credentialName (a Secret holding the client certificate and key), or set both clientCertificate and privateKey.',
  }),
  'dr.tls-credential-files': check<{ fields: string }>({
    level: 'error',
    detail: (p) =>
      `tls sets credentialName together with ${p.fields}: with credentialName the certificates come from the Secret`,
    fix: 'Keep credentialName and remove the file fields (or the other way round).',
  }),
  'dr.tls-insecure': check<{ fields: string }>({
    level: 'error',
    detail: (p) => `tls sets insecureSkipVerify: true together with ${p.fields}, which it disables`,
  }),

  // --- Gateway (rule validation.gateway) ---
  'gw.name': check<{ name: string }>({
    level: 'error',
    detail: (p) =>
      `Gateway name ${q(p.name)} is invalid: a Gateway name is a single DNS label (${LABEL_RULE}, no dots)`,
  }),
  'gw.no-servers': check({
    level: 'error',
    detail: () => 'the Gateway has no servers',
    fix: 'Add servers: with a port, the hosts to accept and (for HTTPS) tls.',
  }),
  'gw.no-hosts': check({
    level: 'error',
    detail: () => 'this server has no hosts',
    fix: 'Add hosts: (e.g. ["bookinfo.example.com"], or ["*"] for any host).',
  }),
  'gw.host-short': check<{ host: string }>({
    level: 'error',
    detail: (p) => `server host ${q(p.host)} is a short name: Gateway hosts must contain a "." or be "*"`,
    fix: (p) => `Use the full DNS name clients send (e.g. "${p.host}.example.com"), or "*".`,
  }),
  'gw.host-partial-wildcard': check<{ host: string }>({
    level: 'error',
    detail: (p) =>
      `server host ${q(p.host)} has a partial wildcard: "*" must be a whole label ("*.example.com")`,
  }),
  'gw.host-namespace': check<{ host: string; namespace: string }>({
    level: 'error',
    detail: (p) =>
      `server host ${q(p.host)} has an invalid namespace part ${q(p.namespace)}: use "*", "." or a namespace name before the "/"`,
  }),
  'gw.port-missing': check({
    level: 'error',
    detail: () => 'this server has no port',
    fix: 'Add port: {number: 8080, name: http, protocol: HTTP}.',
  }),
  'gw.port-name-missing': check({
    level: 'error',
    detail: () => 'the server port has no name',
    fix: 'Add a name, e.g. name: http.',
  }),
  'gw.port-name-duplicate': check<{ name: string }>({
    level: 'error',
    detail: (p) => `port name ${q(p.name)} is used by another server: port names must be unique in a Gateway`,
  }),
  'gw.protocol': check<{ value: string | undefined }>({
    level: 'error',
    detail: (p) =>
      p.value === undefined
        ? 'the server port has no protocol'
        : `port protocol ${q(p.value)} is not supported (HTTP, HTTPS, GRPC, GRPC-WEB, HTTP2, MONGO, REDIS, MYSQL, TCP, TLS)`,
  }),
  'gw.target-port': check<{ value: number }>({
    level: 'error',
    detail: (p) => `port targetPort ${p.value} has no effect on Gateways`,
    fix: 'Remove targetPort: port.number is the port the gateway proxy listens on.',
  }),
  'gw.tls-required': check<{ protocol: string }>({
    level: 'error',
    detail: (p) => `this ${p.protocol} server has no tls settings`,
    fix: 'Add tls: {mode: SIMPLE, credentialName: <secret>} (or mode: PASSTHROUGH).',
  }),
  'gw.tls-on-plain': check<{ protocol: string }>({
    level: 'error',
    detail: (p) => `this ${p.protocol} server has tls settings that a plain-text port cannot use`,
    fix: 'Use protocol HTTPS (or TLS) for a TLS server; on an HTTP server only tls.httpsRedirect is allowed.',
  }),
  'gw.https-redirect': check<{ protocol: string }>({
    level: 'warning',
    detail: (p) => `tls.httpsRedirect only applies to HTTP servers, not ${p.protocol}`,
  }),
  'gw.tls-mode': check<{ value: string }>({
    level: 'error',
    detail: (p) =>
      `tls.mode ${q(p.value)} is not a server TLS mode (PASSTHROUGH, SIMPLE, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL)`,
    why: ENUM_WHY,
    fix: 'To terminate HTTPS at the gateway use mode: SIMPLE with a credentialName.',
  }),
  'gw.istio-mutual-certs': check<{ field: string }>({
    level: 'error',
    detail: (p) => `tls.mode ISTIO_MUTUAL cannot have ${p.field}: it uses Istio's own certificates`,
  }),
  'gw.passthrough-certs': check<{ mode: string }>({
    level: 'warning',
    detail: (p) => `tls.mode ${p.mode} does not use certificates: they are ignored`,
    why: 'A passthrough server forwards the TLS connection untouched: the certificates configured here are never used. (PASSTHROUGH is also the default mode when tls.mode is not set.)',
    fix: 'To terminate TLS at the gateway set mode: SIMPLE; otherwise remove the certificate fields.',
  }),
  'gw.cert-sources': check<{ sources: string }>({
    level: 'error',
    detail: (p) => `tls sets several certificate sources (${p.sources}): use only one`,
  }),
  'gw.tls-missing-cert': check<{ mode: string; missing: string }>({
    level: 'error',
    detail: (p) => `tls.mode ${p.mode} needs ${p.missing} (or credentialName)`,
    fix: 'Set credentialName to a TLS Secret in the gateway namespace (usually istio-system), or set serverCertificate and privateKey.',
  }),
  'gw.tls-missing-ca': check<{ mode: string }>({
    level: 'error',
    detail: (p) => `tls.mode ${p.mode} without credentialName needs caCertificates to verify clients`,
  }),
  'gw.ca-crl': check<{ reason: string }>({
    level: 'error',
    detail: (p) => `tls.caCrl ${p.reason}`,
  }),

  // --- ServiceEntry (rule validation.service-entry) ---
  'se.no-hosts': check({
    level: 'error',
    detail: () => 'the ServiceEntry has no hosts',
    fix: 'Add hosts: with the external names, e.g. ["api.example.com"].',
  }),
  'se.host-star': check({
    level: 'error',
    detail: () => 'host "*" is not allowed in a ServiceEntry',
    fix: 'Name the hosts (a wildcard like "*.example.com" is allowed).',
  }),
  'se.host-partial-wildcard': check<{ host: string }>({
    level: 'warning',
    detail: (p) => `host ${q(p.host)} has a partial wildcard: "*" should be a whole label ("*.example.com")`,
  }),
  'se.cidr-resolution': check<{ value: string; resolution: string }>({
    level: 'error',
    detail: (p) =>
      `address ${q(p.value)} is a CIDR block, allowed only with resolution NONE or STATIC (not ${p.resolution})`,
  }),
  'se.port-name': check<{ name: string }>({
    level: 'error',
    detail: (p) =>
      p.name === '' ? 'this port has no name' : `port name ${q(p.name)} is invalid (${LABEL_RULE})`,
  }),
  'se.port-name-duplicate': check<{ name: string }>({
    level: 'error',
    detail: (p) => `port name ${q(p.name)} is defined twice`,
  }),
  'se.port-number-duplicate': check<{ number: number }>({
    level: 'error',
    detail: (p) => `port ${p.number} is defined twice`,
  }),
  'se.protocol': check<{ value: string }>({
    level: 'error',
    detail: (p) =>
      `port protocol ${q(p.value)} is not supported (HTTP, HTTPS, GRPC, HTTP2, TCP, TLS, MONGO, REDIS, MYSQL, ...)`,
  }),
  'se.selector-and-endpoints': check({
    level: 'error',
    detail: () => 'the ServiceEntry sets both workloadSelector and endpoints: use one of them',
  }),
  'se.none-endpoints': check({
    level: 'error',
    detail: () => 'resolution NONE (the default) cannot have endpoints',
    fix: 'Set resolution: STATIC (IP endpoints) or DNS (host name endpoints), or remove endpoints.',
  }),
  'se.none-selector': check({
    level: 'warning',
    detail: () => 'workloadSelector is ignored with resolution NONE',
  }),
  'se.endpoint-address-missing': check({
    level: 'error',
    detail: () => 'this endpoint has no address',
  }),
  'se.static-address': check<{ address: string }>({
    level: 'error',
    detail: (p) =>
      `endpoint address ${q(p.address)} is not an IP address: resolution STATIC needs IP endpoints`,
    fix: 'Use resolution: DNS for host name endpoints, or give the IP.',
  }),
  'se.endpoint-address': check<{ address: string }>({
    level: 'error',
    detail: (p) => `endpoint address ${q(p.address)} is neither an IP address nor a valid host name`,
  }),
  'se.endpoint-port': check<{ name: string }>({
    level: 'error',
    detail: (p) => `endpoint port ${q(p.name)} is not one of the ServiceEntry port names`,
  }),
  'se.dns-wildcard-host': check<{ host: string; resolution: string }>({
    level: 'error',
    detail: (p) =>
      `host ${q(p.host)} is not a fully qualified name, and resolution ${p.resolution} without endpoints must resolve each host by DNS`,
    fix: 'Use resolution: NONE for wildcard hosts, or list endpoints.',
  }),
  'se.dns-rr-endpoints': check<{ count: number }>({
    level: 'error',
    detail: (p) => `resolution DNS_ROUND_ROBIN allows at most 1 endpoint, not ${p.count}`,
    fix: 'Use resolution: DNS for several endpoints.',
  }),
  'se.multi-host-tcp': check<{ port: string }>({
    level: 'error',
    detail: (p) =>
      `several hosts share the non-HTTP, non-TLS port ${p.port}: plain TCP cannot tell the hosts apart (only resolution NONE allows it)`,
    fix: 'Use one ServiceEntry per host, or an HTTP/TLS protocol on the port.',
  }),
};

export type SchemaCheckId = keyof typeof SCHEMA_CHECKS;
export type SchemaCheckParams<K extends SchemaCheckId> =
  (typeof SCHEMA_CHECKS)[K] extends SchemaCheck<infer P> ? P : never;

/** The code and the IST0106/IST0133 parameters for a check. */
export function schemaFinding<K extends SchemaCheckId>(
  id: K,
  params: SchemaCheckParams<K>,
): { code: 'IST0106' | 'IST0133'; params: SchemaParams } {
  const entry = SCHEMA_CHECKS[id] as unknown as SchemaCheck<SchemaCheckParams<K>>;
  const fix = typeof entry.fix === 'function' ? entry.fix(params) : entry.fix;
  return {
    code: entry.level === 'error' ? 'IST0106' : 'IST0133',
    params: {
      detail: entry.detail(params),
      why: entry.why ?? (entry.level === 'error' ? REJECTED_WHY : WARNED_WHY),
      ...(fix ? { fix } : {}),
    },
  };
}
