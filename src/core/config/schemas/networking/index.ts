// The networking.istio.io group's spec schemas. A new kind of this group is a
// new file beside these, registered here.
import type { z } from 'zod';
import { destinationRuleSpec } from './destination-rule.ts';
import { gatewaySpec, serviceEntrySpec } from './gateway-service-entry.ts';
import { sidecarSpec } from './sidecar.ts';
import { virtualServiceSpec } from './virtual-service.ts';

export type { DestinationRuleSpec, OutlierDetection, Subset, TrafficPolicy } from './destination-rule.ts';
export type { GatewaySpec, Server, ServiceEntrySpec } from './gateway-service-entry.ts';
export type { SidecarEgress, SidecarSpec } from './sidecar.ts';
export type {
  HttpFault,
  HttpMatch,
  HttpRetry,
  HttpRoute,
  TcpRoute,
  TlsRoute,
  VirtualServiceSpec,
} from './virtual-service.ts';
export { legacyMirrorPercent, mirrorPercentOf } from './virtual-service.ts';

export const NETWORKING_SCHEMAS = {
  VirtualService: virtualServiceSpec,
  DestinationRule: destinationRuleSpec,
  Gateway: gatewaySpec,
  ServiceEntry: serviceEntrySpec,
  Sidecar: sidecarSpec,
} satisfies Record<string, z.ZodType>;
