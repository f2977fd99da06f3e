// JWT at the ingress: checked by what a client outside the mesh gets through the
// ingress gateway with each of Istio's sample tokens (and none), and that calls
// inside the mesh, which carry no token, are untouched. requestPrincipals, a claim
// alone in `when`, jwksUri or inline jwks: all pass when they behave so.
import { defineGrader, expectCalls, type SecureCall } from '../src/core/grading/index.ts';

const EDGE: Omit<SecureCall, 'want'> = { from: 'ingress', to: 'bookinfo.example.com', path: '/productpage' };

export default defineGrader({
  'bad-token': (ctx) => expectCalls(ctx, [{ ...EDGE, jwt: 'forged', want: 401 }]),
  'no-token': (ctx) => expectCalls(ctx, [{ ...EDGE, want: 403 }]),
  claim: (ctx) => expectCalls(ctx, [{ ...EDGE, jwt: 'demo', want: 403 }]),
  group1: (ctx) => expectCalls(ctx, [{ ...EDGE, jwt: 'groups', want: 200 }]),
  'mesh-unchanged': (ctx) =>
    expectCalls(ctx, [
      { from: 'productpage-v1', to: 'reviews', path: '/reviews/0', want: 200 },
      { from: 'productpage-v1', to: 'details', path: '/details/0', want: 200 },
    ]),
});
