// The webhook's checks on PeerAuthentication and RequestAuthentication (Istio's
// ValidatePeerAuthentication, ValidateRequestAuthentication), and the selector
// checks all security policies share.
import { check, q } from '../schema-entry.ts';

export const SECURITY_POLICY_CHECKS = {
  'policy.selector-and-target': check({
    level: 'error',
    detail: () => 'only one of selector, targetRef and targetRefs can be set',
    fix: 'Keep selector for sidecars; use targetRefs for a waypoint or a Gateway API gateway.',
  }),
  'policy.selector-label': check<{ label: string; reason: string }>({
    level: 'error',
    detail: (p) => `selector ${q(p.label)}: ${p.reason}`,
  }),
  'policy.selector-no-labels': check({
    level: 'warning',
    detail: () =>
      'workload selector specified without labels: the policy applies to every workload of its namespace',
    fix: 'Give matchLabels (e.g. app: reviews), or remove selector to make the namespace-wide intent explicit.',
  }),
};

export const PEER_AUTHENTICATION_CHECKS = {
  'pa.port-level-without-selector': check({
    level: 'error',
    detail: () => 'a mesh-wide or namespace-wide PeerAuthentication cannot have portLevelMtls',
    fix: 'Add a selector for the workload whose port is an exception (portLevelMtls keys are its target ports).',
  }),
  'pa.port-level-empty': check({
    level: 'error',
    detail: () => 'portLevelMtls is empty: if defined, it must have at least one port',
  }),
  'pa.port-range': check<{ port: string }>({
    level: 'error',
    detail: (p) => `portLevelMtls port ${q(p.port)} is not in the range 1..65535`,
  }),
};

export const REQUEST_AUTHENTICATION_CHECKS = {
  'ra.issuer-missing': check<{ rule: number }>({
    level: 'error',
    detail: (p) => `jwtRules[${p.rule}] has neither issuer nor jwksUri`,
    fix: 'Set issuer to the token\'s iss claim (e.g. "testing@secure.istio.io").',
  }),
  'ra.audience-empty': check<{ rule: number }>({
    level: 'error',
    detail: (p) => `jwtRules[${p.rule}].audiences holds an empty string`,
  }),
  'ra.jwks-uri': check<{ value: string; reason: string }>({
    level: 'error',
    detail: (p) => `jwksUri ${q(p.value)}: ${p.reason}`,
    fix: "Use an http:// or https:// URL of the issuer's key set.",
  }),
  'ra.jwks': check<{ reason: string }>({
    level: 'error',
    detail: (p) => `jwks is not a JSON Web Key Set: ${p.reason}`,
    fix: 'Paste the key set as a JSON string: jwks: \'{"keys": [{"kty": "RSA", ...}]}\'.',
  }),
  'ra.location-empty': check<{ field: string }>({
    level: 'error',
    detail: (p) => `${p.field} holds an empty name`,
  }),
  'ra.claim-header': check<{ field: string; reason: string }>({
    level: 'error',
    detail: (p) => `${p.field}: ${p.reason}`,
  }),
};
