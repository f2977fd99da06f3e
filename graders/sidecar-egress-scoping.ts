// A Sidecar for productpage: graded on behaviour through the simulator, which applies
// the Sidecar that selects each workload (egress hosts, outbound mode), plus the
// analyzer's word on whether Istio accepts it and applies it unambiguously.
import {
  defineGrader,
  expectPagesComplete,
  expectSidecarsUnambiguous,
  expectStatus,
  withSidecarFindings,
} from '../src/core/grading/index.ts';

const FROM = 'productpage-v1';

export default defineGrader({
  'bookinfo-works': (ctx) => expectPagesComplete(ctx),
  'catalog-ok': (ctx) =>
    withSidecarFindings(ctx, expectStatus(ctx, { to: 'http://api.catalog.example.com/', from: FROM }, 200)),
  'external-blocked': (ctx) =>
    withSidecarFindings(ctx, expectStatus(ctx, { to: 'http://www.example.org/', from: FROM }, 502)),
  scoped: (ctx) =>
    withSidecarFindings(ctx, expectStatus(ctx, { to: 'billing.payments:9080', from: FROM }, 502)),
  unambiguous: (ctx) => expectSidecarsUnambiguous(ctx),
});
