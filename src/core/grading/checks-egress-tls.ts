// Grader building blocks for egress TLS origination: a request the application
// sends as plain http:// leaves the sidecar as TLS to the server's port 443, read
// from the security layer's decision for the hop to the outside server.
import { describeStatuses, type Probe, run } from './checks.ts';
import { findingsOn } from './checks-findings.ts';
import type { CheckResult, GradeContext } from './types.ts';

/**
 * Every request gets 200 and leaves as TLS originated by the proxy to `host:443`;
 * with `verified`, the server certificate is checked (caCertificates or credentialName).
 */
export function expectTlsOrigination(
  ctx: GradeContext,
  probe: Probe,
  host: string,
  opts: { verified?: boolean } = {},
): CheckResult {
  const result = run(ctx, { requests: 20, ...probe });
  const decisions = result.summary.security ?? [];
  const ok = result.summary.statuses.filter((s) => s.status === 200).reduce((a, s) => a + s.percent, 0);
  const origin = decisions.find(
    (d) => d.decision.startsWith('TLS originated') && d.decision.includes(`${host}:443`),
  );
  const failure = decisions.find((d) => d.decision.includes(host))?.decision;
  const explain = (reason: string): CheckResult => {
    const findings = findingsOn(ctx, [], ['IST0128', 'IST0129']).filter(
      (f) => (f.origin ?? '').startsWith('DestinationRule') || (f.origin ?? '').startsWith('ServiceEntry'),
    );
    return {
      pass: false,
      reason,
      ...(findings.length > 0 ? { findings, codes: [...new Set(findings.map((f) => f.code))] } : {}),
    };
  };
  const what = `${probe.from ?? 'the client'} → ${probe.to}`;
  if (Math.abs(ok - 100) > 1e-6)
    return explain(`${what}: got ${describeStatuses(result)}${failure ? ` (${failure})` : ''}, expected 200`);
  if (!origin)
    return explain(
      `${what}: 200, but the request leaves the sidecar as plaintext HTTP${failure ? ` (${failure})` : ''}: nothing originates TLS to ${host}:443`,
    );
  if (opts.verified && /not verified/.test(origin.decision))
    return explain(`${what}: ${origin.decision}, expected the server certificate verified`);
  return { pass: true, reason: `${what}: 200, ${origin.decision}` };
}
