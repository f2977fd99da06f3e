// MeshConfig (istio.io/api mesh/v1alpha1) as istioctl reads `spec.meshConfig`:
// protobuf JSON, so an unknown field is an error and both the JSON name
// (accessLogFile) and the proto name (access_log_file) are accepted. The fields
// the trainer resolves are typed; the others are known by name only.
import { z } from 'zod';

const selector = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

const TYPED = {
  accessLogFile: z.string(),
  accessLogEncoding: z.enum(['TEXT', 'JSON']),
  accessLogFormat: z.string(),
  enableTracing: z.boolean(),
  outboundTrafficPolicy: z.strictObject({ mode: z.enum(['ALLOW_ANY', 'REGISTRY_ONLY']).optional() }),
  inboundTrafficPolicy: z.strictObject({ mode: z.enum(['PASSTHROUGH', 'LOCALHOST']).optional() }),
  rootNamespace: z.string(),
  trustDomain: z.string(),
  trustDomainAliases: z.array(z.string()),
  discoverySelectors: z.array(selector),
  // ProxyConfig has dozens of fields; proxyMetadata is the one the trainer reads
  defaultConfig: z.looseObject({ proxyMetadata: z.record(z.string(), z.string()).optional() }),
  enableAutoMtls: z.boolean(),
  enablePrometheusMerge: z.boolean(),
} as const;

/** Every other MeshConfig field of Istio 1.26 (JSON names), not typed here. */
const UNTYPED = [
  'proxyListenPort',
  'proxyInboundListenPort',
  'proxyHttpPort',
  'connectTimeout',
  'protocolDetectionTimeout',
  'tcpKeepalive',
  'ingressClass',
  'ingressService',
  'ingressControllerMode',
  'ingressSelector',
  'enableEnvoyAccessLogService',
  'disableEnvoyListenerLog',
  'configSources',
  'caCertificates',
  'defaultServiceExportTo',
  'defaultVirtualServiceExportTo',
  'defaultDestinationRuleExportTo',
  'localityLbSetting',
  'dnsRefreshRate',
  'h2UpgradePolicy',
  'inboundClusterStatName',
  'outboundClusterStatName',
  'certificates',
  'thriftConfig',
  'serviceSettings',
  'verifyCertificateAtClient',
  'ca',
  'extensionProviders',
  'defaultProviders',
  'pathNormalization',
  'defaultHttpRetryPolicy',
  'meshMTLS',
  'tlsDefaults',
  'serviceScopeConfigs',
  // deprecated, still in 1.26's MeshConfig
  'ambientMesh',
] as const;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function shape(): Record<string, z.ZodType> {
  const out: Record<string, z.ZodType> = {};
  for (const [name, schema] of Object.entries(TYPED)) {
    out[name] = schema.optional();
    if (snake(name) !== name) out[snake(name)] = schema.optional();
  }
  for (const name of UNTYPED) {
    out[name] = z.unknown().optional();
    if (snake(name) !== name) out[snake(name)] = z.unknown().optional();
  }
  return out;
}

export const meshConfigSchema = z.strictObject(shape());
export const MESH_CONFIG_FIELDS: readonly string[] = [...Object.keys(TYPED), ...UNTYPED];
