// Ingress over HTTP: a Gateway on the ingress gateway pods (structural: selector, port
// 8080 or the Service port 80 that maps to it, protocol, host) and, by behaviour,
// requests through the ingress gateway for bookinfo.example.com: the sample's paths
// reach productpage, other paths get 404.
import {
  BOOKINFO_GATEWAY_PATHS,
  BOOKINFO_HIDDEN_PATHS,
  defineGrader,
  expectGatewayRoutes,
  expectGatewayServer,
  expectGatewayStatus,
} from '../src/core/grading/index.ts';

const HOST = 'bookinfo.example.com';

export default defineGrader({
  gateway: (ctx) =>
    expectGatewayServer(ctx, {
      workload: 'istio-ingressgateway',
      host: HOST,
      clientPort: 80,
      protocols: ['HTTP'],
    }),
  routes: (ctx) => expectGatewayRoutes(ctx, `${HOST}:80`, BOOKINFO_GATEWAY_PATHS, 'productpage'),
  others: (ctx) => expectGatewayStatus(ctx, `${HOST}:80`, BOOKINFO_HIDDEN_PATHS, 404),
});
