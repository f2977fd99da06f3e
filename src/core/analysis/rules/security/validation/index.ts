// The validating webhook's checks on security.istio.io kinds, reporting IST0106
// (rejected) and IST0133 (accepted with a warning); texts in catalog/security/.
import type { Rule } from '../../../rule.ts';
import { authorizationPolicies } from './authorization-policy.ts';
import { peerAuthentications } from './peer-authentication.ts';
import { requestAuthentications } from './request-authentication.ts';

export const SECURITY_VALIDATION_RULES: readonly Rule[] = [
  authorizationPolicies,
  peerAuthentications,
  requestAuthentications,
];
