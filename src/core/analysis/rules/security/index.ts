// The security.istio.io group's rules (and its webhook checks under
// validation/). A new rule of this group is a new file beside these, listed here.
import type { Rule } from '../../rule.ts';
import { authorizationMistakes } from './authorization.ts';
import { customProvider, customProviderWaypoint } from './custom-provider.ts';
import { jwtClaimRouting } from './jwt-routing.ts';
import { mtlsMistakes } from './mtls.ts';
import { SECURITY_VALIDATION_RULES } from './validation/index.ts';
import { policySelectsWorkloads } from './workload-selection.ts';

export const SECURITY_RULES: readonly Rule[] = [
  authorizationMistakes,
  customProvider,
  customProviderWaypoint,
  jwtClaimRouting,
  mtlsMistakes,
  policySelectsWorkloads,
  ...SECURITY_VALIDATION_RULES,
];
