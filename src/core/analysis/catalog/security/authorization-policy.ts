// The webhook's checks on AuthorizationPolicies (Istio's ValidateAuthorizationPolicy
// and pkg/config/security), with the texts the rule validation.authorization-policy
// reports.
import { check, q } from '../schema-entry.ts';

export const AUTHORIZATION_POLICY_CHECKS = {
  'authz.custom-no-rules': check({
    level: 'error',
    detail: () => 'a CUSTOM policy without rules would never be triggered',
    fix: 'Add rules (rules: [{}] sends every request to the provider).',
  }),
  'authz.custom-no-provider': check({
    level: 'error',
    detail: () => 'a CUSTOM policy needs provider.name (an extension provider of the mesh config)',
    fix: 'Set provider: {name: <extensionProviders name>}.',
  }),
  'authz.custom-field': check<{ field: string }>({
    level: 'error',
    detail: (p) => `${p.field} is not supported with the CUSTOM action`,
    fix: 'Match on paths, methods, hosts, ports, ipBlocks or headers in a CUSTOM policy; check identities in a separate ALLOW or DENY policy.',
  }),
  'authz.dry-run-action': check<{ action: string }>({
    level: 'error',
    detail: (p) =>
      `the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action ${p.action}`,
    fix: 'Remove the annotation, or try the rule as an ALLOW or DENY policy in dry-run first.',
    why: "istiod 1.26 builds dry-run policies as Envoy RBAC shadow rules, which exist for ALLOW and DENY only (Istio's Dry Run task, Limitations); the webhook refuses the annotation on CUSTOM and AUDIT.",
  }),
  'authz.dry-run-value': check<{ value: string }>({
    level: 'error',
    detail: (p) =>
      `annotation istio.io/dry-run with invalid value (${p.value}): strconv.ParseBool: parsing ${q(p.value)}: invalid syntax`,
    fix: 'Write "true" (dry-run) or "false" (enforced); Go also takes 1/0, t/f, TRUE/FALSE, True/False.',
  }),
  'authz.dry-run-not-string': check<{ value: string }>({
    level: 'error',
    detail: (p) =>
      `metadata.annotations["istio.io/dry-run"] is ${p.value}, not a string: the API server refuses it (annotations are strings)`,
    fix: 'Quote it: istio.io/dry-run: "true".',
    why: 'kubectl apply fails before any webhook (json: cannot unmarshal into Go struct field ObjectMeta.metadata.annotations of type string) and nothing changes.',
  }),
  'authz.provider-not-custom': check<{ action: string }>({
    level: 'error',
    detail: (p) => `provider is set but the action is ${p.action}: only a CUSTOM policy has a provider`,
    fix: 'Set action: CUSTOM, or remove provider.',
  }),
  'authz.deny-no-rules': check({
    level: 'error',
    detail: () => 'a DENY policy without rules would never be triggered',
    fix: 'Add the rules that say what to deny; rules: [{}] denies every request.',
    why: 'Istio rejects it because it reads like "deny everything" but would deny nothing. (An ALLOW policy without rules is the allow-nothing policy: it denies everything.)',
  }),
  'authz.source-missing': check<{ rule: number }>({
    level: 'error',
    detail: (p) => `rules[${p.rule}].from has an entry without source`,
    fix: 'Write each from entry as - source: {principals: [...]} (or namespaces, ipBlocks ...).',
  }),
  'authz.source-empty': check<{ rule: number }>({
    level: 'error',
    detail: (p) => `rules[${p.rule}].from has an empty source`,
    fix: 'Give the source at least one field (principals, namespaces, requestPrincipals, ipBlocks ...), or remove the from entry.',
  }),
  'authz.sa-with-principals': check<{ rule: number }>({
    level: 'error',
    detail: (p) =>
      `rules[${p.rule}]: serviceAccounts cannot be set together with principals or namespaces in one source`,
    fix: 'Use either serviceAccounts (ns/name) or principals/namespaces in a source; put the other in a second from entry.',
  }),
  'authz.operation-missing': check<{ rule: number }>({
    level: 'error',
    detail: (p) => `rules[${p.rule}].to has an entry without operation`,
    fix: 'Write each to entry as - operation: {methods: [...], paths: [...]}.',
  }),
  'authz.operation-empty': check<{ rule: number }>({
    level: 'error',
    detail: (p) => `rules[${p.rule}].to has an empty operation`,
    fix: 'Give the operation at least one field (hosts, ports, methods, paths), or remove the to entry.',
  }),
  'authz.empty-value': check<{ field: string }>({
    level: 'error',
    detail: (p) => `${p.field} holds an empty string`,
    fix: 'Remove the empty value ("*" matches any value that is present).',
  }),
  'authz.ip': check<{ field: string; value: string }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.value)} is not an IP address or CIDR block`,
    fix: 'Use an IP ("10.0.0.5") or a CIDR block ("10.0.0.0/16").',
  }),
  'authz.port': check<{ field: string; value: string }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.value)} is not a port number (0 to 65535, written as a string)`,
  }),
  'authz.service-account': check<{ field: string; value: string; reason: string }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.value)}: ${p.reason}`,
    fix: 'Write a service account as "name" (the policy\'s namespace) or "namespace/name", at most 16 of them.',
  }),
  'authz.path-template': check<{ field: string; value: string; reason: string }>({
    level: 'error',
    detail: (p) => `${p.field} ${q(p.value)} is not a supported path template: ${p.reason}`,
    fix: 'Use {*} for one segment and {**} only as the last operator, e.g. "/api/{*}/reviews" or "/static/{**}".',
  }),
  'authz.when-key-empty': check({
    level: 'error',
    detail: () => 'a when condition has no key',
  }),
  'authz.when-no-values': check<{ key: string }>({
    level: 'error',
    detail: (p) => `the when condition on ${q(p.key)} has neither values nor notValues`,
  }),
  'authz.when-key': check<{ key: string; reason: string }>({
    level: 'error',
    detail: (p) => `when key ${q(p.key)}: ${p.reason}`,
    fix: 'Use a condition key Istio knows: request.headers[name], source.ip, remote.ip, source.namespace, source.principal, request.auth.principal, request.auth.audiences, request.auth.presenter, request.auth.claims[name], destination.ip, destination.port, connection.sni.',
  }),
  'authz.when-value': check<{ key: string; value: string; reason: string }>({
    level: 'error',
    detail: (p) => `when ${p.key} value ${q(p.value)}: ${p.reason}`,
  }),
  'authz.deny-http-only': check<{ rule: number }>({
    level: 'warning',
    detail: (p) =>
      `rules[${p.rule}]: configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port`,
    why: "On a TCP (non-HTTP) port the proxy cannot read methods, paths, hosts, request principals or request headers; Istio drops those fields from a DENY rule, which then matches every connection to the port (an ALLOW rule using them is dropped instead). The message is the webhook's own.",
    fix: 'Add ports to the rule (to: [{operation: {ports: ["9080"], ...}}]) so that it applies only to the HTTP port.',
  }),
};
