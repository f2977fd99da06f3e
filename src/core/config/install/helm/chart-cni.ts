// Istio 1.26's cni chart (the istio-cni-node DaemonSet), pinned to sail-operator's vendored
// copy resources/v1.26.0/charts/cni/values.yaml (global.tag 1.26.0). Keys of the later chart
// (the stored values.schema.json: podLabels, tolerations, ambient.enablementSelectors,
// global.nativeNftables ...) are in LATER (charts.ts).
import { COMMON, resources, type Shape, type Tree } from './chart-shapes.ts';

const selector: Shape = 'map';
export const cni: Tree = {
  ...COMMON,
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
  chained: 'boolean',
  provider: 'string',
  ambient: {
    enabled: 'boolean',
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
  updateStrategy: { type: 'string', rollingUpdate: selector },
  revision: 'string',
  ownerName: 'string',
  global: {
    // read by the profile merge (zzz_profile.yaml)
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
