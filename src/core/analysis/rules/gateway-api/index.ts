// The Gateway API group's rules: the kinds beside HTTPRoute (GRPCRoute, TCPRoute,
// TLSRoute, ReferenceGrant) and what istiod does with references across namespaces.
// A new rule of this group is a new file beside these, listed here.
import type { Rule } from '../../rule.ts';
import { gatewayApiAlphaRoutes } from './alpha-routes.ts';
import { gatewayApiReferences } from './references.ts';
import { gatewayApiRouteSupport } from './route-support.ts';
import { gatewayApiSchema } from './schema.ts';

export const GATEWAY_API_RULES: readonly Rule[] = [
  gatewayApiAlphaRoutes,
  gatewayApiReferences,
  gatewayApiRouteSupport,
  gatewayApiSchema,
];
