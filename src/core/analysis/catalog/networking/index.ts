// The networking.istio.io group's webhook check texts, one table per kind.
import { DESTINATION_RULE_CHECKS, GATEWAY_CHECKS, SERVICE_ENTRY_CHECKS } from './schema-dr-gw-se.ts';
import { SIDECAR_CHECKS } from './schema-sidecar.ts';
import { VIRTUAL_SERVICE_CHECKS } from './schema-virtual-service.ts';

export const NETWORKING_SCHEMA_CHECKS = {
  ...VIRTUAL_SERVICE_CHECKS,
  ...DESTINATION_RULE_CHECKS,
  ...GATEWAY_CHECKS,
  ...SERVICE_ENTRY_CHECKS,
  ...SIDECAR_CHECKS,
};
