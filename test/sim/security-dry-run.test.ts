// istio.io/dry-run: "true" on an AuthorizationPolicy: istiod builds it as the RBAC filter's
// shadow rules, so the request goes on as if the policy were absent, and the decision says
// what the policy would have done (Istio's "Dry Run" task; ALLOW and DENY only).
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../helpers/analyze.ts';
import { run, statusPercent } from './helpers.ts';

const policy = (name: string, action: string, rules: string, dryRun?: string) => `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ${name}
  namespace: default
${dryRun === undefined ? '' : `  annotations: {istio.io/dry-run: ${dryRun}}\n`}spec:
  selector: {matchLabels: {app: reviews}}
  action: ${action}
${rules}`;
const DENY_GET = (dryRun?: string) =>
  policy('deny-get', 'DENY', '  rules: [{to: [{operation: {methods: [GET]}}]}]\n', dryRun);
const ALLOW_POST = (dryRun?: string) =>
  policy('allow-post', 'ALLOW', '  rules: [{to: [{operation: {methods: [POST]}}]}]\n', dryRun);
const TO_REVIEWS = { from: 'productpage-v1', to: 'reviews', path: '/reviews/0', requests: 20 } as const;
const decisions = (r: ReturnType<typeof run>) => (r.summary.security ?? []).map((d) => d.decision).join('\n');

describe('AuthorizationPolicy in dry-run', () => {
  it('a dry-run DENY that matches lets the request through and says it would have been denied', () => {
    expect(statusPercent(run(DENY_GET(), TO_REVIEWS).summary, 403)).toBe(100);
    const r = run(DENY_GET('"true"'), TO_REVIEWS);
    expect(statusPercent(r.summary, 200)).toBe(100);
    expect(decisions(r)).toMatch(
      /^dry-run at reviews-v\d-0: would have been DENIED by DENY default\/deny-get rules\[0\], not enforced \(istio_dry_run_deny_shadow_effective_policy_id: ns\[default\]-policy\[deny-get\]-rule\[0\], istio_dry_run_deny_shadow_engine_result: denied\)$/m,
    );
  });

  it('a dry-run ALLOW starts no deny-by-default: what it does not match would have been denied, and passes', () => {
    expect(statusPercent(run(ALLOW_POST(), TO_REVIEWS).summary, 403)).toBe(100);
    const r = run(ALLOW_POST('"true"'), TO_REVIEWS);
    expect(statusPercent(r.summary, 200)).toBe(100);
    expect(decisions(r)).toMatch(
      /dry-run at reviews-v\d-0: no rule of dry-run ALLOW default\/allow-post matches: it would have been DENIED, not enforced \(istio_dry_run_allow_shadow_engine_result: denied\)/,
    );
    const post = run(ALLOW_POST('"true"'), { ...TO_REVIEWS, method: 'POST' });
    expect(decisions(post)).toMatch(/would have been ALLOWED by ALLOW default\/allow-post rules\[0\]/);
  });

  it('a dry-run policy beside enforced ones changes nothing they decide; "false" (or Go\'s "F") enforces', () => {
    const both = run(DENY_GET() + ALLOW_POST('"true"'), TO_REVIEWS);
    expect(statusPercent(both.summary, 403)).toBe(100);
    expect(decisions(both)).toMatch(/DENY default\/deny-get rules\[0\] matches/);
    // the DENY filter denied first: the ALLOW filter, and its shadow rules, never ran
    expect(decisions(both)).not.toMatch(/dry-run/);
    expect(statusPercent(run(DENY_GET('"false"'), TO_REVIEWS).summary, 403)).toBe(100);
    expect(statusPercent(run(DENY_GET('"F"'), TO_REVIEWS).summary, 403)).toBe(100);
  });

  it('the webhook refuses it on CUSTOM and AUDIT, and a value Go cannot parse; the API server a non-string', () => {
    const custom = policy(
      'ext',
      'CUSTOM',
      '  provider: {name: sample-ext-authz-http}\n  rules: [{to: [{operation: {paths: ["/x"]}}]}]\n',
      '"true"',
    );
    const messages = (yaml: string) =>
      analyzeText(yaml)
        .findings.filter((f) => f.code === 'IST0106')
        .map((f) => f.message);
    expect(messages(custom)).toEqual([
      expect.stringContaining(
        'the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action CUSTOM',
      ),
    ]);
    expect(messages(DENY_GET('"yes"'))).toEqual([
      expect.stringContaining(
        'annotation istio.io/dry-run with invalid value (yes): strconv.ParseBool: parsing "yes": invalid syntax',
      ),
    ]);
    expect(messages(DENY_GET('true'))).toEqual([expect.stringContaining('is boolean true, not a string')]);
    expect(messages(DENY_GET('"true"'))).toEqual([]);
  });
});

const TCP_ECHO = `apiVersion: v1
kind: Service
metadata: {name: tcp-echo, namespace: default}
spec:
  selector: {app: tcp-echo}
  ports:
  - {name: tcp, port: 9000}
  - {name: tcp-admin, port: 9001}
  - {name: http-status, port: 9002}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tcp-echo, namespace: default}
spec:
  selector: {matchLabels: {app: tcp-echo}}
  template:
    metadata: {labels: {app: tcp-echo}}
    spec: {serviceAccountName: tcp-echo, containers: [{name: tcp-echo, image: istio/tcp-echo-server:1.3}]}
`;

describe('dry-run on a TCP port', () => {
  it('a dry-run DENY (widened to the port) records the close it would have done; the connection stays open', () => {
    const deny = `---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: tcp-policy, namespace: default, annotations: {istio.io/dry-run: "true"}}
spec:
  selector: {matchLabels: {app: tcp-echo}}
  action: DENY
  rules: [{to: [{operation: {methods: [POST], ports: ["9000"]}}]}]
`;
    const r = run(TCP_ECHO + deny, { from: 'productpage-v1', to: 'tcp-echo.default:9000', requests: 10 });
    expect(statusPercent(r.summary, 200)).toBe(100);
    expect(decisions(r)).toMatch(
      /dry-run at tcp-echo-\S+ \(TCP port 9000\): would have been DENIED by DENY default\/tcp-policy rules\[0\]/,
    );
  });
});
