// Port-level policies for a port the Service does not expose (ICA1007) never apply.
// Fixed when, by behaviour, the connection limits trip at -c 3, a failing pod is ejected,
// and normal traffic is untouched.
import {
  allOf,
  defineGrader,
  describePolicy,
  expectOverflow,
  expectSpread,
  expectSuccess,
  fail,
  okShare,
  pass,
  round,
  run,
  TO_REVIEWS,
  tryShare,
  withFindings,
} from '../src/core/grading/index.ts';

export default defineGrader({
  trips: (ctx) => expectOverflow(ctx, { to: 'reviews', path: '/reviews/1', concurrency: 3 }, 'reviews', 10),
  ejects: (ctx) => {
    const r = run(ctx, { ...TO_REVIEWS, fail: ['reviews:v3=100%:503'], requests: 2000 });
    const ok = okShare(r);
    const share = tryShare(r, 'reviews', 'v3');
    const text = `with reviews v3 answering 503: ${round(ok)}% of the requests succeed, v3 got ${round(share)}% of them`;
    if (ok >= 98 && share < 2) return pass(`${text}: v3 was ejected`);
    return withFindings(
      ctx,
      fail(`${text}, expected v3 ejected; ${describePolicy(ctx, 'reviews', 'outlierDetection')}`),
      'reviews',
      ['ICA1007'],
    );
  },
  normal: (ctx) =>
    allOf(
      expectSuccess(ctx, { to: 'reviews', path: '/reviews/1', requests: 300 }, 'reviews', 100),
      expectSpread(ctx, TO_REVIEWS, 'reviews', ['v1', 'v2', 'v3'], 25),
    ),
});
