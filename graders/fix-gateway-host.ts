// Gateway host and VirtualService host differ (404 NR at the ingress gateway). Fixed when,
// by behaviour through the ingress gateway, bookinfo.example.com serves the Bookinfo paths
// and other hosts still get 404.
import {
  allOf,
  BOOKINFO_GATEWAY_PATHS,
  defineGrader,
  expectGatewayRoutes,
  expectGatewayStatus,
} from '../src/core/grading/index.ts';

export default defineGrader({
  reachable: (ctx) =>
    expectGatewayRoutes(ctx, 'bookinfo.example.com:80', BOOKINFO_GATEWAY_PATHS, 'productpage'),
  'host-only': (ctx) =>
    allOf(
      expectGatewayStatus(ctx, 'www.example.org:80', ['/productpage'], 404),
      expectGatewayStatus(ctx, 'shop.example.net:80', ['/productpage', '/api/v1/products'], 404),
    ),
});
