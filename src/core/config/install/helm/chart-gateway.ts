// Istio 1.26's gateway chart (a gateway Deployment and its Service), pinned to a
// `helm show values istio/gateway` transcript of 1.26.2 (OriolFilter/Istio_Examples,
// .../02_Helm/01_Default_Profile/README.md), plus the keys its values.schema.json declares
// that the templates read (profile, revision, platform, global, pilot). The schema closes
// the top level only: service, autoscaling, resources ... accept any nested key.
//
// Keys the 1.26.2 values do not hold but one stored copy of the chart's schema declares
// (istio/istio e7bf9af: initContainers, additionalContainers, envVarFrom, defaultRevision;
// 0044e906: lifecycle) are accepted with a warning (UNSURE in charts.ts): the copies
// disagree and cannot be dated to a 1.26 patch, and a correct 1.26 file must not fail.
import { ANY_KEY, COMMON, type Tree } from './chart-shapes.ts';

// the schema types cpu and memory as strings (cpu: 2 is refused) and leaves the rest open:
// the templates render resources and podDisruptionBudget whole
const quantities: Tree = { cpu: 'string', memory: 'string', [ANY_KEY]: 'any' };
const resources: Tree = { requests: quantities, limits: quantities, [ANY_KEY]: 'any' };

export const gateway: Tree = {
  ...COMMON,
  global: 'map',
  pilot: 'map',
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
    // `{}` by default in 1.26.2 (unset), a percentage when set
    targetMemoryUtilizationPercentage: 'any',
    autoscaleBehavior: 'map',
  },
  podDisruptionBudget: {
    minAvailable: 'int-or-string',
    maxUnavailable: 'int-or-string',
    unhealthyPodEvictionPolicy: 'string',
    [ANY_KEY]: 'any',
  },
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
  // accepted with a warning, see above
  lifecycle: { postStart: 'map', preStop: 'map' },
  initContainers: 'list',
  additionalContainers: 'list',
  envVarFrom: 'list',
  defaultRevision: 'string',
};
