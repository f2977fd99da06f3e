// Authorization by identity: only reviews (bookinfo-reviews) may call ratings.
import {
  defineGrader,
  fail,
  type GradeContext,
  pass,
  run,
  type SimResult,
} from '../src/core/grading/index.ts';

const ratings = (ctx: GradeContext) => `ratings.${ctx.namespace}.svc.cluster.local`;

function statusShare(result: SimResult, status: number): number {
  return result.summary.statuses.filter((s) => s.status === status).reduce((a, s) => a + s.percent, 0);
}

/** The security decision the simulator names for most of a run's hops. */
function decision(result: SimResult): string {
  return result.summary.security?.[0]?.decision ?? 'no security policy applied';
}

/** Findings on the learner's security policies (a typo in a principal, a selector matching nothing ...). */
function policyFindings(ctx: GradeContext) {
  return ctx.findings.filter(
    (f) => /^(ICA12|IST0127|IST0106|ICA0101)/.test(f.code) && /AuthorizationPolicy/.test(f.origin ?? ''),
  );
}

function failWith(ctx: GradeContext, reason: string) {
  const findings = policyFindings(ctx);
  return findings.length > 0
    ? { ...fail(reason, [...new Set(findings.map((f) => f.code))]), findings }
    : fail(reason);
}

export default defineGrader({
  'reviews-allowed': (ctx) => {
    const r = run(ctx, { from: 'reviews-v2', to: ratings(ctx), path: '/ratings/0', requests: 50 });
    const ok = statusShare(r, 200);
    return ok === 100
      ? pass('reviews-v2 → ratings: every request answered 200')
      : failWith(ctx, `reviews-v2 → ratings: ${100 - ok}% of requests fail (${decision(r)})`);
  },
  'others-denied': (ctx) => {
    const problems: string[] = [];
    for (const from of ['productpage-v1', 'legacy/curl']) {
      const r = run(ctx, { from, to: ratings(ctx), path: '/ratings/0', requests: 50 });
      const denied = statusShare(r, 403);
      if (denied !== 100) problems.push(`${from} → ratings: ${100 - denied}% not denied (${decision(r)})`);
    }
    return problems.length === 0
      ? pass('productpage-v1 and legacy/curl get 403 RBAC: access denied from ratings')
      : failWith(ctx, problems.join('; '));
  },
  stars: (ctx) => {
    const r = run(ctx, { to: 'productpage', path: '/productpage', requests: 300 });
    const pages = r.records.filter((x) => x.page);
    const v23 = pages.filter((x) => x.page?.reviewsVersion === 'v2' || x.page?.reviewsVersion === 'v3');
    const broken = v23.filter((x) => x.page?.ratings === false).length;
    return v23.length > 0 && broken === 0
      ? pass(`${v23.length} pages from reviews v2/v3 all show star ratings`)
      : failWith(
          ctx,
          `${broken} of ${v23.length} pages from reviews v2/v3 say "Ratings service is currently unavailable"`,
        );
  },
});
