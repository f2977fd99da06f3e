// The built-in installation profiles of Istio 1.26, as IstioOperator specs.
// From 1.24 on a profile is two files in istio/istio: manifests/profiles/<p>.yaml
// (which components are enabled) and manifests/helm-profiles/<p>.yaml (the
// chart values it changes); each profile below is the two merged, over the
// charts' defaults (CHART_DEFAULTS). Newer Istio adds profiles (stable,
// openshift-ambient ...) that the trainer does not model.

export type Spec = Record<string, unknown>;

/** What the istiod, gateway, cni and ztunnel charts set when a profile says nothing. */
export const CHART_DEFAULTS: Spec = {
  hub: 'docker.io/istio',
  tag: '1.26.0',
  meshConfig: {
    // pkg/config/mesh DefaultMeshConfig, and the istiod chart's own meshConfig
    accessLogFile: '',
    accessLogEncoding: 'TEXT',
    enableTracing: true,
    enablePrometheusMerge: true,
    outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
    rootNamespace: 'istio-system',
    trustDomain: 'cluster.local',
    defaultConfig: { discoveryAddress: 'istiod.istio-system.svc:15012' },
  },
  values: {
    defaultRevision: '',
    global: {
      istioNamespace: 'istio-system',
      proxy: {
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
      },
    },
    pilot: {
      autoscaleEnabled: true,
      autoscaleMin: 1,
      autoscaleMax: 5,
      replicaCount: 1,
      traceSampling: 1.0,
      resources: { requests: { cpu: '500m', memory: '2048Mi' } },
    },
    cni: { resources: { requests: { cpu: '100m', memory: '100Mi' } } },
    ztunnel: { resources: { requests: { cpu: '200m', memory: '512Mi' } } },
    gateways: {
      'istio-ingressgateway': {
        autoscaleEnabled: true,
        autoscaleMin: 1,
        autoscaleMax: 5,
        type: 'LoadBalancer',
        ports: [
          { port: 15021, targetPort: 15021, name: 'status-port' },
          { port: 80, targetPort: 8080, name: 'http2' },
          { port: 443, targetPort: 8443, name: 'https' },
        ],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
      },
      'istio-egressgateway': {
        autoscaleEnabled: true,
        autoscaleMin: 1,
        autoscaleMax: 5,
        type: 'ClusterIP',
        ports: [
          { port: 80, targetPort: 8080, name: 'http2' },
          { port: 443, targetPort: 8443, name: 'https' },
        ],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } },
      },
    },
  },
};

const ingress = (enabled: boolean) => [{ name: 'istio-ingressgateway', enabled }];
const egress = (enabled: boolean) => [{ name: 'istio-egressgateway', enabled }];
const small = { requests: { cpu: '10m', memory: '40Mi' } };

export interface Profile {
  name: string;
  description: string;
  spec: Spec;
}

export const PROFILES: readonly Profile[] = [
  {
    name: 'ambient',
    description: 'ambient mode: istiod, the Istio CNI node agent and ztunnel; no gateways',
    spec: {
      meshConfig: { defaultConfig: { proxyMetadata: { ISTIO_META_ENABLE_HBONE: 'true' } } },
      components: {
        base: { enabled: true },
        pilot: { enabled: true },
        cni: { enabled: true },
        ztunnel: { enabled: true },
        ingressGateways: ingress(false),
        egressGateways: egress(false),
      },
      values: {
        profile: 'ambient',
        global: { variant: 'distroless' },
        pilot: { env: { PILOT_ENABLE_AMBIENT: 'true' } },
        cni: { ambient: { enabled: true } },
      },
    },
  },
  {
    name: 'default',
    description: 'production start: istiod and an ingress gateway',
    spec: {
      components: {
        base: { enabled: true },
        pilot: { enabled: true },
        cni: { enabled: false },
        ztunnel: { enabled: false },
        ingressGateways: ingress(true),
        egressGateways: egress(false),
      },
      values: { defaultRevision: '', global: { istioNamespace: 'istio-system', configValidation: true } },
    },
  },
  {
    name: 'demo',
    description: 'for trying Istio: istiod, ingress and egress gateways, access logs, small resources',
    spec: {
      meshConfig: { accessLogFile: '/dev/stdout' },
      components: {
        base: { enabled: true },
        pilot: { enabled: true },
        ingressGateways: ingress(true),
        egressGateways: egress(true),
      },
      values: {
        profile: 'demo',
        global: { proxy: { resources: small } },
        pilot: {
          autoscaleEnabled: false,
          traceSampling: 100,
          resources: { requests: { cpu: '10m', memory: '100Mi' } },
        },
        cni: { resources: small },
        ztunnel: { resources: small },
        gateways: {
          'istio-egressgateway': { autoscaleEnabled: false, resources: small },
          'istio-ingressgateway': {
            autoscaleEnabled: false,
            resources: small,
            ports: [
              { port: 15021, targetPort: 15021, name: 'status-port' },
              { port: 80, targetPort: 8080, name: 'http2' },
              { port: 443, targetPort: 8443, name: 'https' },
              { port: 31400, targetPort: 31400, name: 'tcp' },
              { port: 15443, targetPort: 15443, name: 'tls' },
            ],
          },
        },
      },
    },
  },
  {
    name: 'empty',
    description: 'nothing: a base to enable components one by one',
    spec: {
      components: {
        base: { enabled: false },
        pilot: { enabled: false },
        ingressGateways: ingress(false),
        egressGateways: egress(false),
      },
    },
  },
  {
    name: 'minimal',
    description: 'istiod only (the control plane, no gateways)',
    spec: {
      components: {
        base: { enabled: true },
        pilot: { enabled: true },
        ingressGateways: ingress(false),
        egressGateways: egress(false),
      },
    },
  },
  {
    name: 'preview',
    description: 'default plus experimental features (DNS capture in the proxy agent)',
    spec: {
      meshConfig: { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } } },
      components: {
        base: { enabled: true },
        pilot: { enabled: true },
        ingressGateways: ingress(true),
        egressGateways: egress(false),
      },
      values: { profile: 'preview' },
    },
  },
  {
    name: 'remote',
    description: 'a cluster whose control plane runs elsewhere: the injector and CRDs, no local istiod',
    spec: {
      components: {
        base: { enabled: true },
        pilot: { enabled: false },
        istiodRemote: { enabled: true },
        ingressGateways: ingress(false),
        egressGateways: egress(false),
      },
      // the chart's remote profile (helm-profiles/remote.yaml) also sets remoteIstiod and
      // configMap: chart-level values the istiod chart applies for values.profile=remote, not
      // fields of the Values proto istioctl 1.26 checks an IstioOperator's values against
      values: {
        profile: 'remote',
        telemetry: { enabled: false },
        global: { externalIstiod: true, omitSidecarInjectorConfigMap: true },
      },
    },
  },
];

export const PROFILE_NAMES: readonly string[] = PROFILES.map((p) => p.name);

export function profileNamed(name: string): Profile | undefined {
  return PROFILES.find((p) => p.name === name);
}
