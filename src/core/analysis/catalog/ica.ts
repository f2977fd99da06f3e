// The trainer's own codes (ICA): input problems (ICA0xxx) and the course's common
// mistakes that istioctl does not report (ICA1xxx). Sorted by code.
import { entry } from './entry.ts';

export const ICA_ENTRIES = {
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
    explanation: (p) =>
      `Since Istio 1.15 such weights are not rejected: Envoy normalizes them (each gets weight / ${p.total}), so traffic goes ${p.shares}. If that is the split you meant (40/10 is 80/20), it works as it is; the numbers just do not read as the percentages they become.`,
    fix: 'Write the weights as the percentages they become, so that they total exactly 100.',
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
  ICA1003: entry<{
    timeout: string;
    attempts: number;
    tries: number;
    perTry: string;
    budget: string;
    complete: number;
  }>({
    code: 'ICA1003',
    name: 'TimeoutShorterThanRetries',
    level: 'Warning',
    description:
      'A route timeout shorter than (attempts + 1) × perTryTimeout: the first try and every retry.',
    message: (p) =>
      `Route timeout ${p.timeout} is shorter than the ${p.tries} tries (1 + ${p.attempts} retries) × perTryTimeout ${p.perTry} (${p.budget})`,
    explanation: (p) =>
      `attempts: ${p.attempts} means up to ${p.attempts} retries after the first try, ${p.tries} tries in all, and the route timeout is the budget for all of them: only ${p.complete} full tr${p.complete === 1 ? 'y' : 'ies'} of ${p.tries} can complete before the request fails with 504 (flag UT); the rest never happen.`,
    fix: (p) =>
      `Raise timeout to at least ${p.budget} ((attempts + 1) × perTryTimeout), or lower attempts or perTryTimeout.`,
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
      "With outboundTrafficPolicy REGISTRY_ONLY, the sidecar refuses unknown hosts: an HTTP call gets 502 from the sidecar's own block_all route (Istio's metrics label it BlackHoleCluster), a TCP or TLS connection goes to the BlackHoleCluster and is closed.",
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
  ICA1010: entry<{ host: string; serviceHost: string; entry: string }>({
    code: 'ICA1010',
    name: 'DestinationRuleInsideWildcardServiceEntry',
    level: 'Warning',
    description:
      'A DestinationRule for a name that only a wildcard ServiceEntry covers: it attaches to nothing.',
    message: (p) =>
      `DestinationRule for ${p.host} does not apply: traffic for it uses the cluster of ${p.entry} host ${p.serviceHost}, and DestinationRules attach to that host`,
    explanation: (p) =>
      `Istio builds one cluster per registry host, here ${p.serviceHost}, and picks the DestinationRule whose host is the most specific match for ${p.serviceHost}; a rule for a single name inside the wildcard never matches it, so its traffic policy and subsets are ignored (a route to one of its subsets gets 503 NC).`,
    fix: (p) =>
      `Write the DestinationRule for host ${p.serviceHost}, or give ${p.host} a ServiceEntry of its own (then its traffic has its own cluster).`,
  }),
  ICA1011: entry<{ perTry: string; attempts: number; retryOn: string }>({
    code: 'ICA1011',
    name: 'PerTryTimeoutNotRetried',
    level: 'Warning',
    description:
      'A perTryTimeout whose timed-out tries are never retried (retryOn has none of 5xx, gateway-error, reset).',
    message: (p) =>
      `A try that exceeds perTryTimeout ${p.perTry} is not retried: ${p.retryOn} has none of 5xx, gateway-error, reset`,
    explanation: (p) =>
      `Envoy retries a try that hit its per-try timeout only when retryOn includes 5xx, gateway-error or reset. Here the first slow try ends the request with 504 (flag UT) after ${p.perTry}; the ${p.attempts} retries are used only for the failures retryOn names (connection failures, refused streams, ...).`,
    fix: 'Add 5xx (or gateway-error) to retryOn, e.g. retryOn: 5xx,connect-failure,refused-stream, if slow tries should be retried.',
  }),
  ICA1012: entry<{ port: number; lost: string; where: string }>({
    code: 'ICA1012',
    name: 'PortLevelPolicyReplacesTopLevel',
    level: 'Warning',
    description:
      'portLevelSettings for a port replace the whole trafficPolicy above them for that port: the fields they leave out fall back to defaults.',
    message: (p) =>
      `portLevelSettings for port ${p.port} replace the ${p.where} trafficPolicy on that port: its ${p.lost} do${p.lost.includes(' and ') || p.lost.includes(',') ? '' : 'es'} not apply to port ${p.port}`,
    explanation: (p) =>
      `Istio does not merge port-level settings with the policy above them: for port ${p.port} the port-level entry is the whole policy, and every field it leaves out (here ${p.lost}) falls back to Envoy's defaults (no outlier detection, no connection limits, LEAST_REQUEST).`,
    fix: (p) =>
      `Repeat ${p.lost} inside the portLevelSettings entry for port ${p.port}, or move the port's settings to the top level.`,
  }),
} as const;
