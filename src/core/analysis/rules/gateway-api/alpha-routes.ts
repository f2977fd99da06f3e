// TCPRoutes and TLSRoutes that istiod 1.26 ignores (ICA1306): they are v1alpha2
// (experimental) and istiod reads them only with PILOT_ENABLE_ALPHA_GATEWAY_API=true,
// which the inputs do not set (config/gateway-api-alpha.ts).
import { alphaGatewayApiEnabled } from '../../../config/gateway-api-alpha.ts';
import type { Rule } from '../../rule.ts';
import { asResource } from './as-resource.ts';

export const gatewayApiAlphaRoutes: Rule = {
  name: 'gateway-api.alpha-routes',
  description:
    'TCPRoutes and TLSRoutes that istiod 1.26 ignores by default (PILOT_ENABLE_ALPHA_GATEWAY_API is false unless the inputs set it).',
  reads: ['TCPRoute', 'TLSRoute', 'IstioOperator', 'Deployment'],
  perResource: true,
  codes: ['ICA1306'],
  run(ctx) {
    const s = ctx.snapshot;
    const routes = [...s.gatewayApiObjects('TCPRoute'), ...s.gatewayApiObjects('TLSRoute')];
    if (routes.length === 0 || alphaGatewayApiEnabled(s)) return;
    for (const r of routes) ctx.report('ICA1306', { kind: r.kind }, asResource(r), ['apiVersion']);
  },
};
