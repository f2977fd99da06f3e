// The values of Istio's Helm charts (base, istiod, gateway, cni, ztunnel) as key trees:
// which keys each chart reads and of what type. Keys come from istio/istio's
// manifests/charts: base/values.yaml, istio-control/istio-discovery/files/default-values.gen.yaml,
// gateway/values.yaml and values.schema.json, istio-cni/values.schema.json and
// ztunnel/values.schema.json; none is made up. A key the trees do not hold is unknown.
//
// Leaves: 'map' (free keys: labels, annotations, env, nodeSelector, Kubernetes objects),
// 'list', 'mesh' (a MeshConfig, checked as the mesh config schema), 'any'.
export type Leaf =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'number'
  | 'int-or-string'
  | 'bool-or-auto'
  | 'map'
  | 'list'
  | 'mesh'
  | 'any';
export interface Tree {
  [key: string]: Shape;
}
export type Shape = Leaf | Tree;

export const CHART_NAMES = ['base', 'istiod', 'gateway', 'cni', 'ztunnel'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

/** Keys every chart of 1.26 accepts: the profile overlay and the compatibility version. */
const COMMON: Tree = {
  profile: 'string',
  compatibilityVersion: 'string',
  _internal_defaults_do_not_set: 'map',
};

const resources: Tree = { requests: 'map', limits: 'map' };

const proxy: Tree = {
  image: 'string',
  autoInject: 'string',
  clusterDomain: 'string',
  componentLogLevel: 'string',
  enableCoreDump: 'boolean',
  excludeInboundPorts: 'string',
  includeInboundPorts: 'string',
  includeIPRanges: 'string',
  excludeIPRanges: 'string',
  includeOutboundPorts: 'string',
  excludeOutboundPorts: 'string',
  logLevel: 'string',
  outlierLogPath: 'string',
  privileged: 'boolean',
  readinessFailureThreshold: 'integer',
  readinessInitialDelaySeconds: 'integer',
  readinessPeriodSeconds: 'integer',
  startupProbe: { enabled: 'boolean', failureThreshold: 'integer' },
  resources,
  statusPort: 'integer',
  tracer: 'string',
};

const istiodGlobal: Tree = {
  istioNamespace: 'string',
  certSigners: 'list',
  defaultPodDisruptionBudget: { enabled: 'boolean' },
  defaultResources: resources,
  hub: 'string',
  tag: 'string',
  variant: 'string',
  imagePullPolicy: 'string',
  imagePullSecrets: 'list',
  istiod: { enableAnalysis: 'boolean' },
  logAsJson: 'boolean',
  logging: { level: 'string' },
  omitSidecarInjectorConfigMap: 'boolean',
  operatorManageWebhooks: 'boolean',
  podDNSSearchNamespaces: 'list',
  priorityClassName: 'string',
  proxy,
  proxy_init: { image: 'string' },
  remotePilotAddress: 'string',
  caAddress: 'string',
  externalIstiod: 'boolean',
  configCluster: 'boolean',
  configValidation: 'boolean',
  meshID: 'string',
  meshNetworks: 'map',
  mountMtlsCerts: 'boolean',
  multiCluster: { enabled: 'boolean', clusterName: 'string' },
  network: 'string',
  pilotCertProvider: 'string',
  sds: { token: { aud: 'string' } },
  sts: { servicePort: 'integer' },
  caName: 'string',
  autoscalingv2API: 'boolean',
  platform: 'string',
  ipFamilyPolicy: 'string',
  ipFamilies: 'list',
};

const istiod: Tree = {
  ...COMMON,
  pilot: {
    autoscaleEnabled: 'boolean',
    autoscaleMin: 'integer',
    autoscaleMax: 'integer',
    autoscaleBehavior: 'map',
    replicaCount: 'integer',
    rollingMaxSurge: 'int-or-string',
    rollingMaxUnavailable: 'int-or-string',
    hub: 'string',
    tag: 'string',
    variant: 'string',
    image: 'string',
    traceSampling: 'number',
    resources,
    seccompProfile: 'map',
    cni: { enabled: 'boolean', provider: 'string' },
    extraContainerArgs: 'list',
    env: 'map',
    taint: { enabled: 'boolean', namespace: 'string' },
    affinity: 'map',
    tolerations: 'list',
    cpu: { targetAverageUtilization: 'integer' },
    memory: 'map',
    volumeMounts: 'list',
    volumes: 'list',
    nodeSelector: 'map',
    podAnnotations: 'map',
    serviceAnnotations: 'map',
    serviceAccountAnnotations: 'map',
    topologySpreadConstraints: 'list',
    jwksResolverExtraRootCA: 'string',
    configSource: { subscribedResources: 'list' },
    keepaliveMaxServerConnectionAge: 'string',
    deploymentLabels: 'map',
    configMap: 'boolean',
    podLabels: 'map',
    ipFamilyPolicy: 'string',
    ipFamilies: 'list',
    trustedZtunnelNamespace: 'string',
  },
  sidecarInjectorWebhook: {
    neverInjectSelector: 'list',
    alwaysInjectSelector: 'list',
    injectedAnnotations: 'map',
    enableNamespacesByDefault: 'boolean',
    reinvocationPolicy: 'string',
    rewriteAppHTTPProbe: 'boolean',
    templates: 'map',
    defaultTemplates: 'list',
  },
  istiodRemote: { injectionURL: 'string', injectionPath: 'string', injectionCABundle: 'string' },
  telemetry: {
    enabled: 'boolean',
    v2: { enabled: 'boolean', prometheus: { enabled: 'boolean' }, stackdriver: { enabled: 'boolean' } },
  },
  revision: 'string',
  revisionTags: 'list',
  ownerName: 'string',
  meshConfig: 'mesh',
  experimental: { stableValidationPolicy: 'boolean' },
  global: istiodGlobal,
  base: { enableIstioConfigCRDs: 'boolean' },
  // deprecated in 1.26 (use pilot.cni), still read
  istio_cni: { chained: 'boolean', provider: 'string' },
  gateways: 'map',
};

const base: Tree = {
  ...COMMON,
  global: {
    imagePullSecrets: 'list',
    istioNamespace: 'string',
    istiod: { enableAnalysis: 'boolean' },
    configValidation: 'boolean',
    externalIstiod: 'boolean',
    remotePilotAddress: 'string',
    platform: 'string',
    ipFamilyPolicy: 'string',
    ipFamilies: 'list',
  },
  base: { enableCRDTemplates: 'boolean', validationURL: 'string', enableIstioConfigCRDs: 'boolean' },
  defaultRevision: 'string',
};

const gateway: Tree = {
  ...COMMON,
  global: 'map',
  pilot: 'map',
  platform: 'string',
  name: 'string',
  revision: 'string',
  replicaCount: 'integer',
  kind: 'string',
  rbac: { enabled: 'boolean' },
  serviceAccount: { create: 'boolean', annotations: 'map', name: 'string' },
  podAnnotations: 'map',
  securityContext: 'map',
  containerSecurityContext: 'map',
  service: {
    type: 'string',
    ports: 'list',
    annotations: 'map',
    loadBalancerIP: 'string',
    loadBalancerSourceRanges: 'list',
    externalTrafficPolicy: 'string',
    externalIPs: 'list',
    ipFamilies: 'list',
    ipFamilyPolicy: 'string',
  },
  resources,
  autoscaling: {
    enabled: 'boolean',
    minReplicas: 'integer',
    maxReplicas: 'integer',
    targetCPUUtilizationPercentage: 'integer',
  },
  podDisruptionBudget: 'map',
  env: 'map',
  strategy: 'map',
  minReadySeconds: 'integer',
  readinessProbe: 'map',
  labels: 'map',
  annotations: 'map',
  nodeSelector: 'map',
  tolerations: 'list',
  topologySpreadConstraints: 'list',
  affinity: 'map',
  networkGateway: 'string',
  imagePullPolicy: 'string',
  imagePullSecrets: 'list',
  runAsRoot: 'boolean',
  unprivilegedPort: 'bool-or-auto',
  terminationGracePeriodSeconds: 'number',
  volumes: 'list',
  volumeMounts: 'list',
  priorityClassName: 'string',
  lifecycle: { postStart: 'map', preStop: 'map' },
};

const selector: Shape = 'map';
const cni: Tree = {
  ...COMMON,
  platform: 'string',
  hub: 'string',
  tag: 'string',
  variant: 'string',
  image: 'string',
  pullPolicy: 'string',
  logging: { level: 'string' },
  cniBinDir: 'string',
  cniConfDir: 'string',
  cniConfFileName: 'string',
  cniNetnsDir: 'string',
  excludeNamespaces: 'list',
  affinity: 'map',
  podAnnotations: 'map',
  podLabels: 'map',
  chained: 'boolean',
  provider: 'string',
  ambient: {
    enabled: 'boolean',
    enablementSelectors: 'list',
    configDir: 'string',
    dnsCapture: 'boolean',
    ipv6: 'boolean',
    reconcileIptablesOnStartup: 'boolean',
    shareHostNetworkNamespace: 'boolean',
  },
  repair: {
    enabled: 'boolean',
    hub: 'string',
    tag: 'string',
    labelPods: 'boolean',
    deletePods: 'boolean',
    repairPods: 'boolean',
    initContainerName: 'string',
    brokenPodLabelKey: 'string',
    brokenPodLabelValue: 'string',
  },
  seccompProfile: 'map',
  seLinuxOptions: 'map',
  resources,
  resourceQuotas: { enabled: 'boolean', pods: 'integer' },
  tolerations: 'list',
  updateStrategy: { type: 'string', rollingUpdate: selector },
  revision: 'string',
  ownerName: 'string',
  global: {
    platform: 'string',
    hub: 'string',
    tag: 'string',
    variant: 'string',
    imagePullPolicy: 'string',
    logging: { level: 'string' },
    logAsJson: 'boolean',
    imagePullSecrets: 'list',
    defaultResources: resources,
  },
  env: 'map',
};

const ztunnel: Tree = {
  ...COMMON,
  platform: 'string',
  affinity: 'map',
  ownerName: 'string',
  nodeSelector: 'map',
  trustBundleName: 'string',
  hub: 'string',
  tag: 'string',
  variant: 'string',
  image: 'string',
  global: { network: 'string', trustBundleName: 'string' },
  resourceName: 'string',
  labels: 'map',
  annotations: 'map',
  volumeMounts: 'list',
  volumes: 'list',
  tolerations: 'list',
  podAnnotations: 'map',
  podLabels: 'map',
  resources,
  resourceQuotas: { enabled: 'boolean', pods: 'integer' },
  imagePullSecrets: 'list',
  env: 'map',
  imagePullPolicy: 'string',
  multiCluster: { clusterName: 'string' },
  meshConfig: { defaultConfig: { proxyMetadata: 'map' } },
  terminationGracePeriodSeconds: 'integer',
  revision: 'string',
  caAddress: 'string',
  xdsAddress: 'string',
  istioNamespace: 'string',
  logLevel: 'string',
  logAsJson: 'boolean',
  seLinuxOptions: 'map',
  updateStrategy: { type: 'string', rollingUpdate: 'map' },
};

export const CHARTS: Record<ChartName, Tree> = { base, istiod, gateway, cni, ztunnel };

/**
 * Charts whose values.schema.json refuses unknown keys in 1.26 (helm install fails):
 * the gateway chart, at its top level only (additionalProperties: false there; the
 * nested objects such as service and autoscaling accept any key, which the templates
 * then ignore). The others have no schema in 1.26, so Helm drops an unknown key
 * without a word (the setting has no effect); newer Istio ships schemas for them too.
 */
export const STRICT: Record<ChartName, boolean> = {
  base: false,
  istiod: false,
  gateway: true,
  cni: false,
  ztunnel: false,
};

/** Keys Istio's charts once read and 1.26 does not: what to do instead. */
export const REMOVED: Partial<Record<ChartName, Record<string, string>>> = {
  istiod: {
    grafana: 'the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/grafana.yaml',
    kiali: 'the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/kiali.yaml',
    prometheus: 'the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/prometheus.yaml',
    tracing: 'the addons left the charts in Istio 1.8: kubectl apply -f samples/addons/jaeger.yaml',
    'istio_cni.enabled':
      'istio_cni is deprecated and has no enabled: set pilot.cni.enabled (and install the cni chart)',
  },
};

/** Where each chart goes and what it runs, for the summaries. */
export const CHART_WORKLOAD: Record<ChartName, string> = {
  base: 'Istio CRDs, the istio-reader ServiceAccount and (defaultRevision) the default validating webhook',
  istiod:
    'the istiod Deployment, its Service, the injector MutatingWebhookConfiguration and the istio ConfigMap',
  gateway:
    'a gateway Deployment (or DaemonSet) with its Service, injected by istiod with the gateway template',
  cni: 'the istio-cni-node DaemonSet (the node agent that sets up pod networking)',
  ztunnel: 'the ztunnel DaemonSet (ambient mode node proxy)',
};
