// A 7 s delay on ratings for jason only, checked by behaviour: what reviews gets from
// ratings on behalf of jason and of others, and what jason's /productpage shows.
import {
  allOf,
  defineGrader,
  describeFaults,
  expectDelayed,
  expectUndisturbed,
  fail,
  formatMs,
  type IntendedMatch,
  matchInputs,
  pass,
  round,
  run,
  withFindings,
} from '../src/core/grading/index.ts';

const JASON = { 'end-user': 'jason' };
/** The rule's match as the task states it; the grading library derives its near misses. */
const JASON_MATCH: IntendedMatch = { header: 'end-user', exact: 'jason', caseMatters: true };
const TO_RATINGS = { to: 'ratings', path: '/ratings/0', from: 'reviews-v2' };
const inputs = matchInputs(JASON_MATCH, TO_RATINGS.path);

export default defineGrader({
  'jason-delayed': (ctx) =>
    expectDelayed(
      ctx,
      inputs.matching.map((i) => ({ ...TO_RATINGS, ...(i.headers ? { headers: i.headers } : {}) })),
      'ratings',
      {
        minMs: 7000,
        maxMs: 7500,
        what: 'about 7 s',
      },
    ),
  'others-untouched': (ctx) =>
    allOf(
      ...[...inputs.missing, { headers: { 'end-user': 'alice' } }].map((i) =>
        expectUndisturbed(ctx, { ...TO_RATINGS, ...(i.headers ? { headers: i.headers } : {}) }, 'ratings'),
      ),
    ),
  'jason-page': (ctx) => {
    const result = run(ctx, { to: 'productpage', path: '/productpage', headers: JASON, requests: 100 });
    const pages = result.records.filter((r) => r.page);
    const missing = pages.filter((r) => r.page && !r.page.reviews).length;
    const share = pages.length ? (100 * missing) / pages.length : 0;
    const l = result.summary.latencyMs;
    const text = `/productpage for jason: ${round(share)}% of the views show the reviews as unavailable, after ${formatMs(l.p50)} (p50)`;
    if (share >= 95)
      return pass(
        `${text}: productpage gives up on reviews after 3 s and one retry (faults on ratings: ${describeFaults(ctx, 'ratings')})`,
      );
    const versions = [...new Set(pages.map((r) => r.page?.reviewsVersion ?? '?'))].sort();
    const routing =
      versions.length && versions.some((v) => v !== 'v2')
        ? ` (jason's reviews came from ${versions.join(', ')}: keep reviews.yaml, which sends him to v2, the version that calls ratings)`
        : '';
    return withFindings(
      ctx,
      fail(`${text}, expected all of them${routing}; ${describeFaults(ctx, 'ratings')}`),
      'ratings',
    );
  },
});
