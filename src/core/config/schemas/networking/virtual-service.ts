// VirtualService spec (networking.istio.io v1/v1beta1/v1alpha3 share it).
import { z } from 'zod';
import {
  destination,
  duration,
  int,
  percent,
  portSelector,
  stringMap,
  stringMatch,
  uint,
} from '../common.ts';

const headerOperations = z.strictObject({
  set: stringMap.optional(),
  add: stringMap.optional(),
  remove: z.array(z.string()).optional(),
});
const headers = z.strictObject({
  request: headerOperations.optional(),
  response: headerOperations.optional(),
});

export const httpMatch = z.strictObject({
  name: z.string().optional(),
  uri: stringMatch.optional(),
  scheme: stringMatch.optional(),
  method: stringMatch.optional(),
  authority: stringMatch.optional(),
  headers: z.record(z.string(), stringMatch).optional(),
  port: uint.optional(),
  sourceLabels: stringMap.optional(),
  gateways: z.array(z.string()).optional(),
  queryParams: z.record(z.string(), stringMatch).optional(),
  ignoreUriCase: z.boolean().optional(),
  withoutHeaders: z.record(z.string(), stringMatch).optional(),
  sourceNamespace: z.string().optional(),
  statPrefix: z.string().optional(),
});
export type HttpMatch = z.infer<typeof httpMatch>;

export const httpRouteDestination = z.strictObject({
  destination: destination.optional(),
  weight: int.optional(),
  headers: headers.optional(),
});

export const httpRetry = z.strictObject({
  attempts: int.optional(),
  perTryTimeout: duration.optional(),
  retryOn: z.string().optional(),
  retryRemoteLocalities: z.boolean().optional(),
  retryIgnorePreviousHosts: z.boolean().optional(),
  backoff: duration.optional(),
});
export type HttpRetry = z.infer<typeof httpRetry>;

export const httpFault = z.strictObject({
  delay: z
    .strictObject({
      fixedDelay: duration.optional(),
      exponentialDelay: duration.optional(),
      percentage: percent.optional(),
      percent: int.optional(),
    })
    .optional(),
  abort: z
    .strictObject({
      httpStatus: int.optional(),
      grpcStatus: z.string().optional(),
      http2Error: z.string().optional(),
      percentage: percent.optional(),
    })
    .optional(),
});
export type HttpFault = z.infer<typeof httpFault>;

const httpMirror = z.strictObject({ destination: destination.optional(), percentage: percent.optional() });

export const httpRoute = z.strictObject({
  name: z.string().optional(),
  match: z.array(httpMatch).optional(),
  route: z.array(httpRouteDestination).optional(),
  redirect: z
    .strictObject({
      uri: z.string().optional(),
      authority: z.string().optional(),
      port: uint.optional(),
      derivePort: z.enum(['FROM_PROTOCOL_DEFAULT', 'FROM_REQUEST_PORT']).optional(),
      scheme: z.string().optional(),
      redirectCode: uint.optional(),
    })
    .optional(),
  directResponse: z
    .strictObject({
      status: uint.optional(),
      body: z.strictObject({ string: z.string().optional(), bytes: z.string().optional() }).optional(),
    })
    .optional(),
  delegate: z.strictObject({ name: z.string().optional(), namespace: z.string().optional() }).optional(),
  rewrite: z
    .strictObject({
      uri: z.string().optional(),
      authority: z.string().optional(),
      uriRegexRewrite: z
        .strictObject({ match: z.string().optional(), rewrite: z.string().optional() })
        .optional(),
    })
    .optional(),
  timeout: duration.optional(),
  retries: httpRetry.optional(),
  fault: httpFault.optional(),
  mirror: destination.optional(),
  mirrors: z.array(httpMirror).optional(),
  mirrorPercentage: percent.optional(),
  // Deprecated, still in Istio 1.26's CRD and honoured by pilot (after mirrorPercentage);
  // the webhook warns. `mirror_percent` is the proto's own field name, which the CRD also lists.
  mirrorPercent: uint.optional(),
  mirror_percent: uint.optional(),
  corsPolicy: z
    .strictObject({
      allowOrigins: z.array(stringMatch).optional(),
      allowOrigin: z.array(z.string()).optional(),
      allowMethods: z.array(z.string()).optional(),
      allowHeaders: z.array(z.string()).optional(),
      exposeHeaders: z.array(z.string()).optional(),
      maxAge: duration.optional(),
      allowCredentials: z.boolean().optional(),
      unmatchedPreflights: z.enum(['UNSPECIFIED', 'FORWARD', 'IGNORE']).optional(),
    })
    .optional(),
  headers: headers.optional(),
});
export type HttpRoute = z.infer<typeof httpRoute>;

/** The deprecated integer mirror percent as written (either spelling), if any. */
export function legacyMirrorPercent(
  r: HttpRoute,
): { field: 'mirrorPercent' | 'mirror_percent'; value: number } | undefined {
  if (r.mirrorPercent !== undefined) return { field: 'mirrorPercent', value: r.mirrorPercent };
  if (r.mirror_percent !== undefined) return { field: 'mirror_percent', value: r.mirror_percent };
  return undefined;
}

/**
 * The share of requests (0-100) that `mirror:` copies, as pilot computes it
 * (route.go MirrorPercent): mirrorPercentage first, then the deprecated integer
 * mirrorPercent / mirror_percent; an explicit 0 turns mirroring off; absent = 100.
 */
export function mirrorPercentOf(r: HttpRoute): number {
  if (r.mirrorPercentage) return r.mirrorPercentage.value ?? 0;
  return legacyMirrorPercent(r)?.value ?? 100;
}

const l4Match = {
  destinationSubnets: z.array(z.string()).optional(),
  port: uint.optional(),
  sourceLabels: stringMap.optional(),
  gateways: z.array(z.string()).optional(),
  sourceNamespace: z.string().optional(),
};
const routeDestination = z.strictObject({ destination: destination.optional(), weight: int.optional() });

export const tcpRoute = z.strictObject({
  match: z.array(z.strictObject({ ...l4Match, sourceSubnet: z.string().optional() })).optional(),
  route: z.array(routeDestination).optional(),
});
export const tlsRoute = z.strictObject({
  match: z.array(z.strictObject({ ...l4Match, sniHosts: z.array(z.string()).optional() })).optional(),
  route: z.array(routeDestination).optional(),
});
export type TlsRoute = z.infer<typeof tlsRoute>;
export type TcpRoute = z.infer<typeof tcpRoute>;

export const virtualServiceSpec = z.strictObject({
  hosts: z.array(z.string()).optional(),
  gateways: z.array(z.string()).optional(),
  http: z.array(httpRoute).optional(),
  tls: z.array(tlsRoute).optional(),
  tcp: z.array(tcpRoute).optional(),
  exportTo: z.array(z.string()).optional(),
});
export type VirtualServiceSpec = z.infer<typeof virtualServiceSpec>;

export { portSelector };
