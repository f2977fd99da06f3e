// The gateway.networking.k8s.io kinds beside HTTPRoute that the trainer reads, as
// Gateway API 1.3's CRDs (the version Istio 1.26 ships with) define their specs:
// GRPCRoute v1, TCPRoute and TLSRoute v1alpha2, ReferenceGrant v1beta1. Strict
// objects, so an unknown field is reported with the closest known name, as the API
// server's strict field validation refuses it.
import { z } from 'zod';
import { uint } from '../common.ts';

const name = z.string();
const parentRef = z.strictObject({
  group: z.string().optional(),
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name,
  sectionName: z.string().optional(),
  port: uint.optional(),
});
const objectRef = {
  group: z.string().optional(),
  kind: z.string().optional(),
  name,
  namespace: z.string().optional(),
  port: uint.optional(),
};
const backendRef = z.strictObject({ ...objectRef, weight: uint.optional() });
const header = z.strictObject({ name, value: z.string() });
const headerFilter = z.strictObject({
  set: z.array(header).optional(),
  add: z.array(header).optional(),
  remove: z.array(z.string()).optional(),
});
const mirrorFilter = z.strictObject({
  backendRef: z.strictObject(objectRef),
  percent: uint.optional(),
  fraction: z.strictObject({ numerator: uint, denominator: uint.optional() }).optional(),
});
const extensionRef = z.strictObject({ group: z.string(), kind: z.string(), name });
const grpcFilter = z.strictObject({
  type: z.enum(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'ExtensionRef']),
  requestHeaderModifier: headerFilter.optional(),
  responseHeaderModifier: headerFilter.optional(),
  requestMirror: mirrorFilter.optional(),
  extensionRef: extensionRef.optional(),
});
const matchType = z.enum(['Exact', 'RegularExpression']);
const grpcMatch = z.strictObject({
  method: z
    .strictObject({
      type: matchType.optional(),
      service: z.string().optional(),
      method: z.string().optional(),
    })
    .optional(),
  headers: z.array(z.strictObject({ type: matchType.optional(), name, value: z.string() })).optional(),
});
const sessionPersistence = z.record(z.string(), z.unknown());

export const grpcRouteSpec = z.strictObject({
  parentRefs: z.array(parentRef).optional(),
  hostnames: z.array(z.string()).optional(),
  rules: z
    .array(
      z.strictObject({
        name: z.string().optional(),
        matches: z.array(grpcMatch).optional(),
        filters: z.array(grpcFilter).optional(),
        backendRefs: z.array(backendRef.extend({ filters: z.array(grpcFilter).optional() })).optional(),
        sessionPersistence: sessionPersistence.optional(),
      }),
    )
    .optional(),
});

const l4Rule = z.strictObject({ name: z.string().optional(), backendRefs: z.array(backendRef) });

export const tcpRouteSpec = z.strictObject({
  parentRefs: z.array(parentRef).optional(),
  rules: z.array(l4Rule),
});

export const tlsRouteSpec = z.strictObject({
  parentRefs: z.array(parentRef).optional(),
  hostnames: z.array(z.string()).optional(),
  rules: z.array(l4Rule),
});

export const referenceGrantSpec = z.strictObject({
  from: z.array(z.strictObject({ group: z.string(), kind: z.string(), namespace: z.string() })),
  to: z.array(z.strictObject({ group: z.string(), kind: z.string(), name: z.string().optional() })),
});

export const GATEWAY_API_SCHEMAS = {
  GRPCRoute: grpcRouteSpec,
  TCPRoute: tcpRouteSpec,
  TLSRoute: tlsRouteSpec,
  ReferenceGrant: referenceGrantSpec,
} satisfies Record<string, z.ZodType>;
