// Diagnosis lab: bookinfo-gateway selects `istio: ingress` (the Helm chart's label),
// which no gateway pod carries: its server reaches no proxy, so the ingress gateway
// (which runs admin-gateway) answers 404 NR for bookinfo.example.com. The fix is
// checked by behaviour through the gateway, the site on its own host only.
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
      flagMeaning: 'NR: no route, the gateway pod never got the Gateway whose server accepts that host',
      causes: [{ kind: 'Gateway', name: 'bookinfo-gateway', fields: ['selector'] }],
    }),
  reachable: (ctx) =>
    expectGatewayRoutes(ctx, 'bookinfo.example.com:80', BOOKINFO_GATEWAY_PATHS, 'productpage'),
  'host-only': (ctx) =>
    allOf(
      expectGatewayStatus(ctx, 'admin.example.com:80', ['/productpage', '/api/v1/products'], 404),
      expectGatewayStatus(ctx, 'www.example.org:80', ['/productpage'], 404),
    ),
});
