// Gateway API routes istiod 1.26 does not program (ICA1307): a GRPCRoute with a
// filter it does not translate (InvalidFilter: the whole route yields nothing).
import { grpcRouteInvalid } from '../../../config/grpc-route.ts';
import type { Rule } from '../../rule.ts';
import { asResource } from './as-resource.ts';

export const gatewayApiRouteSupport: Rule = {
  name: 'gateway-api.route-support',
  description:
    'Gateway API routes istiod 1.26 makes no configuration of: a GRPCRoute with a filter it does not support.',
  reads: ['GRPCRoute'],
  perResource: true,
  codes: ['ICA1307'],
  run(ctx) {
    for (const route of ctx.snapshot.gatewayApiObjects('GRPCRoute')) {
      const detail = grpcRouteInvalid(route);
      if (detail) ctx.report('ICA1307', { kind: 'GRPCRoute', detail }, asResource(route), ['spec', 'rules']);
    }
  },
};
