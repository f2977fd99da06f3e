// Ingress TLS, SIMPLE for the site and MUTUAL for partners: checked by what a client
// outside the mesh gets through the ingress gateway (200 over HTTPS, the handshake
// failing without a client certificate, 301 on plain HTTP) and, for the certificate
// names the simulator cannot tell apart, by the servers' tls settings.
import {
  allOf,
  defineGrader,
  expectCalls,
  expectGatewayServer,
  expectGatewayStatus,
} from '../src/core/grading/index.ts';

const SITE = 'https://bookinfo.example.com/productpage';
const PARTNER = 'https://partner.example.com/api/v1/products/0';

export default defineGrader({
  'site-https': (ctx) =>
    allOf(
      expectCalls(ctx, [{ from: 'ingress', to: SITE, want: 200 }]),
      expectGatewayServer(ctx, {
        workload: 'istio-ingressgateway',
        host: 'bookinfo.example.com',
        clientPort: 443,
        protocols: ['HTTPS'],
        tls: { mode: 'SIMPLE', credentialName: 'bookinfo-credential' },
      }),
    ),
  'partner-mutual': (ctx) =>
    allOf(
      expectCalls(ctx, [
        { from: 'ingress', to: PARTNER, want: 'refused' },
        { from: 'ingress', to: PARTNER, clientCert: 'acme', want: 200 },
      ]),
      expectGatewayServer(ctx, {
        workload: 'istio-ingressgateway',
        host: 'partner.example.com',
        clientPort: 443,
        protocols: ['HTTPS'],
        tls: { mode: 'MUTUAL', credentialName: 'partner-credential' },
      }),
    ),
  'http-redirect': (ctx) =>
    allOf(
      expectGatewayStatus(ctx, 'http://bookinfo.example.com:80', ['/productpage'], 301),
      expectGatewayStatus(ctx, 'http://partner.example.com:80', ['/api/v1/products/0'], 301),
    ),
});
