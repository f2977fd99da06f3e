// Egress in a REGISTRY_ONLY mesh: a ServiceEntry for httpbin.org port 80 HTTP.
// Behaviour: calls from a Bookinfo pod to httpbin.org get 200, calls to other external
// hosts 502 (the sidecar's block_all route). Structural for the port and protocol: the simulator
// lets every port of a registered host through, so `reachable` also requires port 80
// to be registered.
import {
  allOf,
  defineGrader,
  expectExternalReachable,
  expectServiceEntryPort,
  expectStatus,
} from '../src/core/grading/index.ts';

const FROM = 'productpage-v1';

export default defineGrader({
  registered: (ctx) => expectServiceEntryPort(ctx, 'httpbin.org', 80, ['HTTP']),
  reachable: (ctx) =>
    expectExternalReachable(ctx, { to: 'http://httpbin.org/headers', from: FROM }, 'httpbin.org', 80),
  'still-blocked': (ctx) =>
    allOf(
      expectStatus(ctx, { to: 'http://www.example.org/', from: FROM }, 502),
      expectStatus(ctx, { to: 'http://edition.cnn.com/', from: FROM }, 502),
    ),
});
