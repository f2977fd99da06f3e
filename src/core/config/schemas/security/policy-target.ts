// What a security.istio.io policy applies to: a workload selector, or (for
// waypoints and gateways) targetRef/targetRefs naming a Kubernetes resource.
import { z } from 'zod';

export const policyTargetReference = z.strictObject({
  group: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
});
export type PolicyTargetReference = z.infer<typeof policyTargetReference>;
