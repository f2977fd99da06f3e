// Outlier detection on reviews, checked by behaviour: v3 broken (ejected quickly, for
// long enough, traffic moves), everything broken (at most half ejected), nothing broken.
import {
  defineGrader,
  describePolicy,
  ejectedPods,
  expectSpread,
  fail,
  formatMs,
  type GradeContext,
  maxEjectedAtOnce,
  okShare,
  type Probe,
  pass,
  round,
  run,
  type SimResult,
  TO_REVIEWS,
  tryShare,
  usedSubsets,
  withFindings,
} from '../src/core/grading/index.ts';

const V3_BROKEN: Probe = { ...TO_REVIEWS, fail: ['reviews:v3=100%:503'], requests: 2000 };

const runs = new WeakMap<GradeContext, SimResult>();
function v3Broken(ctx: GradeContext): SimResult {
  let r = runs.get(ctx);
  if (!r) runs.set(ctx, (r = run(ctx, V3_BROKEN)));
  return r;
}

const policy = (ctx: GradeContext) => describePolicy(ctx, 'reviews', 'outlierDetection');
const explain = (ctx: GradeContext, text: string) =>
  withFindings(ctx, fail(`${text}; ${policy(ctx)}`), 'reviews');

function firstV3Ejection(result: SimResult) {
  return result.summary.ejections.find((e) => e.pod.startsWith('reviews-v3'));
}

export default defineGrader({
  ejects: (ctx) => {
    const r = v3Broken(ctx);
    const ok = okShare(r);
    const share = tryShare(r, 'reviews', 'v3');
    const text = `with reviews v3 answering 503: ${round(ok)}% of the requests succeed, v3 got ${round(share)}% of them`;
    if (ok >= 98 && share < 2) return pass(`${text}: v3 was ejected and v1 and v2 took over`);
    const subsets = [...usedSubsets(ctx, 'reviews')];
    const split = subsets.length
      ? `; the routes send reviews traffic to subsets (${subsets.join(', ')}): each subset is a cluster of its own, and outlier detection only moves traffic between the pods of one cluster, so v3's share stays on v3 (a single-pod cluster loses its only pod, or keeps it when maxEjectionPercent is under 100)`
      : '';
    return explain(ctx, `${text}, expected v3 ejected (under 2% of the requests, 98% success)${split}`);
  },
  quick: (ctx) => {
    const r = v3Broken(ctx);
    const first = firstV3Ejection(r);
    if (!first) return explain(ctx, 'reviews v3 failed every request but was never ejected');
    const failures = r.records.filter(
      (x) => x.version === 'v3' && x.status >= 500 && x.startMs + x.latencyMs <= first.atMs + 1e-6,
    ).length;
    const text = `reviews v3 was ejected after ${failures} failed request${failures === 1 ? '' : 's'}`;
    return failures <= 3 ? pass(text) : explain(ctx, `${text}, expected at most 3 consecutive errors`);
  },
  duration: (ctx) => {
    const r = v3Broken(ctx);
    const first = firstV3Ejection(r);
    if (!first) return explain(ctx, 'reviews v3 failed every request but was never ejected');
    const out = first.untilMs - first.atMs;
    const text = `reviews v3 was ejected for ${formatMs(out)} the first time`;
    return out >= 29_999 ? pass(text) : explain(ctx, `${text}, expected at least 30 s (baseEjectionTime)`);
  },
  capacity: (ctx) => {
    const r = run(ctx, { ...TO_REVIEWS, fail: ['reviews=100%:503'], requests: 2000 });
    const most = maxEjectedAtOnce(r, 'reviews');
    const pods = ejectedPods(r, 'reviews');
    const text = `with every reviews pod answering 503: at most ${most} of 3 pods ejected at the same time${pods.length ? ` (${pods.join(', ')})` : ''}`;
    if (most <= 1) return pass(text);
    return explain(
      ctx,
      `${text}, expected no more than half of them (maxEjectionPercent 50 allows one of three)`,
    );
  },
  healthy: (ctx) => expectSpread(ctx, TO_REVIEWS, 'reviews', ['v1', 'v2', 'v3'], 25),
});
