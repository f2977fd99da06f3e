// PERMISSIVE to STRICT for the namespace default: the plaintext client is refused
// by every Bookinfo workload, a namespace without policies of its own stays
// PERMISSIVE (not mesh-wide), and the calls between sidecars keep working (a
// DestinationRule with tls DISABLE would make them plaintext, reset by STRICT).
import { defineGrader, expectCalls, fail, meshWideMtls, pass } from '../src/core/grading/index.ts';

const LEGACY = 'legacy/curl';

export default defineGrader({
  'namespace-strict': (ctx) =>
    expectCalls(ctx, [
      { from: LEGACY, to: 'productpage.default', path: '/productpage', want: 'refused' },
      { from: LEGACY, to: 'details.default', path: '/details/0', want: 'refused' },
      { from: LEGACY, to: 'reviews.default', path: '/reviews/0', want: 'refused' },
      { from: LEGACY, to: 'ratings.default', path: '/ratings/0', want: 'refused' },
    ]),
  'only-default': (ctx) => {
    const d = meshWideMtls(ctx);
    return d.mode === 'PERMISSIVE'
      ? pass(`a workload in another namespace stays PERMISSIVE (${d.by})`)
      : fail(`a workload in another namespace would be ${d.mode} (${d.by}): only default was to change`);
  },
  'mesh-calls': (ctx) =>
    expectCalls(ctx, [
      { from: 'productpage-v1', to: 'reviews', path: '/reviews/0', want: 200 },
      { from: 'productpage-v1', to: 'details', path: '/details/0', want: 200 },
      { from: 'reviews-v2', to: 'ratings', path: '/ratings/0', want: 200 },
    ]),
});
