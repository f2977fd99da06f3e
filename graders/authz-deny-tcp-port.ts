// AuthorizationPolicy on a TCP workload: checked by what callers get on the echo
// port (open) and the admin port (closed to other namespaces and the plaintext
// client), so DENY on ports, ALLOW by port and namespace, or a destination.port
// condition all pass, and HTTP-only fields (widened DENY, dropped ALLOW) fail.
import { defineGrader, expectCalls } from '../src/core/grading/index.ts';

const ECHO = 'tcp-echo.default:9000';
const ADMIN = 'tcp-echo.default:9001';
const OUTSIDERS = ['shop/app=sleep', 'legacy/curl'];

export default defineGrader({
  'echo-open': (ctx) =>
    expectCalls(
      ctx,
      OUTSIDERS.map((from) => ({ from, to: ECHO, want: 200 as const })),
    ),
  'admin-closed': (ctx) =>
    expectCalls(
      ctx,
      OUTSIDERS.map((from) => ({ from, to: ADMIN, want: 'refused' as const })),
    ),
  'admin-default': (ctx) => expectCalls(ctx, [{ from: 'productpage-v1', to: ADMIN, want: 200 }]),
});
