// JWT on some paths only: checked by what a client outside the mesh gets through the
// ingress gateway on the public page and on the API, with no token, a valid one and a
// forged one. DENY without a request principal on /api/*, or ALLOW rules covering
// every path, both pass.
import { defineGrader, expectCalls, type SecureCall } from '../src/core/grading/index.ts';

const EDGE: Omit<SecureCall, 'want' | 'path'> = { from: 'ingress', to: 'bookinfo.example.com' };

export default defineGrader({
  'public-page': (ctx) => expectCalls(ctx, [{ ...EDGE, path: '/productpage', want: 200 }]),
  'api-needs-token': (ctx) =>
    expectCalls(ctx, [
      { ...EDGE, path: '/api/v1/products', want: 403 },
      { ...EDGE, path: '/api/v1/products/0', want: 403 },
    ]),
  'api-with-token': (ctx) =>
    expectCalls(ctx, [{ ...EDGE, path: '/api/v1/products/0', jwt: 'demo', want: 200 }]),
  'bad-token': (ctx) =>
    expectCalls(ctx, [
      { ...EDGE, path: '/api/v1/products/0', jwt: 'forged', want: 401 },
      { ...EDGE, path: '/productpage', jwt: 'forged', want: 401 },
    ]),
});
