// The message catalog: every finding code with its level, message template,
// explanation (the symptom a user sees) and fix. Rules create findings only
// through `createFinding`, so all wording lives here. Sorted by code.
// IST codes and names follow istioctl's pkg/config/analysis/msg/messages.yaml;
// ICA codes are the trainer's own checks.
import type { Level } from '../finding.ts';
import type { MistakeId } from './mistakes.ts';

export interface CatalogEntry<P> {
  code: string;
  name: string;
  level: Level;
  /** what the check looks for, one sentence (shown by `analyze --list-codes`) */
  description: string;
  message: (p: P) => string;
  explanation: string | ((p: P) => string);
  fix: string | ((p: P) => string);
  mistake?: MistakeId | ((p: P) => MistakeId | undefined);
}

function entry<P = Record<string, never>>(e: CatalogEntry<P>): CatalogEntry<P> {
  return e;
}

export type RefKind =
  | 'gateway'
  | 'host'
  | 'host:port'
  | 'host+subset'
  | 'mirror host'
  | 'mirror host+subset'
  | 'selector'
  | 'credentialName';

/** Parameters of a schema finding: the detail, with optional check-specific texts. */
export interface SchemaParams {
  detail: string;
  why?: string;
  fix?: string;
}

const refExplanations: Record<RefKind, string> = {
  gateway:
    'The VirtualService is bound to a Gateway that does not exist, so no gateway serves these routes: requests through it get 404 (Envoy flag NR).',
  host: 'The destination host is neither a Kubernetes Service nor a ServiceEntry host, so Envoy has no cluster for it: requests fail with 503 (flag NC) or go to the BlackHoleCluster.',
  'host:port':
    'The destination port is not a port of the Service, so the route points at a cluster that does not exist: connections are refused or requests fail with 503.',
  'host+subset':
    'The route sends traffic to a subset that no DestinationRule defines. Envoy has no cluster for it and answers 503 with flag NC ("no cluster found"). This is the module\'s war story: a VirtualService moved 100% of traffic to v2 before anyone created the DestinationRule, and every request failed.',
  'mirror host':
    'The mirror target is no Service or ServiceEntry, so the mirrored copies go nowhere (the primary traffic is unaffected).',
  'mirror host+subset':
    'The mirror target subset is defined by no DestinationRule, so the mirrored copies are dropped (the primary traffic is unaffected).',
  selector:
    "The Gateway's selector matches no gateway pod, so no proxy listens for it: external requests never reach the mesh.",
  credentialName:
    "The TLS Secret named by credentialName does not exist in the gateway's namespace, so the HTTPS listener has no certificate and TLS handshakes fail.",
};

const refFixes: Record<RefKind, string> = {
  gateway:
    'Create the Gateway, or fix the name under `gateways:` (use `namespace/name` for a Gateway in another namespace).',
  host: 'Point the destination at an existing Service (short name or FQDN), or register the external host with a ServiceEntry.',
  'host:port': 'Use a port number that the Service exposes.',
  'host+subset':
    'Create a DestinationRule for this host that defines the subset (name and pod labels), or route to a subset it defines. Apply the DestinationRule before the VirtualService.',
  'mirror host': 'Mirror to an existing Service or a registered ServiceEntry host.',
  'mirror host+subset': 'Define the subset in a DestinationRule for the mirror host.',
  selector:
    "Make the selector match the gateway pods' labels (Istio's default ingress is `istio: ingressgateway`).",
  credentialName:
    'Create the TLS Secret (kubectl create -n istio-system secret tls NAME --key ... --cert ...) or fix credentialName.',
};

export const CATALOG = {
  ICA0001: entry<{ detail: string }>({
    code: 'ICA0001',
    name: 'YamlSyntaxError',
    level: 'Error',
    description: 'A YAML document that cannot be parsed.',
    message: (p) => `YAML syntax error: ${p.detail}`,
    explanation:
      'kubectl would refuse the whole file; this document is skipped and the other documents are still analysed.',
    fix: 'Fix the YAML at the position shown (indentation, a missing ":" or an unclosed bracket are the usual causes).',
  }),
  ICA0002: entry<{ detail: string }>({
    code: 'ICA0002',
    name: 'NotAResource',
    level: 'Error',
    description:
      'A YAML document that is not a Kubernetes object (not a mapping, or no apiVersion/kind/name).',
    message: (p) => `Not a Kubernetes resource: ${p.detail}`,
    explanation: 'kubectl apply rejects a document without apiVersion, kind and metadata.name.',
    fix: 'Give the document apiVersion, kind and metadata.name, or remove it.',
  }),
  ICA0003: entry<{ kind: string; apiVersion: string }>({
    code: 'ICA0003',
    name: 'KindSkipped',
    level: 'Info',
    description: 'A resource of a kind the trainer does not analyse.',
    message: (p) => `Skipped ${p.kind} (${p.apiVersion}): the trainer does not analyse this kind`,
    explanation: 'Only Istio networking resources and the Kubernetes objects they refer to are analysed.',
    fix: 'Nothing to do, unless this was meant to be one of the analysed kinds.',
  }),
  ICA0004: entry<{ path: string; detail: string }>({
    code: 'ICA0004',
    name: 'InputUnreadable',
    level: 'Error',
    description:
      'A path that cannot be read as YAML text (missing, unreadable, binary, too large, an alias bomb).',
    message: (p) => `Cannot read ${p.path}: ${p.detail}`,
    explanation: 'Nothing in this input could be analysed.',
    fix: 'Check the path and that it is a YAML text file.',
  }),
  ICA0005: entry<{ kind: string; apiVersion: string; known: string }>({
    code: 'ICA0005',
    name: 'UnknownApiVersion',
    level: 'Error',
    description: 'A known kind with an apiVersion that the API server does not serve.',
    message: (p) => `${p.kind} is not served as ${p.apiVersion} (use one of: ${p.known})`,
    explanation: 'kubectl apply fails with "no matches for kind" and the resource is never created.',
    fix: (p) => `Set apiVersion to ${p.known.split(', ')[0]}.`,
  }),
  ICA0006: entry<{ detail: string }>({
    code: 'ICA0006',
    name: 'YamlDuplicateKey',
    level: 'Error',
    description: 'A mapping that repeats a key.',
    message: (p) => `YAML ${p.detail}`,
    explanation:
      'kubectl rejects the document ("mapping key already defined"); if it were accepted, the last value would silently win.',
    fix: 'Keep one copy of the key (merge the two blocks if both hold settings).',
  }),
  ICA0007: entry<{ path: string }>({
    code: 'ICA0007',
    name: 'EmptyInput',
    level: 'Info',
    description: 'A file or stream with no YAML documents in it.',
    message: (p) => `${p.path} holds no resources (it is empty or only comments)`,
    explanation: 'Nothing from this input reaches the analysis.',
    fix: 'Check that you saved your work to this file.',
  }),
  ICA0008: entry<{ rule: string; detail: string }>({
    code: 'ICA0008',
    name: 'InternalRuleError',
    level: 'Info',
    description: 'A rule that failed on this input (a bug in the trainer).',
    message: (p) => `Rule ${p.rule} could not finish: ${p.detail}`,
    explanation: 'The other rules ran; this one may have missed problems.',
    fix: 'Please report this with the input that caused it.',
  }),
  ICA0009: entry<{ other: string }>({
    code: 'ICA0009',
    name: 'DuplicateResource',
    level: 'Warning',
    description: 'The same resource (kind, namespace and name) defined twice in the input.',
    message: (p) => `This resource is defined again at ${p.other}; the later definition replaces this one`,
    explanation:
      'kubectl apply sends both, and the second overwrites the first: everything in this definition is lost on the cluster.',
    fix: 'Keep one definition (merge the two), or give the resources different names.',
  }),
  ICA0101: entry<{ field: string; suggestion?: string; kind: string }>({
    code: 'ICA0101',
    name: 'UnknownField',
    level: 'Error',
    description: 'A field that the resource schema does not define (typically a typo).',
    message: (p) =>
      `Unknown field "${p.field}" in ${p.kind}${p.suggestion ? `: did you mean "${p.suggestion}"?` : ''}`,
    explanation: (p) =>
      `kubectl apply rejects unknown fields (strict field validation); servers without it silently drop them, so the setting${p.suggestion ? ` you meant ("${p.suggestion}")` : ''} simply vanishes and the resource behaves as if it were not there.`,
    fix: (p) =>
      p.suggestion ? `Rename "${p.field}" to "${p.suggestion}".` : `Remove "${p.field}" or fix its name.`,
  }),
  ICA0201: entry<{ detail: string; why: string; fix: string }>({
    code: 'ICA0201',
    name: 'ClusterReadSkipped',
    level: 'Info',
    description:
      'Something a live analysis could not read (RBAC, a CRD not served): the checks that need it did not run.',
    message: (p) => p.detail,
    explanation: (p) => p.why,
    fix: (p) => p.fix,
  }),
  ICA1001: entry<{ total: number; shares: string }>({
    code: 'ICA1001',
    name: 'WeightsNotSummingTo100',
    level: 'Warning',
    description: 'Route weights that do not add up to 100.',
    message: (p) => `Route weights add up to ${p.total}, not 100: traffic will actually go ${p.shares}`,
    explanation:
      'Since Istio 1.15 the weights are not rejected: Envoy normalizes them (each gets weight / sum), so the split is not the one written down.',
    fix: 'Make the weights of this route total exactly 100.',
    mistake: 'weights-not-100',
  }),
  ICA1002: entry<{ host: string; attempts: number }>({
    code: 'ICA1002',
    name: 'RetriesWithoutOutlierDetection',
    level: 'Warning',
    description: 'Retries towards a destination whose DestinationRule has no outlier detection.',
    message: (p) =>
      `Retries (${p.attempts} attempts) to ${p.host}, but no DestinationRule for it sets outlierDetection`,
    explanation: (p) =>
      `When ${p.host} starts failing, every request becomes up to ${p.attempts + 1} upstream requests and keeps hitting the failing pods: a retry storm.`,
    fix: 'Add trafficPolicy.outlierDetection (consecutive5xxErrors, interval, baseEjectionTime, and a maxEjectionPercent that allows at least one pod, e.g. 50 for 3 pods) to a DestinationRule for this host.',
    mistake: 'retries-without-cb',
  }),
  ICA1003: entry<{ timeout: string; attempts: number; perTry: string; budget: string; complete: number }>({
    code: 'ICA1003',
    name: 'TimeoutShorterThanRetries',
    level: 'Warning',
    description: 'A route timeout shorter than attempts × perTryTimeout.',
    message: (p) =>
      `Route timeout ${p.timeout} is shorter than ${p.attempts} attempts × perTryTimeout ${p.perTry} (${p.budget})`,
    explanation: (p) =>
      `The route timeout covers all retries, so only ${p.complete} full attempt${p.complete === 1 ? '' : 's'} can complete before the request fails with 504 (flag UT); the other retries never happen.`,
    fix: (p) => `Raise timeout to at least ${p.budget}, or lower attempts or perTryTimeout.`,
    mistake: 'timeout-shorter-than-retries',
  }),
  ICA1004: entry<{ host: string }>({
    code: 'ICA1004',
    name: 'ExternalHostNotRegistered',
    level: 'Error',
    description: 'An external host with no ServiceEntry while outbound traffic is REGISTRY_ONLY.',
    message: (p) =>
      `External host ${p.host} is not registered by any ServiceEntry and the mesh is REGISTRY_ONLY`,
    explanation:
      'With outboundTrafficPolicy REGISTRY_ONLY, the sidecar sends traffic for unknown hosts to the BlackHoleCluster: calls fail with 502.',
    fix: (p) => `Add a ServiceEntry with hosts: [${p.host}] and the ports it uses.`,
    mistake: 'missing-serviceentry',
  }),
  ICA1005: entry<{ host: string; gateway: string }>({
    code: 'ICA1005',
    name: 'GatewayHostNotServed',
    level: 'Warning',
    description: 'A Gateway host that no VirtualService bound to the Gateway serves.',
    message: (p) => `Gateway host "${p.host}" is served by no VirtualService bound to ${p.gateway}`,
    explanation:
      'The gateway accepts connections for this host but has no routes for it: requests get 404 (flag NR).',
    fix: 'Bind a VirtualService to this Gateway (gateways: [...]) whose hosts include this host.',
    mistake: 'gateway-host-mismatch',
  }),
  ICA1006: entry<{ host: string; gateway: string }>({
    code: 'ICA1006',
    name: 'VirtualServiceMissingGateways',
    level: 'Warning',
    description: "A VirtualService whose hosts match a Gateway's hosts but which is not bound to it.",
    message: (p) =>
      `Host "${p.host}" is exposed by Gateway ${p.gateway}, but this VirtualService has no gateways: field`,
    explanation:
      'Without gateways: the rules apply to sidecars only (the implicit "mesh" gateway): traffic entering through the ingress gateway does not follow them.',
    fix: (p) =>
      `Add gateways: [${p.gateway.split('/').pop()}] (keep "mesh" in the list if in-mesh callers need the rules too).`,
    mistake: 'missing-gateways-field',
  }),
  ICA1007: entry<{ port: number; host: string; ports: string }>({
    code: 'ICA1007',
    name: 'PolicyPortNotOnService',
    level: 'Warning',
    description: 'A DestinationRule port-level setting for a port the Service does not expose.',
    message: (p) => `portLevelSettings for port ${p.port}, but ${p.host} exposes ${p.ports}`,
    explanation: 'The policy is attached to a port no traffic uses, so it silently never applies.',
    fix: 'Use the port number of the Kubernetes Service.',
    mistake: 'wrong-port',
  }),
  ICA1008: entry<{ fault: 'delay' | 'abort'; why: string }>({
    code: 'ICA1008',
    name: 'FaultNeverFires',
    level: 'Warning',
    description: 'A fault delay or abort that applies to no request (no percentage, or 0).',
    message: (p) => `This ${p.fault} fault never fires: ${p.why}`,
    explanation:
      'Istio injects a fault only into the share of requests its percentage names; without a percentage that share is 0, so nothing is delayed or aborted.',
    fix: (p) => `Add ${p.fault}.percentage.value (for example 100 for every request).`,
  }),
  ICA1009: entry<{ host: string; percent: number; pods: number }>({
    code: 'ICA1009',
    name: 'OutlierDetectionNeverEjects',
    level: 'Warning',
    description: 'Outlier detection whose maxEjectionPercent allows no pod of the service to be ejected.',
    message: (p) =>
      `outlierDetection for ${p.host} can eject no pod: maxEjectionPercent ${p.percent}% of ${p.pods} pod${p.pods === 1 ? '' : 's'} is less than one`,
    explanation:
      'Since Envoy 1.28 (Istio 1.20) the maximum ejection percentage is enforced even for the first ejection, so a failing pod stays in the pool and keeps receiving its share of traffic.',
    fix: (p) =>
      `Set maxEjectionPercent to at least ${Math.ceil(100 / Math.max(1, p.pods))} (one pod of ${p.pods}), or 100 to allow ejecting every failing pod.`,
  }),
  IST0101: entry<{ ref: RefKind; name: string }>({
    code: 'IST0101',
    name: 'ReferencedResourceNotFound',
    level: 'Error',
    description: 'A referenced gateway, host, port, subset, selector or secret that does not exist.',
    message: (p) =>
      p.ref === 'host+subset' || p.ref === 'mirror host+subset'
        ? `Referenced ${p.ref} in destinationrule not found: "${p.name}"`
        : `Referenced ${p.ref} not found: "${p.name}"`,
    explanation: (p) => refExplanations[p.ref],
    fix: (p) => refFixes[p.ref],
    mistake: (p) =>
      p.ref === 'host+subset' ? 'subset-without-dr' : p.ref === 'host:port' ? 'wrong-port' : undefined,
  }),
  IST0106: entry<SchemaParams>({
    code: 'IST0106',
    name: 'SchemaValidationError',
    level: 'Error',
    description: "A value Istio's validating webhook rejects.",
    message: (p) => `Schema validation error: ${p.detail}`,
    explanation: (p) =>
      p.why ?? 'The validating webhook rejects the resource: kubectl apply fails and nothing changes.',
    fix: (p) => p.fix ?? 'Correct the field as the message says.',
  }),
  IST0109: entry<{ host: string; others: string }>({
    code: 'IST0109',
    name: 'ConflictingMeshGatewayVirtualServiceHosts',
    level: 'Error',
    description: 'Two mesh-bound VirtualServices for the same host.',
    message: (p) =>
      `The VirtualServices ${p.others} associated with mesh define the same host ${p.host} which can lead to undefined behavior`,
    explanation: 'Istio merges or picks one of them unpredictably: some of the rules you wrote do not apply.',
    fix: 'Merge the rules into one VirtualService per host.',
  }),
  IST0112: entry<{ host: string; ports: string }>({
    code: 'IST0112',
    name: 'VirtualServiceDestinationPortSelectorRequired',
    level: 'Error',
    description: 'A destination without a port while the service exposes several ports.',
    message: (p) =>
      `This VirtualService routes to ${p.host}, which exposes multiple ports (${p.ports}); a destination port is required`,
    explanation:
      'Without a port Istio cannot tell which port the route is for, so it does not apply as intended.',
    fix: 'Add destination.port.number.',
  }),
  IST0130: entry<{ rule: string; reason: string }>({
    code: 'IST0130',
    name: 'VirtualServiceUnreachableRule',
    level: 'Warning',
    description: 'An HTTP rule that can never match because an earlier rule catches all its requests.',
    message: (p) => `VirtualService rule ${p.rule} is not used (${p.reason})`,
    explanation:
      'Rules are evaluated in order and the first match wins, so this rule never receives traffic.',
    fix: 'Move the more specific rule above the catch-all rule (a rule without match belongs last).',
  }),
  IST0131: entry<{ rule: string; match: string }>({
    code: 'IST0131',
    name: 'VirtualServiceIneffectiveMatch',
    level: 'Info',
    description: "A match that repeats an earlier rule's match.",
    message: (p) =>
      `VirtualService rule ${p.rule} match ${p.match} is not used (duplicate/overlapping match in an earlier rule)`,
    explanation: 'An earlier rule already takes every request this match selects.',
    fix: 'Remove the duplicate match or reorder the rules.',
  }),
  IST0132: entry<{ host: string; gateway: string }>({
    code: 'IST0132',
    name: 'VirtualServiceHostNotFoundInGateway',
    level: 'Warning',
    description: "A VirtualService bound to a Gateway none of whose hosts match the VirtualService's hosts.",
    message: (p) =>
      `one or more host [${p.host}] defined in VirtualService not found in Gateway ${p.gateway}`,
    explanation:
      'The gateway does not accept requests for these hosts, so the routes are never used: 404 at the ingress.',
    fix: "Make the VirtualService's hosts match the Gateway's hosts (or use a Gateway host wildcard).",
    mistake: 'gateway-host-mismatch',
  }),
  IST0133: entry<SchemaParams>({
    code: 'IST0133',
    name: 'SchemaWarning',
    level: 'Warning',
    description: "A value Istio's validating webhook accepts with a warning.",
    message: (p) => `Schema validation warning: ${p.detail}`,
    explanation: (p) => p.why ?? 'Istio accepts the resource but warns that it will not behave as written.',
    fix: (p) => p.fix ?? 'Correct the field as the message says.',
  }),
  IST0134: entry<{ port: string }>({
    code: 'IST0134',
    name: 'ServiceEntryAddressesRequired',
    level: 'Warning',
    description: 'A ServiceEntry with no addresses and a TCP or unset-protocol port.',
    message: (p) => `ServiceEntry addresses are required for this protocol (port ${p.port})`,
    explanation:
      'Without addresses, TCP traffic cannot be told apart by host: the port is captured for every destination on it, which can break other traffic.',
    fix: 'Add addresses (a VIP), or declare the port protocol (HTTP, TLS, HTTPS).',
  }),
  IST0140: entry<{ host: string; other: string }>({
    code: 'IST0140',
    name: 'IngressRouteRulesNotAffected',
    level: 'Warning',
    description:
      'A gateway VirtualService routes to a host without subsets while another VirtualService routes that host by subset.',
    message: (p) =>
      `Subset in virtual service ${p.other} has no effect on ingress gateway requests to ${p.host}`,
    explanation:
      'The gateway sends traffic straight to the host: the subset routing of the other VirtualService only applies to sidecar traffic.',
    fix: 'Bind the subset-routing VirtualService to the gateway too, or route by subset in the gateway VirtualService.',
  }),
  IST0145: entry<{ selector: string; port: number; hosts: string; others: string }>({
    code: 'IST0145',
    name: 'ConflictingGateways',
    level: 'Error',
    description: 'Gateways with the same selector and port and overlapping hosts.',
    message: (p) =>
      `Conflict with gateways ${p.others} (workload selector ${p.selector}, port ${p.port}, hosts ${p.hosts})`,
    explanation: 'Both gateways configure the same listener: only one of them takes effect, unpredictably.',
    fix: 'Merge the servers into one Gateway, or use different hosts or ports.',
  }),
  IST0162: entry<{ port: number; gateway: string }>({
    code: 'IST0162',
    name: 'GatewayPortNotDefinedOnService',
    level: 'Warning',
    description: "A Gateway port that the gateway's Service does not expose.",
    message: (p) =>
      `The gateway is listening on a target port (port ${p.port}) that is not defined in the Service associated with its workload instances (${p.gateway})`,
    explanation:
      'The proxy listens on the port, but the Service does not forward any traffic to it: clients cannot connect.',
    fix: "Use a port the gateway Service exposes (Istio's default ingress targets 8080 for HTTP and 8443 for HTTPS).",
  }),
  IST0173: entry<{ subset: string; host: string; labels: string }>({
    code: 'IST0173',
    name: 'DestinationRuleSubsetNotSelectPods',
    level: 'Error',
    description: 'A subset whose labels match no pod.',
    message: (p) =>
      `The Subset ${p.subset} defined in the DestinationRule does not select any pods (host ${p.host}, labels ${p.labels})`,
    explanation: 'Traffic routed to this subset has no endpoints: 503 "no healthy upstream" (flag UH).',
    fix: 'Make the subset labels match the pods (Bookinfo pods are labelled version: v1, v2, v3).',
  }),
  IST0174: entry<{ host: string }>({
    code: 'IST0174',
    name: 'UnknownDestinationRuleHost',
    level: 'Warning',
    description: 'A DestinationRule whose host matches no Service or ServiceEntry.',
    message: (p) => `DestinationRule for non-existent service ${p.host}`,
    explanation:
      'The policy and subsets attach to nothing, so routes to the intended service see no subsets: 503 NC.',
    fix: "Fix the host (short names resolve in the DestinationRule's namespace) or create the Service.",
  }),
} as const;

export type Code = keyof typeof CATALOG;
export type ParamsOf<C extends Code> = (typeof CATALOG)[C] extends CatalogEntry<infer P> ? P : never;
