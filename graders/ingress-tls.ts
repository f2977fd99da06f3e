// Ingress TLS: the HTTPS server (port 443 or its target 8443, tls mode SIMPLE,
// credentialName bookinfo-credential) is checked structurally, as the simulator does
// not tell certificates apart; the routes by behaviour: requests through the ingress gateway on port
// 443 for bookinfo.example.com reach productpage.
import {
  BOOKINFO_GATEWAY_PATHS,
  defineGrader,
  expectGatewayRoutes,
  expectGatewayServer,
} from '../src/core/grading/index.ts';

const HOST = 'bookinfo.example.com';

export default defineGrader({
  https: (ctx) =>
    expectGatewayServer(ctx, {
      workload: 'istio-ingressgateway',
      host: HOST,
      clientPort: 443,
      protocols: ['HTTPS'],
      tls: { mode: 'SIMPLE', credentialName: 'bookinfo-credential' },
    }),
  routes: (ctx) => expectGatewayRoutes(ctx, `${HOST}:443`, BOOKINFO_GATEWAY_PATHS, 'productpage'),
});
