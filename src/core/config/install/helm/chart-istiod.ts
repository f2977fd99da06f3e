// Istio 1.26's istiod chart (istio-control/istio-discovery), pinned to the chart's own
// values.yaml at 1.26: sail-operator's vendored copy resources/v1.26.0/charts/istiod/values.yaml
// (global.tag 1.26.0) and a `helm show values istio/istiod` transcript of 1.26.2
// (OriolFilter/Istio_Examples, .../02_Helm/01_Default_Profile/README.md) hold the same keys.
//
// Since 1.24 the chart keeps istiod's own settings at the top level (its defaults are
// `replicaCount`, `autoscaleEnabled` ... beside `global`, and its templates read
// .Values.serviceAnnotations, .Values.ipFamilyPolicy), and it still reads them under `pilot:`:
// istioctl passes spec.values.pilot to this very chart (operator/pkg/component: Pilot has no
// FlattenValues), the chart's compatibility profiles set pilot.env, and the later
// values.schema.json accepts both. So both spellings are values of the chart.
import { COMMON, resources, type Tree } from './chart-shapes.ts';

/** istiod's own settings: at the top of the chart's values, or under pilot. */
export const PILOT: Tree = {
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
  envVarFrom: 'list',
  taint: { enabled: 'boolean', namespace: 'string' },
  affinity: 'map',
  tolerations: 'list',
  cpu: { targetAverageUtilization: 'integer' },
  memory: 'map',
  volumeMounts: 'list',
  volumes: 'list',
  initContainers: 'list',
  nodeSelector: 'map',
  podAnnotations: 'map',
  serviceAnnotations: 'map',
  serviceAccountAnnotations: 'map',
  sidecarInjectorWebhookAnnotations: 'map',
  topologySpreadConstraints: 'list',
  jwksResolverExtraRootCA: 'string',
  keepaliveMaxServerConnectionAge: 'string',
  deploymentLabels: 'map',
  configMap: 'boolean',
  podLabels: 'map',
  ipFamilyPolicy: 'string',
  ipFamilies: 'list',
  trustedZtunnelNamespace: 'string',
  trustedZtunnelName: 'string',
};

const proxy: Tree = {
  image: 'string',
  autoInject: 'string',
  clusterDomain: 'string',
  componentLogLevel: 'string',
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

const global: Tree = {
  // read by the chart's profile merge (zzz_profile.yaml), as the top-level platform
  platform: 'string',
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
  // a commented example in values.yaml, read by the injection template
  podDNSSearchNamespaces: 'list',
  priorityClassName: 'string',
  proxy,
  proxy_init: { image: 'string', forceApplyIptables: 'boolean' },
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
  waypoint: {
    resources,
    affinity: 'map',
    topologySpreadConstraints: 'list',
    nodeSelector: 'map',
    tolerations: 'list',
  },
};

export const istiod: Tree = {
  ...COMMON,
  ...PILOT,
  pilot: PILOT,
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
  istiodRemote: {
    enabled: 'boolean',
    injectionURL: 'string',
    injectionPath: 'string',
    injectionCABundle: 'string',
  },
  telemetry: {
    enabled: 'boolean',
    v2: { enabled: 'boolean', prometheus: { enabled: 'boolean' }, stackdriver: { enabled: 'boolean' } },
  },
  revision: 'string',
  revisionTags: 'list',
  ownerName: 'string',
  meshConfig: 'mesh',
  experimental: { stableValidationPolicy: 'boolean' },
  global,
  base: { enableIstioConfigCRDs: 'boolean' },
  gateways: { securityContext: 'map', seccompProfile: 'map' },
  // per-GatewayClass defaults for the Deployments istiod makes for Gateway API Gateways
  gatewayClasses: 'map',
};

/**
 * The same values as istioctl's IstioOperator spec.values holds them (its Values proto):
 * istiod's settings under pilot only; a top-level replicaCount is not a field there.
 */
export const istiodAsIstioctl: Tree = Object.fromEntries(
  Object.entries(istiod).filter(([k]) => !(k in PILOT)),
);
