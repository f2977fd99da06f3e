// Ambient plus a waypoint: the reviews route applies only once a waypoint serves
// reviews. Checked by what ambient callers get (productpage, and the default client of
// the ambient namespace), so a namespace label, a Service label, or a waypoint for
// `all` traffic under any name all pass. The ambient findings (ICA13xx) explain a failure.
import {
  allOf,
  attach,
  type CheckResult,
  defineGrader,
  expectCases,
  type GradeContext,
} from '../src/core/grading/index.ts';

const ambientFindings = (ctx: GradeContext) =>
  ctx.findings.filter((f) => f.level !== 'Info' && /^ICA13/.test(f.code));

const PROBE = { from: 'productpage-v1', to: 'reviews', path: '/reviews/0' };

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
    attach(
      expectCases(ctx, 'reviews', [
        { probe: { ...PROBE, headers: { 'end-user': 'jason' } }, expected: { v2: 100 }, why: 'jason' },
      ]),
      ambientFindings(ctx),
    ),
  others: (ctx) =>
    attach(
      allOf(
        expectCases(ctx, 'reviews', [
          {
            probe: { ...PROBE, headers: { 'end-user': 'alice' } },
            expected: { v1: 100 },
            why: 'another user',
          },
          { probe: PROBE, expected: { v1: 100 }, why: 'no end-user header' },
          { probe: { to: 'reviews', path: '/reviews/0' }, expected: { v1: 100 }, why: 'a client in default' },
        ]),
      ),
      ambientFindings(ctx),
    ),
});
