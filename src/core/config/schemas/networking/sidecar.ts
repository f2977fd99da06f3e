// Sidecar spec (networking.istio.io/v1 Sidecar): what a workload's proxy imports
// (egress hosts `namespace/dnsName`), its inbound listeners and its outbound
// traffic policy.
import { z } from 'zod';
import { destination, stringMap, uint } from '../common.ts';
import { connectionPool } from './destination-rule.ts';
import { serverTls } from './gateway-service-entry.ts';

const captureMode = z.enum(['DEFAULT', 'IPTABLES', 'NONE']);

export const sidecarPort = z.strictObject({
  number: uint.optional(),
  protocol: z.string().optional(),
  name: z.string().optional(),
  /** deprecated: the webhook says it has no impact on Sidecars */
  targetPort: uint.optional(),
});

export const sidecarIngress = z.strictObject({
  port: sidecarPort.optional(),
  bind: z.string().optional(),
  captureMode: captureMode.optional(),
  defaultEndpoint: z.string().optional(),
  tls: serverTls.optional(),
  connectionPool: connectionPool.optional(),
});

export const sidecarEgress = z.strictObject({
  port: sidecarPort.optional(),
  bind: z.string().optional(),
  captureMode: captureMode.optional(),
  hosts: z.array(z.string()).optional(),
});

export const outboundTrafficPolicy = z.strictObject({
  mode: z.enum(['REGISTRY_ONLY', 'ALLOW_ANY']).optional(),
  egressProxy: destination.optional(),
});

export const sidecarSpec = z.strictObject({
  workloadSelector: z.strictObject({ labels: stringMap.optional() }).optional(),
  ingress: z.array(sidecarIngress).optional(),
  egress: z.array(sidecarEgress).optional(),
  inboundConnectionPool: connectionPool.optional(),
  outboundTrafficPolicy: outboundTrafficPolicy.optional(),
});
export type SidecarSpec = z.infer<typeof sidecarSpec>;
export type SidecarEgress = z.infer<typeof sidecarEgress>;
