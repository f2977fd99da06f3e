// DestinationRule spec.
import { z } from 'zod';
import { duration, int, portSelector, stringMap, uint, workloadSelector } from '../common.ts';

const localityLb = z.strictObject({
  distribute: z
    .array(z.strictObject({ from: z.string().optional(), to: z.record(z.string(), uint).optional() }))
    .optional(),
  failover: z.array(z.strictObject({ from: z.string().optional(), to: z.string().optional() })).optional(),
  failoverPriority: z.array(z.string()).optional(),
  enabled: z.boolean().optional(),
});

export const loadBalancer = z.strictObject({
  simple: z.string().optional(),
  consistentHash: z
    .strictObject({
      httpHeaderName: z.string().optional(),
      httpCookie: z
        .strictObject({
          name: z.string().optional(),
          path: z.string().optional(),
          ttl: duration.optional(),
          attributes: z
            .array(z.strictObject({ name: z.string().optional(), value: z.string().optional() }))
            .optional(),
        })
        .optional(),
      useSourceIp: z.boolean().optional(),
      httpQueryParameterName: z.string().optional(),
      ringHash: z.strictObject({ minimumRingSize: uint.optional() }).optional(),
      maglev: z.strictObject({ tableSize: uint.optional() }).optional(),
      minimumRingSize: uint.optional(),
    })
    .optional(),
  localityLbSetting: localityLb.optional(),
  warmupDurationSecs: duration.optional(),
  warmup: z
    .strictObject({
      duration: duration.optional(),
      minimumPercent: z.number().optional(),
      aggression: z.number().optional(),
    })
    .optional(),
});

export const connectionPool = z.strictObject({
  tcp: z
    .strictObject({
      maxConnections: int.optional(),
      connectTimeout: duration.optional(),
      tcpKeepalive: z
        .strictObject({ probes: uint.optional(), time: duration.optional(), interval: duration.optional() })
        .optional(),
      maxConnectionDuration: duration.optional(),
      idleTimeout: duration.optional(),
    })
    .optional(),
  http: z
    .strictObject({
      http1MaxPendingRequests: int.optional(),
      http2MaxRequests: int.optional(),
      maxRequestsPerConnection: int.optional(),
      maxRetries: int.optional(),
      idleTimeout: duration.optional(),
      h2UpgradePolicy: z.enum(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE']).optional(),
      useClientProtocol: z.boolean().optional(),
      maxConcurrentStreams: int.optional(),
    })
    .optional(),
});
export type ConnectionPool = z.infer<typeof connectionPool>;

export const outlierDetection = z.strictObject({
  splitExternalLocalOriginErrors: z.boolean().optional(),
  consecutiveLocalOriginFailures: uint.optional(),
  consecutiveGatewayErrors: uint.optional(),
  consecutive5xxErrors: uint.optional(),
  consecutiveErrors: int.optional(),
  interval: duration.optional(),
  baseEjectionTime: duration.optional(),
  maxEjectionPercent: int.optional(),
  minHealthPercent: int.optional(),
});
export type OutlierDetection = z.infer<typeof outlierDetection>;

export const clientTls = z.strictObject({
  mode: z.string().optional(),
  clientCertificate: z.string().optional(),
  privateKey: z.string().optional(),
  caCertificates: z.string().optional(),
  credentialName: z.string().optional(),
  subjectAltNames: z.array(z.string()).optional(),
  sni: z.string().optional(),
  insecureSkipVerify: z.boolean().optional(),
  caCrl: z.string().optional(),
});

const policyFields = {
  loadBalancer: loadBalancer.optional(),
  connectionPool: connectionPool.optional(),
  outlierDetection: outlierDetection.optional(),
  tls: clientTls.optional(),
};

export const trafficPolicy = z.strictObject({
  ...policyFields,
  portLevelSettings: z.array(z.strictObject({ port: portSelector.optional(), ...policyFields })).optional(),
  tunnel: z
    .strictObject({
      protocol: z.string().optional(),
      targetHost: z.string().optional(),
      targetPort: uint.optional(),
    })
    .optional(),
  proxyProtocol: z.strictObject({ version: z.enum(['V1', 'V2']).optional() }).optional(),
  retryBudget: z
    .strictObject({ percent: z.number().optional(), minRetryConcurrency: uint.optional() })
    .optional(),
});
export type TrafficPolicy = z.infer<typeof trafficPolicy>;

export const subset = z.strictObject({
  name: z.string().optional(),
  labels: stringMap.optional(),
  trafficPolicy: trafficPolicy.optional(),
});
export type Subset = z.infer<typeof subset>;

export const destinationRuleSpec = z.strictObject({
  host: z.string().optional(),
  trafficPolicy: trafficPolicy.optional(),
  subsets: z.array(subset).optional(),
  exportTo: z.array(z.string()).optional(),
  workloadSelector: workloadSelector.optional(),
});
export type DestinationRuleSpec = z.infer<typeof destinationRuleSpec>;
