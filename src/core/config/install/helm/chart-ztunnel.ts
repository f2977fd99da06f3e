// Istio 1.26's ztunnel chart (the ambient node proxy DaemonSet), pinned to sail-operator's
// vendored copy resources/v1.26.0/charts/ztunnel/values.yaml (tag 1.26.0). The chart has no
// `global` block: its profile merge flattens global.* onto the top level, so global.hub is
// hub. Keys of later ztunnel charts (network, nodeSelector, tolerations ...) are in LATER.
import { COMMON, resources, type Tree } from './chart-shapes.ts';

const own: Tree = {
  hub: 'string',
  tag: 'string',
  variant: 'string',
  image: 'string',
  resourceName: 'string',
  labels: 'map',
  annotations: 'map',
  volumeMounts: 'list',
  volumes: 'list',
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

export const ztunnel: Tree = {
  ...COMMON,
  ...own,
  global: { ...own, platform: 'string' },
};
