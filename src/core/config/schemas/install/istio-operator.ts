// IstioOperator (install.istio.io/v1alpha1) as istioctl 1.26 decodes it
// (operator/pkg/apis/types.go with DisallowUnknownFields): the top level,
// components and their k8s settings are strict, so a typo gets "did you mean".
// Kubernetes objects inside k8s (affinity, env, service, probes ...) and the Helm
// `values` pass-through are checked only where the trainer reads them.
import { z } from 'zod';
import { meshConfigSchema } from './mesh-config.ts';

const anyMap = z.record(z.string(), z.unknown());
const stringMap = z.record(z.string(), z.string());
/** `tag: 1.26` or `tag: "1.26.0"`: istioctl accepts any scalar (types.go: Tag any). */
const tag = z.union([z.string(), z.number()]);

/** istioctl's validateRevision: a revision names objects (istiod-<rev>), so it is a DNS-1123 label. */
const revision = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    'must be a DNS-1123 label (lower-case letters, digits and "-", such as 1-26-0), or istioctl refuses it: invalid revision specified',
  );

const resourceList = z.record(z.string(), z.union([z.string(), z.number()]));
export const resourceRequirements = z.strictObject({
  requests: resourceList.optional(),
  limits: resourceList.optional(),
  claims: z.array(z.unknown()).optional(),
});

export const servicePort = z.looseObject({
  name: z.string().optional(),
  port: z.number().int(),
  targetPort: z.union([z.number().int(), z.string()]).optional(),
  protocol: z.string().optional(),
  nodePort: z.number().int().optional(),
});

const serviceSpec = z.looseObject({
  type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).optional(),
  ports: z.array(servicePort).optional(),
});

const hpaSpec = z.looseObject({
  minReplicas: z.number().int().optional(),
  maxReplicas: z.number().int().optional(),
});

/** KubernetesResources: a common set of Kubernetes settings for a component. */
export const kubernetesResources = z.strictObject({
  affinity: anyMap.optional(),
  env: z.array(anyMap).optional(),
  hpaSpec: hpaSpec.optional(),
  imagePullPolicy: z.string().optional(),
  nodeSelector: stringMap.optional(),
  podDisruptionBudget: anyMap.optional(),
  podAnnotations: stringMap.optional(),
  priorityClassName: z.string().optional(),
  readinessProbe: anyMap.optional(),
  replicaCount: z.number().int().nonnegative().optional(),
  resources: resourceRequirements.optional(),
  service: serviceSpec.optional(),
  strategy: anyMap.optional(),
  tolerations: z.array(anyMap).optional(),
  serviceAnnotations: stringMap.optional(),
  securityContext: anyMap.optional(),
  volumes: z.array(anyMap).optional(),
  volumeMounts: z.array(anyMap).optional(),
  overlays: z.array(anyMap).optional(),
});

const baseComponent = z.strictObject({
  enabled: z.boolean().optional(),
  k8s: kubernetesResources.optional(),
});

const component = z.strictObject({
  enabled: z.boolean().optional(),
  namespace: z.string().optional(),
  hub: z.string().optional(),
  tag: tag.optional(),
  k8s: kubernetesResources.optional(),
});

export const gatewayComponent = z.strictObject({
  name: z.string().optional(),
  label: stringMap.optional(),
  enabled: z.boolean().optional(),
  namespace: z.string().optional(),
  hub: z.string().optional(),
  tag: tag.optional(),
  k8s: kubernetesResources.optional(),
});

const components = z.strictObject({
  base: baseComponent.optional(),
  pilot: component.optional(),
  cni: component.optional(),
  ztunnel: component.optional(),
  istiodRemote: component.optional(),
  // `ingressGateways:` with nothing under it (Istio's own minimal profile) is null
  ingressGateways: z.array(gatewayComponent).nullable().optional(),
  egressGateways: z.array(gatewayComponent).nullable().optional(),
  gateway: component.optional(),
});

export const istioOperatorSpec = z.strictObject({
  profile: z.string().optional(),
  installPackagePath: z.string().optional(),
  hub: z.string().optional(),
  tag: tag.optional(),
  namespace: z.string().optional(),
  revision: revision.optional(),
  compatibilityVersion: z.string().optional(),
  meshConfig: meshConfigSchema.optional(),
  components: components.optional(),
  values: anyMap.optional(),
  unvalidatedValues: z.unknown().optional(),
});
export type IstioOperatorSpec = z.infer<typeof istioOperatorSpec>;
export type GatewayComponent = z.infer<typeof gatewayComponent>;
export type KubernetesResources = z.infer<typeof kubernetesResources>;
