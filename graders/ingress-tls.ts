// Ingress TLS: the HTTPS server (port 443 or its target 8443, tls mode SIMPLE,
// credentialName bookinfo-credential) is checked structurally; the routes by behaviour:
// HTTPS requests (a TLS connection, SNI bookinfo.example.com) through the ingress gateway
// reach productpage. Graded live, a bookinfo-credential the cluster does not have (or
// an unusable one) fails them, as the gateway would have no certificate to present;
// offline the Secret is not among the files and is assumed valid.
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
  routes: (ctx) => expectGatewayRoutes(ctx, `https://${HOST}`, BOOKINFO_GATEWAY_PATHS, 'productpage'),
});
