// Telemetry (telemetry.istio.io v1): how a workload's proxies log, trace and count.
// Scope as for security policies: the root namespace without selector is mesh-wide,
// another namespace without selector is that namespace, a selector (or targetRefs,
// for waypoints and gateways) picks workloads.
import { z } from 'zod';
import { workloadSelector } from '../common.ts';
import { policyTargetReference } from '../security/policy-target.ts';

const providerRef = z.strictObject({ name: z.string().optional() });
const workloadMode = z.enum(['CLIENT_AND_SERVER', 'CLIENT', 'SERVER']);
const modeSelector = z.strictObject({ mode: workloadMode.optional() });

export const accessLogging = z.strictObject({
  match: modeSelector.optional(),
  providers: z.array(providerRef).optional(),
  disabled: z.boolean().optional(),
  /** a CEL expression over Envoy attributes (e.g. response.code >= 400) */
  filter: z.strictObject({ expression: z.string().optional() }).optional(),
});

const customTag = z.strictObject({
  literal: z.strictObject({ value: z.string().optional() }).optional(),
  environment: z
    .strictObject({ name: z.string().optional(), defaultValue: z.string().optional() })
    .optional(),
  header: z.strictObject({ name: z.string().optional(), defaultValue: z.string().optional() }).optional(),
});

export const tracing = z.strictObject({
  match: modeSelector.optional(),
  providers: z.array(providerRef).optional(),
  randomSamplingPercentage: z.number().optional(),
  disableSpanReporting: z.boolean().optional(),
  customTags: z.record(z.string(), customTag).optional(),
  useRequestIdForTraceSampling: z.boolean().optional(),
  enableIstioTags: z.boolean().optional(),
});

const tagOverride = z.strictObject({
  operation: z.enum(['UPSERT', 'REMOVE']).optional(),
  value: z.string().optional(),
});

const metricsOverride = z.strictObject({
  match: z
    .strictObject({
      metric: z
        .enum([
          'ALL_METRICS',
          'REQUEST_COUNT',
          'REQUEST_DURATION',
          'REQUEST_SIZE',
          'RESPONSE_SIZE',
          'TCP_OPENED_CONNECTIONS',
          'TCP_CLOSED_CONNECTIONS',
          'TCP_SENT_BYTES',
          'TCP_RECEIVED_BYTES',
          'GRPC_REQUEST_MESSAGES',
          'GRPC_RESPONSE_MESSAGES',
        ])
        .optional(),
      customMetric: z.string().optional(),
      mode: workloadMode.optional(),
    })
    .optional(),
  disabled: z.boolean().optional(),
  tagOverrides: z.record(z.string(), tagOverride).optional(),
});

export const metrics = z.strictObject({
  providers: z.array(providerRef).optional(),
  overrides: z.array(metricsOverride).optional(),
  reportingInterval: z.string().optional(),
});

export const telemetrySpec = z.strictObject({
  selector: workloadSelector.optional(),
  targetRef: policyTargetReference.optional(),
  targetRefs: z.array(policyTargetReference).optional(),
  tracing: z.array(tracing).optional(),
  metrics: z.array(metrics).optional(),
  accessLogging: z.array(accessLogging).optional(),
});
export type TelemetrySpec = z.infer<typeof telemetrySpec>;
export type AccessLogging = z.infer<typeof accessLogging>;
