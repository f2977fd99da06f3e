// Grader building blocks: what /productpage views show about reviews (stars,
// ratings or reviews unavailable), and the views served by given versions.
import type { SimResult } from '../sim/index.ts';
import { describeStatuses, fail, type Probe, pass, round, run, withFindings } from './checks.ts';
import { describeMargin, shareMargin, withinShare } from './margin.ts';
import type { CheckResult, GradeContext } from './types.ts';

/** What a /productpage view shows about reviews. */
export type PageLook =
  | 'no stars'
  | 'black stars'
  | 'red stars'
  | 'ratings unavailable'
  | 'reviews unavailable';

/** Percent of /productpage views per look. */
export function pageLooks(result: SimResult): Partial<Record<PageLook, number>> {
  const counts: Partial<Record<PageLook, number>> = {};
  const pages = result.records.filter((r) => r.page);
  for (const r of pages) {
    const p = r.page!;
    const look: PageLook = !p.reviews
      ? 'reviews unavailable'
      : p.ratings === false
        ? 'ratings unavailable'
        : p.stars === 'black'
          ? 'black stars'
          : p.stars === 'red'
            ? 'red stars'
            : 'no stars';
    counts[look] = (counts[look] ?? 0) + 1;
  }
  const out: Partial<Record<PageLook, number>> = {};
  for (const [k, n] of Object.entries(counts)) out[k as PageLook] = (100 * (n ?? 0)) / pages.length;
  return out;
}

function describeLooks(looks: Partial<Record<PageLook, number>>): string {
  const entries = Object.entries(looks).filter(([, p]) => (p ?? 0) > 0);
  if (entries.length === 0) return 'no page was rendered';
  return entries
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
    .map(([k, p]) => `${k} ${round(p ?? 0)}%`)
    .join(', ');
}

/**
 * /productpage views (the probe's path defaults to /productpage) look as expected:
 * percent per look (± tolerance); looks not named must not appear.
 */
export function expectPages(
  ctx: GradeContext,
  probe: Omit<Probe, 'to'> & { to?: string },
  expected: Partial<Record<PageLook, number>>,
  tolerance = 3,
  host = 'reviews',
): CheckResult {
  const exact = Object.values(expected).every((p) => p === 0 || p === 100);
  const full: Probe = {
    to: 'productpage',
    path: '/productpage',
    requests: exact ? 300 : 4000,
    ...probe,
  };
  const result = run(ctx, full);
  const looks = pageLooks(result);
  const keys = new Set<PageLook>([
    ...(Object.keys(expected) as PageLook[]),
    ...(Object.keys(looks) as PageLook[]),
  ]);
  const n = result.records.filter((r) => r.page).length;
  const margin = (k: PageLook) => shareMargin(expected[k] ?? 0, n, tolerance);
  const off = [...keys].filter((k) => !withinShare(looks[k] ?? 0, expected[k] ?? 0, n, tolerance));
  const who = full.headers?.['end-user'] ? ` for ${full.headers['end-user']}` : '';
  const want = `${describeLooks(expected)}${describeMargin(Math.max(0, ...[...keys].map(margin)), n, tolerance)}`;
  if (off.length === 0) return pass(`/productpage views${who}: ${describeLooks(looks)} (expected ${want})`);
  const errors = result.summary.statuses.some((s) => s.status >= 400)
    ? `; responses: ${describeStatuses(result)}`
    : '';
  return withFindings(
    ctx,
    fail(`/productpage views${who}: ${describeLooks(looks)}, expected ${want}${errors}`),
    host,
  );
}

/** /productpage views whose reviews came from one of `versions`: how many, and the percent matching `predicate`. */
export function pagesFrom(
  result: SimResult,
  versions: readonly string[],
  predicate: (page: NonNullable<SimResult['records'][number]['page']>) => boolean,
): { count: number; percent: number } {
  let count = 0;
  let k = 0;
  for (const r of result.records) {
    const p = r.page;
    if (!p?.reviews || !versions.includes(p.reviewsVersion ?? '')) continue;
    count++;
    if (predicate(p)) k++;
  }
  return { count, percent: count ? (100 * k) / count : 0 };
}
