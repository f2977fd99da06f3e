// The validating webhook's checks (shared/istio-semantics.md section 1) as rules
// reporting IST0106 (rejected) and IST0133 (accepted with a warning). Their
// texts live in catalog/schema-checks.ts.
import type { Rule } from '../../../rule.ts';
import { destinationRules } from './destination-rule.ts';
import { durations } from './durations.ts';
import { gateways } from './gateway.ts';
import { httpRoutes } from './http-route.ts';
import { serviceEntries } from './service-entry.ts';
import { sidecars } from './sidecar.ts';
import { virtualServices } from './virtual-service.ts';

export const VALIDATION_RULES: readonly Rule[] = [
  destinationRules,
  durations,
  gateways,
  httpRoutes,
  serviceEntries,
  sidecars,
  virtualServices,
];
