// The security.istio.io group's webhook check texts, one table per kind.
import { AUTHORIZATION_POLICY_CHECKS } from './authorization-policy.ts';
import {
  PEER_AUTHENTICATION_CHECKS,
  REQUEST_AUTHENTICATION_CHECKS,
  SECURITY_POLICY_CHECKS,
} from './peer-request-authentication.ts';

export const SECURITY_SCHEMA_CHECKS = {
  ...SECURITY_POLICY_CHECKS,
  ...AUTHORIZATION_POLICY_CHECKS,
  ...PEER_AUTHENTICATION_CHECKS,
  ...REQUEST_AUTHENTICATION_CHECKS,
};
