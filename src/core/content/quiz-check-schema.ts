// The vocabulary of checks a "write the YAML" question uses to grade an answer:
// each check states one fact about the resulting mesh configuration, evaluated
// against the Snapshot by yaml-checks.ts (a tiny lab per question).
import { z } from 'zod';

/** Go duration ("5s", "500ms", "1m30s"), as Istio accepts them. */
export const DURATION_PATTERN = /^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/;
const duration = z.string().regex(DURATION_PATTERN, 'must be a duration such as "5s" or "500ms"');

export const requestSchema = z
  .strictObject({
    uri: z.string().optional().describe('request path (default "/")'),
    method: z.string().optional().describe('HTTP method (default GET)'),
    headers: z
      .record(z.string(), z.string())
      .optional()
      .describe('request headers; names are matched in lower case'),
    query: z.record(z.string(), z.string()).optional().describe('query parameters'),
    authority: z.string().optional().describe('Host/authority header (default: the checked host)'),
  })
  .describe('the request whose routing is checked (first matching HTTP rule wins)');
export type RequestSpec = z.infer<typeof requestSchema>;

const target = {
  host: z
    .string()
    .min(1)
    .describe(
      'the host the request is sent to: a short service name (namespace default), an FQDN, or an external host',
    ),
  gateway: z
    .string()
    .optional()
    .describe(
      '"mesh" (default): routing in the sidecars; "ingress": through any Gateway that serves the host; or a Gateway as "ns/name"',
    ),
  request: requestSchema.optional(),
};

const expectedDestination = z.strictObject({
  host: z.string().optional().describe('destination service (default: the checked host)'),
  subset: z
    .string()
    .optional()
    .describe('subset name; omitted: the destination names no subset; "*": any subset or none'),
  port: z.number().int().optional().describe('destination port number, when the route must name one'),
  weight: z
    .number()
    .min(0)
    .max(100)
    .describe('expected share of the traffic in percent, after normalization'),
});

export const routesToCheck = z
  .strictObject({
    check: z.literal('routes-to'),
    ...target,
    destinations: z.array(expectedDestination).min(1),
  })
  .describe(
    'the first HTTP rule matching the request sends traffic to exactly these destinations, in these shares; subsets must be defined and select pods',
  );

const delay = z.strictObject({
  fixedDelay: duration,
  percent: z.number().min(0).max(100).describe('share of requests delayed'),
});
const abort = z.strictObject({
  httpStatus: z.number().int(),
  percent: z.number().min(0).max(100).describe('share of requests aborted'),
});

export const faultCheck = z
  .strictObject({
    check: z.literal('fault'),
    ...target,
    delay: z.union([z.literal('none'), delay]).optional(),
    abort: z.union([z.literal('none'), abort]).optional(),
  })
  .describe('the fault injected on the rule matching the request ("none": no such fault fires)');

export const timeoutCheck = z
  .strictObject({
    check: z.literal('timeout'),
    ...target,
    equals: z.union([z.literal('none'), duration]).optional(),
    atLeast: duration.optional(),
  })
  .describe('the route timeout of the rule matching the request');

export const retriesCheck = z
  .strictObject({
    check: z.literal('retries'),
    ...target,
    attempts: z.number().int().min(0).optional(),
    perTryTimeout: duration.optional(),
    retryOn: z.array(z.string()).optional().describe('conditions that retryOn must contain'),
  })
  .describe('the retry policy of the rule matching the request');

export const mirrorCheck = z
  .strictObject({
    check: z.literal('mirror'),
    ...target,
    to: z.union([z.literal('none'), z.strictObject({ host: z.string(), subset: z.string().optional() })]),
    percent: z.number().min(0).max(100).optional().describe('expected mirrored share (absent = 100)'),
  })
  .describe('the mirror target of the rule matching the request');

export const subsetsCheck = z
  .strictObject({
    check: z.literal('subsets'),
    host: z.string().min(1),
    subsets: z
      .record(z.string(), z.record(z.string(), z.string()))
      .describe('subset name -> labels it must select (each must match at least one pod)'),
  })
  .describe('a DestinationRule for the host defines these subsets');

export const policyCheck = z
  .strictObject({
    check: z.literal('policy'),
    host: z.string().min(1),
    subset: z
      .string()
      .optional()
      .describe('check the policy this subset gets (its own overrides the top level)'),
    expect: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .describe('dotted path in trafficPolicy -> value, e.g. "outlierDetection.consecutive5xxErrors": 3'),
  })
  .describe('the traffic policy a DestinationRule applies to the host');

export const gatewayServerCheck = z
  .strictObject({
    check: z.literal('gateway-server'),
    host: z.string().min(1),
    port: z.number().int(),
    protocol: z.string().optional(),
    tlsMode: z.string().optional(),
    credentialName: z.string().optional(),
    selector: z
      .record(z.string(), z.string())
      .optional()
      .describe('labels the Gateway selector must contain (default istio: ingressgateway)'),
  })
  .describe('a Gateway has a server for the host on this port');

export const serviceEntryCheck = z
  .strictObject({
    check: z.literal('service-entry'),
    host: z.string().min(1),
    port: z.number().int().optional(),
    protocol: z.string().optional(),
    location: z.enum(['MESH_EXTERNAL', 'MESH_INTERNAL']).optional(),
    resolution: z.enum(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN']).optional(),
  })
  .describe('a ServiceEntry registers the host');

export const outboundModeCheck = z
  .strictObject({
    check: z.literal('outbound-mode'),
    mode: z.enum(['ALLOW_ANY', 'REGISTRY_ONLY']),
  })
  .describe("the mesh's outboundTrafficPolicy mode");

export const yamlCheckSchema = z.discriminatedUnion('check', [
  routesToCheck,
  faultCheck,
  timeoutCheck,
  retriesCheck,
  mirrorCheck,
  subsetsCheck,
  policyCheck,
  gatewayServerCheck,
  serviceEntryCheck,
  outboundModeCheck,
]);
export type YamlCheck = z.infer<typeof yamlCheckSchema>;
export type RoutesToCheck = z.infer<typeof routesToCheck>;
export type FaultCheck = z.infer<typeof faultCheck>;
export type TimeoutCheck = z.infer<typeof timeoutCheck>;
export type RetriesCheck = z.infer<typeof retriesCheck>;
export type MirrorCheck = z.infer<typeof mirrorCheck>;
export type SubsetsCheck = z.infer<typeof subsetsCheck>;
export type PolicyCheck = z.infer<typeof policyCheck>;
export type GatewayServerCheck = z.infer<typeof gatewayServerCheck>;
export type ServiceEntryCheck = z.infer<typeof serviceEntryCheck>;
export type OutboundModeCheck = z.infer<typeof outboundModeCheck>;
