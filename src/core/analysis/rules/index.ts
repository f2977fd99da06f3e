// The rule registry, sorted by name. A rule that is not listed here never runs
// (the meta-tests check every rule module is registered).
import type { Rule } from '../rule.ts';
import { destinationRuleTargets } from './destination-rule.ts';
import { registryOnlyEgress } from './egress.ts';
import { conflictingGateways, gatewayHostsServed } from './gateway-hosts.ts';
import { gatewayWorkload } from './gateway-workload.ts';
import { ingressRouteRulesNotAffected } from './ingress-subsets.ts';
import { faultsNeverFire, outlierDetectionNeverEjects } from './policy-effect.ts';
import { retriesWithoutOutlierDetection, routeWeights, timeoutShorterThanRetries } from './route-policy.ts';
import { schemaTypes } from './schema-types.ts';
import { serviceEntryAddresses } from './service-entry.ts';
import { VALIDATION_RULES } from './validation/index.ts';
import { virtualServiceGateways, virtualServiceMissingGateways } from './virtual-service-gateways.ts';
import { virtualServiceReferences } from './virtual-service-references.ts';
import { conflictingMeshHosts, unreachableRules } from './virtual-service-rules.ts';

export const RULES: readonly Rule[] = [
  conflictingGateways,
  conflictingMeshHosts,
  faultsNeverFire,
  outlierDetectionNeverEjects,
  destinationRuleTargets,
  gatewayHostsServed,
  gatewayWorkload,
  ingressRouteRulesNotAffected,
  registryOnlyEgress,
  retriesWithoutOutlierDetection,
  routeWeights,
  schemaTypes,
  serviceEntryAddresses,
  timeoutShorterThanRetries,
  unreachableRules,
  virtualServiceGateways,
  virtualServiceMissingGateways,
  virtualServiceReferences,
  ...VALIDATION_RULES,
].sort((a, b) => a.name.localeCompare(b.name));
