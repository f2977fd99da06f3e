// The security.istio.io group's rules (and its webhook checks under
// validation/). A new rule of this group is a new file beside these, listed here.
import type { Rule } from '../../rule.ts';
import { SECURITY_VALIDATION_RULES } from './validation/index.ts';

export const SECURITY_RULES: readonly Rule[] = [...SECURITY_VALIDATION_RULES];
