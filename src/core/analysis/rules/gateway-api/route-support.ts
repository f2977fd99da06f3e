// Gateway API routes istiod 1.26 does not program as written: a route with a filter it
// does not translate (InvalidFilter: the whole route yields nothing, ICA1307), and a
// CORS filter origin with a wildcard, which 1.26 matches literally (ICA1308).
import { asList, asRecord } from '../../../config/gateway-api-route.ts';
import { grpcRouteInvalid } from '../../../config/grpc-route.ts';
import { httpRouteInvalid } from '../../../config/http-route-filters.ts';
import type { Rule } from '../../rule.ts';
import { asResource } from './as-resource.ts';

export const gatewayApiRouteSupport: Rule = {
  name: 'gateway-api.route-support',
  description:
    'Gateway API routes istiod 1.26 does not program as written: a filter it does not translate, a CORS origin with a wildcard.',
  reads: ['GRPCRoute', 'HTTPRoute'],
  perResource: true,
  codes: ['ICA1307', 'ICA1308'],
  run(ctx) {
    for (const route of ctx.snapshot.gatewayApiObjects('GRPCRoute')) {
      const detail = grpcRouteInvalid(route);
      if (detail) ctx.report('ICA1307', { kind: 'GRPCRoute', detail }, asResource(route), ['spec', 'rules']);
    }
    for (const route of ctx.snapshot.httpRoutes()) {
      const rules = asRecord(route.raw.spec).rules;
      const detail = httpRouteInvalid(rules);
      if (detail) ctx.report('ICA1307', { kind: 'HTTPRoute', detail }, asResource(route), ['spec', 'rules']);
      asList(rules).forEach((rule, i) => {
        asList(rule.filters).forEach((f, k) => {
          if (f.type !== 'CORS') return;
          const origins = asRecord(f.cors).allowOrigins;
          (Array.isArray(origins) ? origins : []).forEach((o, j) => {
            if (typeof o === 'string' && o.includes('*'))
              ctx.report('ICA1308', { origin: o }, asResource(route), [
                'spec',
                'rules',
                i,
                'filters',
                k,
                'cors',
                'allowOrigins',
                j,
              ]);
          });
        });
      });
    }
  },
};
