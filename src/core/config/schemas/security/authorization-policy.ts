// AuthorizationPolicy (security.istio.io v1/v1beta1): CUSTOM, DENY, ALLOW and
// AUDIT rules on a workload's inbound requests, from sources (identities,
// namespaces, IPs, JWT principals), to operations (hosts, ports, methods,
// paths) and when conditions.
import { z } from 'zod';
import { workloadSelector } from '../common.ts';
import { policyTargetReference } from './policy-target.ts';

export const AUTHZ_ACTIONS = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'] as const;
export type AuthzAction = (typeof AUTHZ_ACTIONS)[number];

const strings = z.array(z.string()).optional();

export const authzSource = z.strictObject({
  principals: strings,
  notPrincipals: strings,
  requestPrincipals: strings,
  notRequestPrincipals: strings,
  namespaces: strings,
  notNamespaces: strings,
  serviceAccounts: strings,
  notServiceAccounts: strings,
  ipBlocks: strings,
  notIpBlocks: strings,
  remoteIpBlocks: strings,
  notRemoteIpBlocks: strings,
});
export type AuthzSource = z.infer<typeof authzSource>;

export const authzOperation = z.strictObject({
  hosts: strings,
  notHosts: strings,
  ports: strings,
  notPorts: strings,
  methods: strings,
  notMethods: strings,
  paths: strings,
  notPaths: strings,
});
export type AuthzOperation = z.infer<typeof authzOperation>;

export const authzCondition = z.strictObject({
  key: z.string().optional(),
  values: strings,
  notValues: strings,
});
export type AuthzCondition = z.infer<typeof authzCondition>;

export const authzRule = z.strictObject({
  from: z.array(z.strictObject({ source: authzSource.optional() })).optional(),
  to: z.array(z.strictObject({ operation: authzOperation.optional() })).optional(),
  when: z.array(authzCondition).optional(),
});
export type AuthzRule = z.infer<typeof authzRule>;

export const authorizationPolicySpec = z.strictObject({
  selector: workloadSelector.optional(),
  targetRef: policyTargetReference.optional(),
  targetRefs: z.array(policyTargetReference).optional(),
  rules: z.array(authzRule).optional(),
  action: z.enum(AUTHZ_ACTIONS).optional(),
  provider: z.strictObject({ name: z.string().optional() }).optional(),
});
export type AuthorizationPolicySpec = z.infer<typeof authorizationPolicySpec>;
