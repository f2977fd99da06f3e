// Grader building blocks for the Securing Workloads labs: what a caller gets
// (200, 403 RBAC, 401 JWT, or a connection refused for plaintext to STRICT),
// measured through the simulator's security layer, so any policy layout that
// behaves right passes. The findings of the security kinds explain a failure.
import type { Finding } from '../analysis/finding.ts';
import { isTcpPort } from '../config/port-protocol.ts';
import { ROOT_NAMESPACE, SecurityPolicies } from '../config/security-policies.ts';
import { routeRequest, type SimResult } from '../sim/index.ts';
import { SAMPLE_TOKENS } from '../sim/security/samples.ts';
import { describeProbe, describeStatuses, type Probe, run } from './checks.ts';
import type { CheckResult, GradeContext } from './types.ts';

/** What a caller should get: the app's 200, the proxy's 403/401, or the connection refused (STRICT). */
export type SecurityOutcome = 200 | 401 | 403 | 'refused';

export interface SecureCall extends Probe {
  /** a sample token sent as `Authorization: Bearer` (demo, groups, forged) */
  jwt?: keyof typeof SAMPLE_TOKENS;
  want: SecurityOutcome;
}

const SECURITY_KINDS = /^(PeerAuthentication|AuthorizationPolicy|RequestAuthentication) /;

/**
 * Security findings (Warning or Error) that explain a failed call. The warning that a
 * DENY rule of HTTP fields closes TCP ports is left out when no Service of the inputs
 * has a TCP port (Bookinfo's are HTTP): then it never explains a failed call and would
 * only point at a correct DENY policy.
 */
export function securityFindings(ctx: GradeContext): Finding[] {
  const tcp = ctx.snapshot.services().some((s) => s.ports.some(isTcpPort));
  return ctx.findings.filter(
    (f) =>
      f.level !== 'Info' &&
      (/^ICA1[23]/.test(f.code) || SECURITY_KINDS.test(f.origin ?? '')) &&
      (tcp || !(f.code === 'IST0133' && /\bTCP\b/.test(f.message))),
  );
}

function outcomeOf(result: SimResult): SecurityOutcome | 'mixed' | number {
  const statuses = result.summary.statuses;
  const refused = (s: { status: number; flags: string }) =>
    s.status === 0 || (s.status === 503 && /\bU[CF]\b/.test(s.flags));
  if (statuses.length > 0 && statuses.every(refused)) return 'refused';
  const codes = new Set(statuses.map((s) => s.status));
  if (codes.size !== 1) return 'mixed';
  return [...codes][0]!;
}

const WANT_TEXT: Record<string, string> = {
  200: '200 (allowed)',
  401: '401 (JWT rejected)',
  403: '403 RBAC: access denied',
  refused:
    'no response: the connection refused or reset (plaintext to an mTLS-only server, denied on a TCP port or by ztunnel) or its TLS handshake failed',
};

/** `reviews`, `reviews.default`, `http://host:80/x` → the short name (`reviews`, `host`). */
function targetService(to: string): string {
  return to.replace(/^[a-z]+:\/\//, '').split(/[.:/]/)[0] ?? to;
}

function callProbe(call: SecureCall): Probe {
  const { want: _want, jwt, ...probe } = call;
  const token = jwt ? SAMPLE_TOKENS[jwt]?.token : undefined;
  return {
    requests: 20,
    // expectCalls reads statuses only
    statusOnly: true,
    ...probe,
    ...(token ? { headers: { ...(probe.headers ?? {}), authorization: `Bearer ${token}` } } : {}),
  };
}

function describeCall(call: SecureCall): string {
  const p = describeProbe(call);
  const method = call.method && call.method !== 'GET' ? `${call.method} ` : '';
  const extras = [
    call.clientIp ? `client address ${call.clientIp}` : '',
    call.clientCert ? `client certificate ${call.clientCert}` : '',
    call.sni ? `SNI ${call.sni}` : '',
  ].filter(Boolean);
  return `${method}${p}${call.jwt ? ` with the ${call.jwt} token` : ''}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

/** Why the caller's own proxy answered the call itself (no route, a TLS handshake failed ...), if it did. */
function localReason(ctx: GradeContext, call: SecureCall): string | undefined {
  try {
    const r = routeRequest(ctx.snapshot, {
      to: call.to,
      ...(call.path ? { path: call.path } : {}),
      ...(call.method ? { method: call.method } : {}),
      ...(call.from ? { from: call.from } : {}),
      ...(call.sni ? { sni: call.sni } : {}),
      ...(call.clientCert ? { clientCert: call.clientCert } : {}),
      namespace: ctx.namespace,
    });
    return r.outcome === 'route' ? undefined : r.reason;
  } catch {
    return undefined;
  }
}

/**
 * Every call gets what it should. The reason lists the calls that went wrong with what
 * they got and the security layer's decision (which policy, which mode), else all of them.
 */
export function expectCalls(ctx: GradeContext, calls: readonly SecureCall[]): CheckResult {
  const wrong: string[] = [];
  const right: string[] = [];
  for (const call of calls) {
    const result = run(ctx, callProbe(call));
    const got = outcomeOf(result);
    const line = describeCall(call);
    if (got === call.want) {
      right.push(`${line}: ${WANT_TEXT[String(call.want)]}`);
      continue;
    }
    const service = targetService(call.to);
    // the decision at the called service's pods, not at the services its app calls in turn
    const at = (d: string) =>
      d.includes(`${service}-`) || (call.from === 'ingress' && d.includes('ingressgateway'));
    const decision = result.summary.security?.find((d) => at(d.decision))?.decision ?? localReason(ctx, call);
    wrong.push(
      `${line}: got ${describeStatuses(result)} (${decision ?? `nothing at ${call.from === 'ingress' ? 'the ingress gateway' : service} refused or denied it`}), expected ${WANT_TEXT[String(call.want)]}`,
    );
  }
  if (wrong.length === 0) return { pass: true, reason: right.join('; ') };
  const findings = securityFindings(ctx);
  return {
    pass: false,
    reason: wrong.join('; '),
    ...(findings.length > 0 ? { findings, codes: [...new Set(findings.map((f) => f.code))] } : {}),
  };
}

/**
 * The mTLS mode a workload in a namespace without policies of its own would get: what
 * the mesh-wide PeerAuthentication (root namespace, no selector) sets, PERMISSIVE without one.
 * It stands for every namespace the lab's model has no workload in.
 */
export function meshWideMtls(ctx: GradeContext): { mode: string; by: string } {
  const policies = new SecurityPolicies(ctx.snapshot);
  // a namespace name no resource can have (not a DNS label), so only mesh-wide policies apply
  const d = policies.forWorkload('_any_other_namespace_', { app: '_new_workload_' }).mtls(80);
  return { mode: d.mode, by: d.by };
}

/** Mesh-wide STRICT: a new workload in any namespace accepts only mTLS. */
export function expectMeshWideStrict(ctx: GradeContext): CheckResult {
  const d = meshWideMtls(ctx);
  if (d.mode === 'STRICT')
    return { pass: true, reason: `a workload in any other namespace accepts only mTLS (${d.by})` };
  const findings = securityFindings(ctx);
  return {
    pass: false,
    reason: `a workload in a namespace without its own policy would be ${d.mode} (${d.by}): mesh-wide STRICT is a PeerAuthentication in ${ROOT_NAMESPACE} without a selector`,
    ...(findings.length > 0 ? { findings, codes: [...new Set(findings.map((f) => f.code))] } : {}),
  };
}

/**
 * The mTLS mode the sidecars of `service`'s pods (namespace `namespace`) enforce on a
 * target port is one of `modes`.
 */
export function expectServerMtls(
  ctx: GradeContext,
  service: string,
  port: number,
  modes: readonly string[],
  namespace = ctx.namespace,
): CheckResult {
  const policies = new SecurityPolicies(ctx.snapshot);
  const pods = ctx.snapshot.workloadsMatching({ app: service }).filter((w) => w.namespace === namespace);
  if (pods.length === 0) return { pass: false, reason: `no ${service} pods in ${namespace}` };
  const off = pods
    .map((w) => ({ w, d: policies.forWorkload(w.namespace, w.labels).mtls(port) }))
    .filter(({ d }) => !modes.includes(d.mode));
  const want = modes.join(' or ');
  if (off.length === 0) {
    const d = policies.forWorkload(namespace, pods[0]!.labels).mtls(port);
    return { pass: true, reason: `${service} port ${port} is ${d.mode} (${d.by})` };
  }
  const findings = securityFindings(ctx);
  return {
    pass: false,
    reason: off
      .map(({ w, d }) => `${w.name} port ${port} is ${d.mode} (${d.by}), expected ${want}`)
      .join('; '),
    ...(findings.length > 0 ? { findings, codes: [...new Set(findings.map((f) => f.code))] } : {}),
  };
}
