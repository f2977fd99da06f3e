// The codes about Telemetry resources: istioctl's IST0157 (accessLogging without a
// provider when the mesh has no default) and the trainer's ICA1015 (a provider name
// the mesh config does not define). Each with its istio.io page (docs.ts spreads them).
import { entry } from '../entry.ts';

const DOCS = 'https://istio.io/latest/docs/';

export const TELEMETRY_ENTRIES = {
  ICA1015: entry<{ telemetry: string; provider: string; known: string }>({
    code: 'ICA1015',
    name: 'UnknownTelemetryProvider',
    level: 'Warning',
    description: 'A Telemetry that names a provider the mesh config does not define.',
    message: (p) =>
      `Telemetry ${p.telemetry} names provider "${p.provider}", which the mesh config does not define (known: ${p.known})`,
    explanation:
      'istiod looks each provider up among meshConfig.extensionProviders (Istio defines envoy, prometheus and stackdriver by default) and skips one it does not find, with a log line only in istiod: the Telemetry is accepted, and does nothing for that provider. For access logging, the proxies then fall back to meshConfig.accessLogFile.',
    fix: 'Use a defined provider: "envoy" writes Envoy access logs to the proxy\'s stdout; or add the provider under meshConfig.extensionProviders.',
  }),
  IST0157: entry<{ telemetry: string; namespace: string }>({
    code: 'IST0157',
    name: 'InvalidTelemetryProvider',
    level: 'Warning',
    description:
      'accessLogging without providers while the mesh config has no defaultProviders.accessLogging.',
    message: (p) => `The Telemetry ${p.telemetry} in namespace "${p.namespace}" provider is invalid`,
    explanation:
      'An accessLogging entry without providers uses the providers of the wider Telemetry (root namespace, then namespace) or meshConfig.defaultProviders.accessLogging, and this mesh defines no default: unless a wider Telemetry names a provider, the entry turns nothing on (and its disabled: true turns nothing off). istioctl reports it without looking at the wider Telemetries.',
    fix: 'Name the provider: accessLogging: [{providers: [{name: envoy}]}].',
  }),
} as const;

export const TELEMETRY_DOCS = {
  ICA1015: `${DOCS}tasks/observability/logs/access-log/`,
  IST0157: `${DOCS}reference/config/analysis/ist0157/`,
} as const;
