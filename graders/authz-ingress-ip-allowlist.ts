// An IP allow list at the ingress gateway: checked by what clients at several
// addresses get through the gateway (--client-ip), and that calls inside the mesh
// are unaffected. ALLOW+DENY, ALLOW with notRemoteIpBlocks, ipBlocks at the gateway
// or remoteIpBlocks on productpage only for gateway traffic all pass when they behave.
import { defineGrader, expectCalls, type SecureCall } from '../src/core/grading/index.ts';

const EDGE: Omit<SecureCall, 'want'> = { from: 'ingress', to: 'bookinfo.example.com', path: '/productpage' };

export default defineGrader({
  office: (ctx) =>
    expectCalls(ctx, [
      { ...EDGE, clientIp: '203.0.113.10', want: 200 },
      { ...EDGE, clientIp: '203.0.113.200', want: 200 },
    ]),
  outsiders: (ctx) =>
    expectCalls(ctx, [
      { ...EDGE, clientIp: '198.51.100.7', want: 403 },
      { ...EDGE, clientIp: '203.0.113.66', want: 403 },
    ]),
  'mesh-unchanged': (ctx) =>
    expectCalls(ctx, [
      { from: 'productpage-v1', to: 'reviews', path: '/reviews/0', want: 200 },
      { from: 'productpage-v1', to: 'details', path: '/details/0', want: 200 },
      { to: 'productpage', path: '/productpage', want: 200 },
    ]),
});
