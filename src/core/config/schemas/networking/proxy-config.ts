// ProxyConfig (networking.istio.io v1beta1): per-workload settings of the proxy
// itself, read when the proxy starts. Scope: the root namespace is mesh-wide, a
// namespace without selector is that namespace, a selector picks workloads; a pod's
// proxy.istio.io/config annotation wins over all of them.
import { z } from 'zod';
import { int, workloadSelector } from '../common.ts';

export const proxyConfigSpec = z.strictObject({
  selector: workloadSelector.optional(),
  /** Envoy worker threads (0: one per core); a protobuf Int32Value */
  concurrency: int.optional(),
  environmentVariables: z.record(z.string(), z.string()).optional(),
  image: z.strictObject({ imageType: z.string().optional() }).optional(),
});
export type ProxyConfigSpec = z.infer<typeof proxyConfigSpec>;
