// The networking.istio.io group's rules (and its webhook checks under
// validation/). A new rule of this group is a new file beside these, listed here.
import type { Rule } from '../../rule.ts';
import { destinationRuleTargets } from './destination-rule.ts';
import { destinationRuleCaCertificates } from './destination-rule-tls.ts';
import { registryOnlyEgress } from './egress.ts';
import { conflictingGateways, gatewayHostsServed } from './gateway-hosts.ts';
import { gatewayWorkload } from './gateway-workload.ts';
import { ingressRouteRulesNotAffected } from './ingress-subsets.ts';
import { faultsNeverFire, outlierDetectionNeverEjects } from './policy-effect.ts';
import { retriesWithoutOutlierDetection, routeWeights, timeoutShorterThanRetries } from './route-policy.ts';
import { serviceEntryAddresses } from './service-entry.ts';
import { sidecarEgress } from './sidecar-egress.ts';
import { sidecarSelectors } from './sidecar-selectors.ts';
import { unreachableRules } from './unreachable-rules.ts';
import { VALIDATION_RULES } from './validation/index.ts';
import { virtualServiceGateways, virtualServiceMissingGateways } from './virtual-service-gateways.ts';
import { virtualServiceReferences } from './virtual-service-references.ts';
import { conflictingMeshHosts } from './virtual-service-rules.ts';

export const NETWORKING_RULES: readonly Rule[] = [
  conflictingGateways,
  conflictingMeshHosts,
  faultsNeverFire,
  outlierDetectionNeverEjects,
  destinationRuleCaCertificates,
  destinationRuleTargets,
  gatewayHostsServed,
  gatewayWorkload,
  ingressRouteRulesNotAffected,
  registryOnlyEgress,
  retriesWithoutOutlierDetection,
  routeWeights,
  serviceEntryAddresses,
  sidecarEgress,
  sidecarSelectors,
  timeoutShorterThanRetries,
  unreachableRules,
  virtualServiceGateways,
  virtualServiceMissingGateways,
  virtualServiceReferences,
  ...VALIDATION_RULES,
];
