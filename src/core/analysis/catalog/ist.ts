// istioctl's codes (IST), for the same conditions istioctl reports, with its names
// (pkg/config/analysis/msg/messages.yaml). Sorted by code.
import { entry, type RefKind, type SchemaParams } from './entry.ts';

const refExplanations: Record<RefKind, string> = {
  gateway:
    'The VirtualService is bound to a Gateway that does not exist, so no gateway serves these routes: requests through it get 404 (Envoy flag NR).',
  host: "The destination host is neither a Kubernetes Service nor a ServiceEntry host, so Envoy has no cluster for it: requests fail with 503 (flag NC), or, for an external name under REGISTRY_ONLY, 502 from the sidecar's block_all route.",
  'host:port':
    'The destination port is not a port of the Service, so the route points at a cluster that does not exist: connections are refused or requests fail with 503.',
  'host+subset':
    'The route sends traffic to a subset that no DestinationRule defines. Envoy has no cluster for it and answers 503 with flag NC ("no cluster found"). A classic incident: a VirtualService moved 100% of traffic to v2 before anyone created the DestinationRule, and every request failed.',
  'mirror host':
    'The mirror target is no Service or ServiceEntry, so the mirrored copies go nowhere (the primary traffic is unaffected).',
  'mirror host+subset':
    'The mirror target subset is defined by no DestinationRule, so the mirrored copies are dropped (the primary traffic is unaffected).',
  selector:
    "The Gateway's selector matches no gateway pod, so no proxy listens for it: external requests never reach the mesh.",
  'sidecar selector':
    "The Sidecar's workloadSelector matches no pod in its namespace (a Sidecar selects only there), so it configures no proxy: the pods you meant keep the namespace default.",
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
  'sidecar selector':
    "Make workloadSelector.labels match the pods' labels (kubectl get pods --show-labels), and put the Sidecar in the pods' namespace.",
  credentialName:
    'Create the TLS Secret (kubectl create -n istio-system secret tls NAME --key ... --cert ...) or fix credentialName.',
};

export const IST_ENTRIES = {
  IST0101: entry<{ ref: RefKind; name: string }>({
    code: 'IST0101',
    name: 'ReferencedResourceNotFound',
    level: 'Error',
    description: 'A referenced gateway, host, port, subset, selector or secret that does not exist.',
    message: (p) =>
      p.ref === 'host+subset' || p.ref === 'mirror host+subset'
        ? `Referenced ${p.ref} in destinationrule not found: "${p.name}"`
        : `Referenced ${p.ref === 'sidecar selector' ? 'selector' : p.ref} not found: "${p.name}"`,
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
  IST0112: entry<{ host: string; ports: string; gateways: string }>({
    code: 'IST0112',
    name: 'VirtualServiceDestinationPortSelectorRequired',
    level: 'Error',
    description: 'A destination without a port while the service exposes several ports.',
    message: (p) =>
      `This VirtualService routes to ${p.host}, which exposes multiple ports (${p.ports}); a destination port is required`,
    explanation: (p) =>
      p.gateways
        ? `Without a port, a proxy routes to the port the request arrived on. A sidecar's listener is a port of the service, but this VirtualService is bound to ${p.gateways}, whose listener port (80, 443, or 8080/8443 inside the pod) is not one of ${p.host}'s ports (${p.ports}): the route points at a cluster that does not exist and requests through the gateway fail with 503.`
        : `Without a port, a sidecar routes to the port the request arrived on (its listener's port), so mesh traffic to ${p.host} on ${p.ports} still works; istioctl reports it because the same route breaks at a gateway, whose listener port is not a port of the service. This VirtualService is bound to the mesh only, so the trainer does not fail a lab on it.`,
    fix: 'Add destination.port.number.',
    affectsTraffic: (p) => p.gateways !== '',
  }),
  IST0130: entry<{ rule: string; reason: string }>({
    code: 'IST0130',
    name: 'VirtualServiceUnreachableRule',
    level: 'Warning',
    description:
      'An http, tcp or tls rule that can never match: an earlier rule without match takes every request, or earlier rules repeat all its matches.',
    message: (p) => `VirtualService rule ${p.rule} is not used (${p.reason})`,
    explanation:
      'Rules are evaluated in order and the first match wins, so this rule never receives traffic.',
    fix: 'Move the more specific rule above the catch-all rule (a rule without match belongs last).',
  }),
  IST0131: entry<{ rule: string; match: string; other: string }>({
    code: 'IST0131',
    name: 'VirtualServiceIneffectiveMatch',
    level: 'Info',
    description: 'A match that repeats, or lies inside, an earlier match (http, tcp or tls).',
    message: (p) =>
      `VirtualService rule ${p.rule} match ${p.match} is not used (duplicate/overlapping match in rule ${p.other})`,
    explanation:
      'Matches are tried in order and the first one that fits wins. An earlier match already takes every request this one selects (the same conditions, or a shorter URI prefix with no condition this match lacks), so it never decides anything.',
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
  IST0161: entry<{ gateway: string; namespace: string; secret: string; detail: string }>({
    code: 'IST0161',
    name: 'InvalidGatewayCredential',
    level: 'Error',
    description:
      "A Gateway's credentialName Secret exists but holds no usable certificate (wrong or empty keys, not a certificate, expired).",
    message: (p) =>
      `The credential referenced by the Gateway ${p.gateway} in namespace ${p.namespace} is invalid, which can cause the traffic not to work as expected.`,
    explanation: (p) =>
      `Secret ${p.namespace}/${p.secret}: ${p.detail}. The gateway cannot load a certificate from it, so the HTTPS server has no certificate and TLS handshakes fail.`,
    fix: 'Recreate the Secret from a valid certificate and key: kubectl create -n istio-system secret tls NAME --cert=CERT.pem --key=KEY.pem (keys tls.crt and tls.key; a generic Secret needs cert and key).',
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
  IST0173: entry<{ subset: string; host: string; labels: string; routedBy: string }>({
    code: 'IST0173',
    name: 'DestinationRuleSubsetNotSelectPods',
    level: 'Error',
    description:
      'A DestinationRule subset whose labels match no pod (istioctl reports it from Istio 1.28; 1.26 does not have this check).',
    message: (p) =>
      `The Subset ${p.subset} defined in the DestinationRule does not select any pods (host ${p.host}, labels ${p.labels})`,
    explanation: (p) =>
      p.routedBy
        ? `Traffic is routed to this subset today (${p.routedBy}) and finds no endpoints: 503 "no healthy upstream" (flag UH). istioctl reports this from Istio 1.28 as an Error; Istio 1.26's istioctl does not have the check.`
        : 'No route sends traffic to this subset today (a weight 0 next to other destinations counts as none), so nothing fails yet; a route to it would get 503 "no healthy upstream" (flag UH). istioctl reports this from Istio 1.28 as an Error; Istio 1.26\'s istioctl does not have the check. The trainer does not fail a lab on it while no traffic reaches the subset.',
    fix: 'Make the subset labels match the pods (Bookinfo pods are labelled version: v1, v2, v3), or delete the subset if nothing needs it.',
    affectsTraffic: (p) => p.routedBy !== '',
  }),
  IST0174: entry<{ host: string }>({
    code: 'IST0174',
    name: 'UnknownDestinationRuleHost',
    level: 'Warning',
    description: 'A DestinationRule whose host matches no Service or ServiceEntry.',
    message: (p) => `DestinationRule for non-existent service ${p.host}`,
    explanation:
      'The policy and subsets attach to nothing, so routes to the intended service see no subsets: 503 NC.',
    fix: (p) =>
      p.host.includes('.') && !p.host.endsWith('.cluster.local')
        ? `A host with a dot is taken as written, not completed like a short name: write the short name (${p.host.split('.')[0]}) or the full name (${p.host.split('.')[0]}.${p.host.split('.')[1]}.svc.cluster.local), or create the Service or ServiceEntry.`
        : "Fix the host (short names resolve in the DestinationRule's namespace) or create the Service.",
  }),
} as const;
