// Mesh-wide STRICT with a workload exception: checked by what callers get. The
// plaintext client (legacy/curl, no sidecar) is refused everywhere but at
// productpage; sidecars keep talking to each other over mTLS; and a workload in any
// other namespace would be STRICT too (what makes it mesh-wide, not namespace-wide).
import {
  allOf,
  defineGrader,
  expectCalls,
  expectMeshWideStrict,
  expectServerMtls,
} from '../src/core/grading/index.ts';

const LEGACY = 'legacy/curl';

export default defineGrader({
  'mesh-strict': (ctx) => expectMeshWideStrict(ctx),
  'plaintext-refused': (ctx) =>
    expectCalls(ctx, [
      { from: LEGACY, to: 'reviews.default', path: '/reviews/0', want: 'refused' },
      { from: LEGACY, to: 'details.default', path: '/details/0', want: 'refused' },
      { from: LEGACY, to: 'ratings.default', path: '/ratings/0', want: 'refused' },
    ]),
  'legacy-productpage': (ctx) =>
    allOf(
      expectCalls(ctx, [{ from: LEGACY, to: 'productpage.default', path: '/productpage', want: 200 }]),
      expectServerMtls(ctx, 'productpage', 9080, ['PERMISSIVE']),
    ),
  'mesh-calls': (ctx) =>
    expectCalls(ctx, [
      { from: 'productpage-v1', to: 'reviews', path: '/reviews/0', want: 200 },
      { from: 'productpage-v1', to: 'details', path: '/details/0', want: 200 },
      { from: 'reviews-v2', to: 'ratings', path: '/ratings/0', want: 200 },
    ]),
});
