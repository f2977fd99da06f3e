// Egress TLS origination: checked by what the security layer decides for the hop to
// edition.cnn.com: the http:// request leaves as TLS to 443 (ServiceEntry targetPort
// and a DestinationRule tls SIMPLE), the certificate is verified, and the
// application's own https:// call is not wrapped in a second TLS session.
import { defineGrader, expectCalls, expectTlsOrigination } from '../src/core/grading/index.ts';

const HOST = 'edition.cnn.com';
const PLAIN = { from: 'productpage-v1', to: `http://${HOST}/politics` };

export default defineGrader({
  'tls-originated': (ctx) => expectTlsOrigination(ctx, PLAIN, HOST),
  'verify-server': (ctx) => expectTlsOrigination(ctx, PLAIN, HOST, { verified: true }),
  'https-still-works': (ctx) =>
    expectCalls(ctx, [{ from: 'productpage-v1', to: `https://${HOST}/politics`, want: 200 }]),
});
