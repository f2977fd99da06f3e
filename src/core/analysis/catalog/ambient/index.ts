// Texts of the ambient group's findings (ICA13xx): the course-level mistakes of
// ambient mode, as Istio 1.26 behaves (config/ambient.ts, config/ztunnel-authz.ts).
// istioctl 1.26 has no analyzer for waypoint labels; IST0167 (a Sidecar on ambient
// workloads) belongs to the Sidecar kind's rules. Sorted by code.
import { entry } from '../entry.ts';

export const AMBIENT_ENTRIES = {
  ICA1301: entry<{ kind: 'VirtualService' | 'HTTPRoute' | 'GRPCRoute'; host: string; pods: string }>({
    code: 'ICA1301',
    name: 'VirtualServiceWithoutWaypoint',
    level: 'Warning',
    description:
      'A VirtualService, or an HTTPRoute whose parent is a Service, for a Service in ambient that no waypoint serves.',
    message: (p) =>
      `${p.kind} routes ${p.host}, whose pods are in ambient (${p.pods}), but no waypoint serves it: ambient clients ignore these rules`,
    explanation:
      'In ambient mode ztunnel forwards at L4 and never reads HTTP: routing rules (subsets, weights, header matches, retries, faults) run only in a waypoint. Without a waypoint for the Service, requests from ambient clients go to any of its pods as if the VirtualService did not exist; only clients with their own sidecar still apply it.',
    fix: 'Deploy a waypoint (istioctl waypoint apply -n <namespace> --enroll-namespace) or label the Service (or its namespace) istio.io/use-waypoint=<waypoint>.',
  }),
  ICA1302: entry<{ action: string; attributes: string; pods: string; effect: string }>({
    code: 'ICA1302',
    name: 'L7PolicyEnforcedByZtunnel',
    level: 'Warning',
    description:
      'An ALLOW or DENY AuthorizationPolicy with HTTP attributes that selects ambient workloads (enforced by ztunnel).',
    message: (p) =>
      `${p.action} policy uses HTTP attributes (${p.attributes}) but applies to ambient workloads (${p.pods}), where ztunnel enforces it: ${p.effect}`,
    explanation:
      "ztunnel reads L4 only. istiod gives it the policy without the HTTP rules (the policy's status says UnsupportedValue): in an ALLOW policy a rule with methods, paths, hosts, requestPrincipals or request.* conditions is dropped, so less is allowed (with no rule left, every connection is reset: curl exit 56); in a DENY policy the HTTP attributes are ignored, so the rule denies whole connections.",
    fix: 'Attach the policy to the waypoint that serves the Service: replace selector with targetRefs (kind Service with group "", or kind Gateway with group gateway.networking.k8s.io naming the waypoint), or keep only L4 fields (principals, namespaces, ports) in a selector policy.',
  }),
  ICA1303: entry<{ label: string; waypoint: string; found: string }>({
    code: 'ICA1303',
    name: 'WaypointNotFound',
    level: 'Warning',
    description: 'An istio.io/use-waypoint label names a waypoint the inputs do not define.',
    message: (p) => `${p.label} names waypoint ${p.waypoint}, which ${p.found}`,
    explanation:
      'A use-waypoint label only redirects traffic to a Gateway of class istio-waypoint by that name (in the same namespace, unless istio.io/use-waypoint-namespace says another). Without it, ztunnel has no waypoint to send to: L7 routing and L7 policies do not apply, and istiod marks the Service or pod as waiting for the waypoint.',
    fix: (p) =>
      `Create the waypoint (istioctl waypoint apply -n <namespace> --name ${p.waypoint.split('/')[1] ?? p.waypoint}), or fix the label to name an existing one.`,
  }),
  ICA1304: entry<{ label: string; waypoint: string; waypointFor: string; needs: string }>({
    code: 'ICA1304',
    name: 'WaypointForMismatch',
    level: 'Warning',
    description: "A waypoint's istio.io/waypoint-for does not take the traffic it is used for.",
    message: (p) =>
      `${p.label} uses waypoint ${p.waypoint} for ${p.needs} traffic, but the waypoint's istio.io/waypoint-for is ${p.waypointFor}`,
    explanation:
      'A waypoint takes only the traffic its istio.io/waypoint-for label names: service (the default when unset), workload, all or none. Service traffic (to a Service name or ClusterIP) needs service or all; traffic sent to a pod labelled use-waypoint needs workload or all. Otherwise the label is silently ignored and no L7 processing happens.',
    fix: (p) =>
      `Label the waypoint Gateway istio.io/waypoint-for=${p.needs === 'service' ? 'service (or all)' : 'workload (or all)'}, or use a waypoint that takes ${p.needs} traffic.`,
  }),
} as const;
