// Diagnosis lab: the VirtualService for bookinfo.example.com is bound to the wrong
// Gateway (admin-gateway, which accepts only admin.example.com): 404 NR at the ingress
// gateway. The fix is checked by behaviour through the gateway: the site is served
// for its host, and neither the admin host nor any other gets its routes.
import { expectDiagnosis } from '../src/core/grading/checks-diagnosis.ts';
import {
  allOf,
  BOOKINFO_GATEWAY_PATHS,
  defineGrader,
  expectGatewayRoutes,
  expectGatewayStatus,
} from '../src/core/grading/index.ts';

export default defineGrader({
  diagnosis: (ctx) =>
    expectDiagnosis(ctx, {
      flag: 'NR',
      flagMeaning: 'NR: no route, the gateway has no route for that host (the routes are bound elsewhere)',
      causes: [{ kind: 'VirtualService', name: 'bookinfo', fields: ['gateways'] }],
    }),
  reachable: (ctx) =>
    expectGatewayRoutes(ctx, 'bookinfo.example.com:80', BOOKINFO_GATEWAY_PATHS, 'productpage'),
  'host-only': (ctx) =>
    allOf(
      expectGatewayStatus(ctx, 'admin.example.com:80', ['/productpage', '/api/v1/products'], 404),
      expectGatewayStatus(ctx, 'www.example.org:80', ['/productpage'], 404),
    ),
});
