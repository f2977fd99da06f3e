// RequestAuthentication (security.istio.io v1/v1beta1): which JWTs a workload
// accepts (issuer, keys, audiences, where the token is read from). An invalid
// token is rejected; a missing one is let through without a request principal.
import { z } from 'zod';
import { duration, workloadSelector } from '../common.ts';
import { policyTargetReference } from './policy-target.ts';

export const jwtRule = z.strictObject({
  issuer: z.string().optional(),
  audiences: z.array(z.string()).optional(),
  jwksUri: z.string().optional(),
  jwks: z.string().optional(),
  fromHeaders: z
    .array(z.strictObject({ name: z.string().optional(), prefix: z.string().optional() }))
    .optional(),
  fromParams: z.array(z.string()).optional(),
  fromCookies: z.array(z.string()).optional(),
  outputPayloadToHeader: z.string().optional(),
  forwardOriginalToken: z.boolean().optional(),
  outputClaimToHeaders: z
    .array(z.strictObject({ header: z.string().optional(), claim: z.string().optional() }))
    .optional(),
  timeout: duration.optional(),
});
export type JwtRule = z.infer<typeof jwtRule>;

export const requestAuthenticationSpec = z.strictObject({
  selector: workloadSelector.optional(),
  targetRef: policyTargetReference.optional(),
  targetRefs: z.array(policyTargetReference).optional(),
  jwtRules: z.array(jwtRule).optional(),
});
export type RequestAuthenticationSpec = z.infer<typeof requestAuthenticationSpec>;
