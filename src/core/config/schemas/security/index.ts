// The security.istio.io group's spec schemas. A new kind of this group is a new
// file beside these, registered here.
import type { z } from 'zod';
import { authorizationPolicySpec } from './authorization-policy.ts';
import { peerAuthenticationSpec } from './peer-authentication.ts';
import { requestAuthenticationSpec } from './request-authentication.ts';

export type {
  AuthorizationPolicySpec,
  AuthzAction,
  AuthzCondition,
  AuthzOperation,
  AuthzRule,
  AuthzSource,
} from './authorization-policy.ts';
export { AUTHZ_ACTIONS } from './authorization-policy.ts';
export type { MtlsMode, PeerAuthenticationSpec } from './peer-authentication.ts';
export { MTLS_MODES } from './peer-authentication.ts';
export type { PolicyTargetReference } from './policy-target.ts';
export type { JwtRule, RequestAuthenticationSpec } from './request-authentication.ts';

export const SECURITY_SCHEMAS = {
  PeerAuthentication: peerAuthenticationSpec,
  AuthorizationPolicy: authorizationPolicySpec,
  RequestAuthentication: requestAuthenticationSpec,
} satisfies Record<string, z.ZodType>;
