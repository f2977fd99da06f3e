// The course's common-mistakes table (module 1.2), in the trainer's words.
// Current Istio behaviour is taught where the module is out of date.
import type { Mistake } from '../finding.ts';

export const MISTAKES = {
  'subset-without-dr': {
    id: 'subset-without-dr',
    mistake: 'A VirtualService routes to a subset that no DestinationRule defines',
    symptom: 'Requests fail with 503 (Envoy flag NC: the subset cluster does not exist)',
    solution: 'Create a DestinationRule for the host that defines every subset the routes use',
  },
  'weights-not-100': {
    id: 'weights-not-100',
    mistake: 'Route weights do not add up to 100',
    symptom:
      'Traffic is split in proportions nobody intended (since Istio 1.15 the weights are normalized, not rejected)',
    solution: 'Make the weights of each route total exactly 100',
  },
  'gateway-host-mismatch': {
    id: 'gateway-host-mismatch',
    mistake: "The Gateway's hosts and the VirtualService's hosts do not match",
    symptom: 'Requests through the ingress gateway get 404 and never reach the service',
    solution: 'Use the same host (or a host covered by the Gateway wildcard) in both resources',
  },
  'missing-gateways-field': {
    id: 'missing-gateways-field',
    mistake: 'The VirtualService has no `gateways:` field',
    symptom: 'Routing works inside the mesh but not for traffic entering through the ingress gateway',
    solution: 'List the Gateway under `gateways:` (and add `mesh` if sidecars must keep the rules too)',
  },
  'retries-without-cb': {
    id: 'retries-without-cb',
    mistake: 'Retries configured without outlier detection on the destination',
    symptom: 'A failing backend receives a retry storm that multiplies its load',
    solution: 'Pair retries with outlierDetection (and connection limits) in the DestinationRule',
  },
  'timeout-shorter-than-retries': {
    id: 'timeout-shorter-than-retries',
    mistake: 'The route timeout is shorter than the tries need: (attempts + 1) × perTryTimeout',
    symptom: 'The overall timeout cuts the retries short, so the configured attempts never all happen',
    solution:
      'Set timeout ≥ (attempts + 1) × perTryTimeout: attempts counts the retries after the first try (or lower the attempts)',
  },
  'missing-serviceentry': {
    id: 'missing-serviceentry',
    mistake: 'No ServiceEntry for an external service while outbound traffic is REGISTRY_ONLY',
    symptom:
      "Calls to the external host fail: HTTP with 502 from the sidecar's block_all route, TCP/TLS through the BlackHoleCluster",
    solution: 'Register every external dependency with a ServiceEntry',
  },
  'wrong-port': {
    id: 'wrong-port',
    mistake: 'A port in the routing or policy does not match the Kubernetes Service',
    symptom: 'Connections are refused, or the policy silently never applies',
    solution: "Use exactly the port numbers the Service exposes (Bookinfo's services all use 9080)",
  },
} as const satisfies Record<string, Mistake>;

export type MistakeId = keyof typeof MISTAKES;
