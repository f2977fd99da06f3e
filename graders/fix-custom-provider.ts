// A CUSTOM policy naming a provider the mesh config does not define (ICA1207): istiod
// turns its rules into DENY rules, so /productpage gets Envoy's 403. Checked by what
// a client in default gets: the page without x-ext-authz is refused by the sample
// authorizer itself (its body, not Envoy's RBAC one), with the header it is served,
// and paths the policy does not cover never reach the authorizer.
import {
  type CheckResult,
  defineGrader,
  describeStatuses,
  expectCalls,
  type GradeContext,
  run,
  securityFindings,
} from '../src/core/grading/index.ts';

const PAGE = { to: 'productpage', path: '/productpage' } as const;
const SAMPLE_BODY = 'denied by ext_authz for not found header `x-ext-authz: allow` in the request';

/** The page without the header: 403 with the sample authorizer's body. */
function refusedByAuthorizer(ctx: GradeContext): CheckResult {
  const result = run(ctx, { ...PAGE, requests: 20 });
  const decisions = (result.summary.security ?? []).map((d) => d.decision);
  const all403 = result.summary.statuses.every((s) => s.status === 403);
  const byAuthorizer = decisions.some((d) => d.startsWith(`"${SAMPLE_BODY}"`));
  if (all403 && byAuthorizer)
    return {
      pass: true,
      reason: `GET /productpage without x-ext-authz: 403 "${SAMPLE_BODY}" from the sample ext-authz`,
    };
  const at = decisions.find((d) => d.includes('productpage-v1')) ?? 'no policy refused it';
  const findings = securityFindings(ctx);
  return {
    pass: false,
    reason: `GET /productpage without x-ext-authz: got ${describeStatuses(result)} (${at}), expected 403 with the sample ext-authz's body "${SAMPLE_BODY}"`,
    ...(findings.length > 0 ? { findings, codes: [...new Set(findings.map((f) => f.code))] } : {}),
  };
}

export default defineGrader({
  'checked-by-authorizer': refusedByAuthorizer,
  'allowed-with-header': (ctx) =>
    expectCalls(ctx, [{ ...PAGE, headers: { 'x-ext-authz': 'allow' }, want: 200 }]),
  'other-paths': (ctx) =>
    expectCalls(ctx, [
      { to: 'productpage', path: '/api/v1/products', want: 200 },
      { from: 'productpage-v1', to: 'reviews', path: '/reviews/0', want: 200 },
    ]),
});
