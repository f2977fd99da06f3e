// Allow-nothing, then one narrow ALLOW: checked by what each caller gets. Any
// layout that behaves so passes (a mesh-wide allow-nothing, principals or a `when`
// on source.principal, paths /reviews/* or /reviews*).
import { defineGrader, expectCalls } from '../src/core/grading/index.ts';

export default defineGrader({
  'allow-nothing': (ctx) =>
    expectCalls(ctx, [
      { to: 'productpage', path: '/productpage', want: 403 },
      { from: 'productpage-v1', to: 'details', path: '/details/0', want: 403 },
      { from: 'reviews-v2', to: 'ratings', path: '/ratings/0', want: 403 },
      { from: 'legacy/curl', to: 'productpage.default', path: '/productpage', want: 403 },
    ]),
  'productpage-get': (ctx) =>
    expectCalls(ctx, [{ from: 'productpage-v1', to: 'reviews', path: '/reviews/0', want: 200 }]),
  'method-path': (ctx) =>
    expectCalls(ctx, [
      { from: 'productpage-v1', to: 'reviews', path: '/reviews/0', method: 'POST', want: 403 },
      { from: 'productpage-v1', to: 'reviews', path: '/admin', want: 403 },
    ]),
  'only-productpage': (ctx) =>
    expectCalls(ctx, [
      { from: 'details-v1', to: 'reviews', path: '/reviews/0', want: 403 },
      { to: 'reviews', path: '/reviews/0', want: 403 },
      { from: 'legacy/curl', to: 'reviews.default', path: '/reviews/0', want: 403 },
    ]),
});
