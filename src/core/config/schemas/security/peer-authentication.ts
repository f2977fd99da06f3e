// PeerAuthentication (security.istio.io v1/v1beta1): what mTLS a workload's
// sidecar accepts, for the whole mesh (root namespace, no selector), a
// namespace or selected workloads, optionally per target port.
import { z } from 'zod';
import { workloadSelector } from '../common.ts';

export const MTLS_MODES = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'] as const;
export type MtlsMode = (typeof MTLS_MODES)[number];

const mutualTls = z.strictObject({ mode: z.enum(MTLS_MODES).optional() });

export const peerAuthenticationSpec = z.strictObject({
  selector: workloadSelector.optional(),
  mtls: mutualTls.optional(),
  /** keys are target ports (the container port, not the Service port) */
  portLevelMtls: z.record(z.string(), mutualTls).optional(),
});
export type PeerAuthenticationSpec = z.infer<typeof peerAuthenticationSpec>;
