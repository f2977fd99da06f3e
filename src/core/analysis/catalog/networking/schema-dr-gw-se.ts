// The webhook's checks on DestinationRules, Gateways and ServiceEntries, split
// from schema-checks.ts, which combines the tables.
import { check, LABEL_RULE, q } from '../schema-entry.ts';

const ENUM_WHY =
  'The CRD schema lists the allowed values (uppercase): the API server rejects any other with "Unsupported value", kubectl apply fails and nothing changes.';

export const DESTINATION_RULE_CHECKS = {
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
};

export const GATEWAY_CHECKS = {
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
};

export const SERVICE_ENTRY_CHECKS = {
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
