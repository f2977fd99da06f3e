// Ambient plus a waypoint: the reviews route applies only once a waypoint serves
// reviews. Checked by what ambient callers get (productpage, and the default client of
// the ambient namespace), so a namespace label, a Service label, or a waypoint for
// `all` traffic under any name all pass, and so does an HTTPRoute for the reviews
// Service (istio.io's ambient way) whose backends are per-version Services
// (reviews-v1, reviews-v2): versions are counted on the reviews pods that answered,
// whichever Service routed to them. The ambient findings (ICA13xx) explain a failure.
import {
  attach,
  type CheckResult,
  defineGrader,
  describeProbe,
  describeShares,
  type GradeContext,
  routeTaken,
  run,
} from '../src/core/grading/index.ts';

const ambientFindings = (ctx: GradeContext) =>
  ctx.findings.filter((f) => f.level !== 'Info' && /^ICA13/.test(f.code));

const PROBE = { from: 'productpage-v1', to: 'reviews', path: '/reviews/0' };

/** Every request of each probe reaches the reviews pods of one version. */
function expectVersion(
  ctx: GradeContext,
  cases: { probe: Parameters<typeof run>[1]; version: string; why: string }[],
): CheckResult {
  const wrong: string[] = [];
  const right: string[] = [];
  for (const c of cases) {
    const result = run(ctx, { requests: 200, ...c.probe });
    const shares: Record<string, number> = {};
    for (const d of result.summary.destinations) {
      if (!d.reachedPod || !(d.service === 'reviews' || d.service.startsWith('reviews-'))) continue;
      shares[d.version] = (shares[d.version] ?? 0) + d.percent;
    }
    const line = `${describeProbe(c.probe)}: ${describeShares(shares)}`;
    if ((shares[c.version] ?? 0) >= 99.999) right.push(`${line} (expected ${c.version} 100%)`);
    else {
      const rule = routeTaken(ctx, c.probe);
      wrong.push(`${line}, expected ${c.version} 100% [${c.why}]${rule ? ` (${rule})` : ''}`);
    }
  }
  const result =
    wrong.length === 0 ? { pass: true, reason: right.join('; ') } : { pass: false, reason: wrong.join('; ') };
  return attach(result, ambientFindings(ctx));
}

function inAmbient(ctx: GradeContext): CheckResult {
  const apps = ['productpage', 'details', 'reviews', 'ratings'];
  const ws = ctx.snapshot.workloads('default').filter((w) => apps.includes(w.labels.app ?? ''));
  const not = ws.filter((w) => w.dataplane !== 'ambient');
  if (ws.length > 0 && not.length === 0)
    return { pass: true, reason: `${ws.length} Bookinfo workloads of default are in ambient (no sidecars)` };
  return {
    pass: false,
    reason: `not in ambient: ${not.map((w) => `${w.name} (${w.dataplane === 'sidecar' ? 'has a sidecar' : 'in no mesh'})`).join(', ')}: label the namespace istio.io/dataplane-mode=ambient, without istio-injection`,
  };
}

export default defineGrader({
  ambient: inAmbient,
  jason: (ctx) =>
    expectVersion(ctx, [
      { probe: { ...PROBE, headers: { 'end-user': 'jason' } }, version: 'v2', why: 'jason' },
    ]),
  others: (ctx) =>
    expectVersion(ctx, [
      { probe: { ...PROBE, headers: { 'end-user': 'alice' } }, version: 'v1', why: 'another user' },
      { probe: PROBE, version: 'v1', why: 'no end-user header' },
      { probe: { to: 'reviews', path: '/reviews/0' }, version: 'v1', why: 'a client in default' },
    ]),
});
