// The outbound policy in the istio ConfigMap: graded on behaviour (the simulator
// reads the mesh config the snapshot resolved from the ConfigMap istiod reads).
import { allOf, defineGrader, expectExternalReachable, expectStatus } from '../src/core/grading/index.ts';

const FROM = 'productpage-v1';

export default defineGrader({
  'registry-only': (ctx) => allOf(expectStatus(ctx, { to: 'http://httpbin.org/', from: FROM }, 502)),
  'registered-ok': (ctx) =>
    expectExternalReachable(
      ctx,
      { to: 'http://catalog.example.com/', from: FROM },
      'catalog.example.com',
      80,
    ),
  'internal-ok': (ctx) => expectStatus(ctx, { to: 'http://reviews:9080/reviews/0', from: FROM }, 200),
});
