// An ALLOW rule on requestPrincipals without a RequestAuthentication (ICA1204): no
// request ever has a principal, so even a valid token gets 403. Checked by what a
// client gets through the ingress gateway on the API and the page, with no token,
// the sample demo token and a forged one.
import { defineGrader, expectCalls, type SecureCall } from '../src/core/grading/index.ts';

const EDGE: Omit<SecureCall, 'want' | 'path'> = { from: 'ingress', to: 'bookinfo.example.com' };

export default defineGrader({
  'api-with-token': (ctx) =>
    expectCalls(ctx, [{ ...EDGE, path: '/api/v1/products/0', jwt: 'demo', want: 200 }]),
  'api-without-token': (ctx) => expectCalls(ctx, [{ ...EDGE, path: '/api/v1/products/0', want: 403 }]),
  'bad-token': (ctx) => expectCalls(ctx, [{ ...EDGE, path: '/api/v1/products/0', jwt: 'forged', want: 401 }]),
  'page-public': (ctx) => expectCalls(ctx, [{ ...EDGE, path: '/productpage', want: 200 }]),
});
