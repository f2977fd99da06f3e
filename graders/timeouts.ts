// A 0.5 s timeout on reviews while ratings is delayed by 2 s, checked by behaviour:
// productpage's calls to reviews, the page it renders, and the delay left in place.
import {
  defineGrader,
  describeTimeouts,
  expectDelayed,
  expectTimedOut,
  fail,
  formatMs,
  pageLooks,
  pass,
  round,
  run,
  withFindings,
} from '../src/core/grading/index.ts';

export default defineGrader({
  timeout: (ctx) =>
    expectTimedOut(ctx, { to: 'reviews', path: '/reviews/0', from: 'productpage-v1' }, 'reviews', {
      minMs: 450,
      maxMs: 650,
      what: 'about 0.5 s',
    }),
  'page-fast': (ctx) => {
    const result = run(ctx, { to: 'productpage', path: '/productpage', requests: 100 });
    const looks = pageLooks(result);
    const missing = looks['reviews unavailable'] ?? 0;
    const l = result.summary.latencyMs;
    const text = `/productpage: answered after ${formatMs(l.p50)} (p50), ${formatMs(l.max)} at most; ${round(missing)}% of the views show the reviews as unavailable`;
    if (l.max <= 1500 && missing >= 99) return pass(text);
    const why =
      l.max > 1500
        ? 'expected the page within about 1 s (two tries of 0.5 s)'
        : 'expected every view to give up on the slow reviews';
    return withFindings(ctx, fail(`${text}; ${why}; ${describeTimeouts(ctx, 'reviews')}`), 'reviews');
  },
  'delay-kept': (ctx) =>
    expectDelayed(ctx, [{ to: 'ratings', path: '/ratings/0', from: 'reviews-v2' }], 'ratings', {
      minMs: 2000,
      maxMs: 2500,
      what: 'about 2 s (keep ratings.yaml as given)',
    }),
});
