// The webhook's checks on Telemetry (VAL ValidateTelemetry) and ProxyConfig (VAL
// ValidateProxyConfig); the selector checks are the security policies' (policy.*).
import { check, q } from '../schema-entry.ts';

export const TELEMETRY_CHECKS = {
  'telemetry.target-name': check({
    level: 'error',
    detail: () => 'targetRef name must be set',
    fix: 'Name the Gateway, GatewayClass, Service or ServiceEntry, e.g. targetRefs: [{kind: Service, group: "", name: productpage}].',
  }),
  'telemetry.target-namespace': check({
    level: 'error',
    detail: () => 'targetRef namespace must not be set; cross namespace referencing is not supported',
    fix: "Remove namespace and put the Telemetry in the target's own namespace.",
  }),
  'telemetry.target-kind': check<{ group: string; kind: string }>({
    level: 'error',
    detail: (p) =>
      `targetRef must be to one of core/Service, networking.istio.io/ServiceEntry, gateway.networking.k8s.io/Gateway, gateway.networking.k8s.io/GatewayClass but was ${p.group}/${p.kind}`,
    why: 'targetRefs attach a Telemetry to a waypoint or gateway through the Service, ServiceEntry or Gateway it serves; nothing else can be targeted, and the webhook refuses the resource.',
    fix: 'Use kind: Service with group: "" (or kind: Gateway with group: gateway.networking.k8s.io); for sidecars, use selector.matchLabels instead.',
  }),
  'telemetry.provider-name': check<{ field: string }>({
    level: 'error',
    detail: (p) => `${p.field}: providers.name may not be empty`,
    fix: "Name a provider of the mesh config, e.g. providers: [{name: envoy}] for access logs on the proxy's stdout.",
  }),
  'telemetry.tracing-multiple': check({
    level: 'warning',
    detail: () => 'multiple tracing is not currently supported',
    fix: 'Keep one tracing entry.',
  }),
  'telemetry.tracing-providers': check({
    level: 'warning',
    detail: () => 'multiple providers is not currently supported',
    fix: 'Keep one tracing provider.',
  }),
  'telemetry.sampling': check<{ value: number }>({
    level: 'error',
    detail: (p) => `randomSamplingPercentage must be in range [0.0, 100.0], not ${p.value}`,
    fix: 'It is a percentage: 1.0 samples one request in a hundred, 100 samples all.',
  }),
  'telemetry.custom-tag': check<{ reason: string }>({
    level: 'error',
    detail: (p) => p.reason,
  }),
  'telemetry.tag-override': check<{ tag: string; reason: string }>({
    level: 'error',
    detail: (p) => `tagOverrides ${q(p.tag)}: ${p.reason}`,
    fix: 'UPSERT needs a value (a CEL expression such as "request.host"); REMOVE takes none.',
  }),
  'telemetry.tag-override-name': check({
    level: 'warning',
    detail: () => 'tagOverrides.name may not be empty',
  }),
  'telemetry.custom-metric': check({
    level: 'error',
    detail: () => 'customMetric may not be empty',
  }),
  'telemetry.filter': check<{ expression: string; reason: string }>({
    level: 'error',
    detail: (p) => `accessLogging filter expression ${q(p.expression)} is not valid CEL: ${p.reason}`,
    fix: 'Write a CEL expression over Envoy attributes, e.g. response.code >= 400 or request.url_path.startsWith("/api").',
  }),
  'proxyconfig.concurrency': check<{ value: number }>({
    level: 'error',
    detail: (p) => `concurrency must be greater than or equal to 0, not ${p.value}`,
    fix: 'Use 0 (one worker thread per CPU) or a positive number of worker threads.',
  }),
};
