// The ingress gateway locked out by a namespace-only ALLOW rule (ICA1203): checked by
// what the gateway, a caller in default and the plaintext client get from
// productpage. The gateway's principal or its namespace both pass; dropping the
// policy (or allowing everyone) lets legacy/curl in and fails.
import { defineGrader, expectCalls } from '../src/core/grading/index.ts';

export default defineGrader({
  ingress: (ctx) =>
    expectCalls(ctx, [{ from: 'ingress', to: 'bookinfo.example.com', path: '/productpage', want: 200 }]),
  'namespace-callers': (ctx) =>
    expectCalls(ctx, [
      { to: 'productpage', path: '/productpage', want: 200 },
      { from: 'details-v1', to: 'productpage', path: '/productpage', want: 200 },
    ]),
  'still-restricted': (ctx) =>
    expectCalls(ctx, [{ from: 'legacy/curl', to: 'productpage.default', path: '/productpage', want: 403 }]),
});
