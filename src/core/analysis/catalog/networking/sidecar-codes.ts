// The codes about Sidecar resources: istioctl's (IST0110, IST0111, IST0167) for the
// same conditions, and the trainer's (ICA1013, ICA1014) for the course-level
// mistakes of egress scoping. Each with its istio.io page (docs.ts spreads them).
import { entry } from '../entry.ts';

const DOCS = 'https://istio.io/latest/docs/';
const SIDECAR_REF = `${DOCS}reference/config/networking/sidecar/`;

export const SIDECAR_ENTRIES = {
  ICA1013: entry<{ sidecar: string; workload: string; service: string; host: string; mode: string }>({
    code: 'ICA1013',
    name: 'SidecarHidesCalledService',
    level: 'Error',
    description: 'A Sidecar whose egress hosts leave out a service the workload it applies to calls.',
    message: (p) =>
      `Sidecar ${p.sidecar} does not import ${p.service}, which ${p.workload} calls: its proxy does not know the service`,
    explanation: (p) =>
      p.mode === 'REGISTRY_ONLY'
        ? `A proxy knows only the hosts its Sidecar's egress hosts import. Under REGISTRY_ONLY it answers every call to an unknown host itself with 502 (its block_all route), so ${p.workload}'s calls to ${p.service} fail.`
        : `A proxy knows only the hosts its Sidecar's egress hosts import. Under ALLOW_ANY the calls to ${p.service} still leave through the PassthroughCluster, but as plain TCP to the Service IP: no VirtualService route, retry, timeout or DestinationRule policy applies, no Istio mTLS is sent (a STRICT server resets them), and a switch to REGISTRY_ONLY turns them into 502.`,
    fix: (p) =>
      `Add the service to the Sidecar's egress hosts: "./*" (its whole namespace) or "./${p.host}" (that service only: the dnsName is the full host name).`,
  }),
  ICA1014: entry<{ sidecar: string }>({
    code: 'ICA1014',
    name: 'SidecarWithoutIstioSystem',
    level: 'Warning',
    description: 'A Sidecar whose egress hosts do not import the istio-system namespace.',
    message: (p) =>
      `Sidecar ${p.sidecar} imports nothing from istio-system (no "istio-system/*" egress host)`,
    explanation:
      'The proxies it configures no longer see the services, ServiceEntries and VirtualServices declared in istio-system: the egress gateway, mesh-wide ServiceEntries a platform team keeps there, telemetry backends. Calls to them get the outbound policy (PassthroughCluster, or 502 under REGISTRY_ONLY). Every Sidecar example on istio.io keeps "istio-system/*".',
    fix: 'Add "istio-system/*" to the egress hosts (next to "./*").',
  }),
  IST0110: entry<{ sidecars: string; namespace: string; pod: string }>({
    code: 'IST0110',
    name: 'ConflictingSidecarWorkloadSelectors',
    level: 'Error',
    description: 'Several Sidecars in a namespace whose workload selectors select the same pod.',
    message: (p) =>
      `The Sidecars [${p.sidecars}] in namespace "${p.namespace}" select the same workload pod "${p.pod}", which can lead to undefined behavior.`,
    explanation:
      'A proxy uses one Sidecar. When several select it, Istio picks the oldest one and ignores the others: what the pod can reach depends on creation order, not on what you wrote.',
    fix: 'Make the workload selectors select disjoint pods, or merge the Sidecars into one.',
  }),
  IST0111: entry<{ sidecars: string; namespace: string }>({
    code: 'IST0111',
    name: 'MultipleSidecarsWithoutWorkloadSelectors',
    level: 'Error',
    description: 'More than one Sidecar without a workload selector in a namespace.',
    message: (p) =>
      `The Sidecars [${p.sidecars}] in namespace "${p.namespace}" have no workload selector, which can lead to undefined behavior.`,
    explanation:
      'A namespace has one default Sidecar, the one without workloadSelector. With two, Istio uses the oldest for every pod the others do not select and ignores the other: the egress hosts you added to it do nothing.',
    fix: 'Keep one Sidecar without workloadSelector per namespace (merge the egress hosts into it); give the others a workloadSelector.',
  }),
  IST0167: entry<{ reason: string }>({
    code: 'IST0167',
    name: 'IneffectivePolicy',
    level: 'Warning',
    description: 'A Sidecar that applies to an ambient namespace or selects ambient workloads.',
    message: (p) => `The policy has no impact: ${p.reason}.`,
    explanation:
      'Pods in ambient mode have no sidecar: ztunnel (and a waypoint, when there is one) carries their traffic, and nothing reads a Sidecar resource for them.',
    fix: 'Delete the Sidecar, or point it at pods that run a sidecar; for ambient workloads, shape traffic with a waypoint.',
  }),
} as const;

export const SIDECAR_DOCS = {
  ICA1013: `${SIDECAR_REF}#IstioEgressListener`,
  ICA1014: `${SIDECAR_REF}#IstioEgressListener`,
  IST0110: `${DOCS}reference/config/analysis/ist0110/`,
  IST0111: `${DOCS}reference/config/analysis/ist0111/`,
  IST0167: `${DOCS}reference/config/analysis/ist0167/`,
} as const;
