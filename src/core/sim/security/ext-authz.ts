// CUSTOM AuthorizationPolicies, as istiod 1.26 builds them
// (pilot/pkg/security/authz/builder/extauthz.go) and Envoy enforces them, before
// DENY and ALLOW:
// - every CUSTOM policy of a workload must name the same provider, one of the mesh
//   config's extensionProviders of type envoyExtAuthzHttp/envoyExtAuthzGrpc whose
//   service is in the registry ("ns/host" or a host in one namespace); otherwise
//   istiod turns their rules into DENY rules (getBadCustomDenyRules, named
//   ...-deny-due-to-bad-CUSTOM-action; Istio 1.20+, before it a deny-all): a request a
//   CUSTOM rule matches gets 403 (a TCP connection is closed), the rest go on;
// - a request that a CUSTOM rule matches is sent to the external authorizer; one
//   that none matches skips it;
// - an HTTP provider is ignored on TCP ports; a gRPC one checks TCP connections too,
//   its rules taken as DENY rules are on TCP (HTTP-only fields dropped, so they widen).
// What the authorizer says cannot be known offline, except for Istio's own sample
// (samples/extauthz, a Service named ext-authz): over HTTP it allows a request whose
// x-ext-authz header is "allow" (if the provider's includeRequestHeadersInCheck
// carries the header to it), else 403 with its own body; over gRPC it reads every
// header, and without x-ext-authz allows a peer whose principal ends in /sa/a.
// For any other authorizer the caller chooses (simulate --ext-authz, allow by default).
import type { AuthzRequest } from '../../config/authz-match.ts';
import { resolveProvider } from '../../config/ext-authz-provider.ts';
import { checkCarries, type ExtAuthzProvider } from '../../config/mesh-security.ts';
import type { AuthorizationPolicy } from '../../config/security-policies.ts';
import type { Snapshot } from '../../config/snapshot.ts';

/** What the external authorizer answers when the trainer cannot know it (simulate --ext-authz). */
export type ExtAuthzAnswer = 'allow' | 'deny';

/** The sample's denial body (samples/extauthz). */
export const SAMPLE_DENY_BODY =
  'denied by ext_authz for not found header `x-ext-authz: allow` in the request';

export type CustomOutcome =
  /** no CUSTOM policy applies, or none of their rules matches: the request goes on to DENY/ALLOW */
  | { kind: 'skip'; note?: string }
  /** the authorizer allowed it: on to DENY/ALLOW */
  | { kind: 'allow'; note: string }
  /** 403 (or the provider's status): from the rules of an unbuildable provider, the authorizer, or a failed check */
  | { kind: 'deny'; status: number; body?: string; reason: string };

const name = (p: AuthorizationPolicy) => `${p.namespace}/${p.name}`;

/**
 * The CUSTOM step of one request at one proxy. `matching` gives the index of a
 * policy's first matching rule (the caller knows HTTP from TCP), -1 for none.
 */
export function customDecision(
  snapshot: Snapshot,
  custom: readonly AuthorizationPolicy[],
  r: AuthzRequest,
  where: string,
  opts: { tcp: boolean; matching: (p: AuthorizationPolicy) => number; answer?: ExtAuthzAnswer },
): CustomOutcome {
  if (custom.length === 0) return { kind: 'skip' };
  const resolved = resolveProvider(snapshot, custom);
  if ('error' in resolved) return badProvider(custom, resolved.error, where, opts);
  const { provider, svc, host } = resolved;
  if (opts.tcp && provider.kind === 'http')
    return {
      kind: 'skip',
      note: `CUSTOM ${custom.map(name).join(', ')} is ignored at ${where} on a TCP port: provider "${provider.name}" is an HTTP authorizer (envoyExtAuthzHttp)`,
    };
  let hit: { p: AuthorizationPolicy; i: number } | undefined;
  for (const p of custom) {
    const i = opts.matching(p);
    if (i >= 0) {
      hit = { p, i };
      break;
    }
  }
  if (!hit) return { kind: 'skip' };
  const matched = `CUSTOM ${name(hit.p)} rules[${hit.i}] matches at ${where}`;
  const target = `provider "${provider.name}" (${provider.kind === 'http' ? 'HTTP' : 'gRPC'}, ${host}:${provider.port})`;
  // the check reaches no port of the authorizer's Service: the call fails
  if (svc && !svc.ports.some((p) => p.port === provider.port)) {
    const why = `${matched}, but ${host} has no port ${provider.port}, so the check to ${target} fails`;
    return provider.failOpen
      ? { kind: 'allow', note: `${why}; failOpen lets the request through` }
      : {
          kind: 'deny',
          status: provider.statusOnError,
          reason: `${why}: ${provider.statusOnError} (statusOnError)`,
        };
  }
  if (svc?.name === 'ext-authz') return sampleDecision(provider, r, matched, target, opts.tcp);
  const answer = opts.answer ?? 'allow';
  if (answer === 'allow')
    return {
      kind: 'allow',
      note: `${matched}: ${target} decides, which the simulation cannot know; it assumes the authorizer allows (simulate --ext-authz deny shows the other answer)`,
    };
  return {
    kind: 'deny',
    status: 403,
    reason: `${matched}: ${target} denies (as simulate --ext-authz deny says; the status and body are the authorizer's own, 403 assumed)`,
  };
}

/**
 * CUSTOM policies istiod cannot build: their rules become DENY rules, so a request one
 * matches is refused without reaching any authorizer; one none matches goes on.
 */
function badProvider(
  custom: readonly AuthorizationPolicy[],
  error: string,
  where: string,
  opts: { tcp: boolean; matching: (p: AuthorizationPolicy) => number },
): CustomOutcome {
  const built = `CUSTOM ${custom.map(name).join(', ')} cannot be built (${error}): istiod turns its rules into DENY rules`;
  for (const p of custom) {
    const i = opts.matching(p);
    if (i < 0) continue;
    return {
      kind: 'deny',
      status: 403,
      body: 'RBAC: access denied',
      reason: `${built}, and rules[${i}] of ${name(p)} matches at ${where} (rbac_access_denied_matched_policy[istio-ext-authz-ns[${p.namespace}]-policy[${p.name}]-rule[${i}]-deny-due-to-bad-CUSTOM-action]${opts.tcp ? ': the connection is closed' : ''})`,
    };
  }
  return {
    kind: 'skip',
    note: `${built}; none matches this ${opts.tcp ? 'connection' : 'request'} at ${where}, so it goes on`,
  };
}

/** Istio's sample authorizer (samples/extauthz), over HTTP or gRPC. */
function sampleDecision(
  provider: ExtAuthzProvider,
  r: AuthzRequest,
  matched: string,
  target: string,
  tcp: boolean,
): CustomOutcome {
  const who = `Istio's sample ext-authz at ${target}`;
  const value = tcp ? undefined : r.headers['x-ext-authz'];
  const carried = value !== undefined && checkCarries(provider, 'x-ext-authz');
  let allowed: boolean;
  let why: string;
  if (provider.kind === 'grpc' && value === undefined) {
    // without the header the gRPC sample allows the service account "a" (its -allow_service_account default)
    allowed = r.principal?.endsWith('/sa/a') ?? false;
    why = `no x-ext-authz header${tcp ? ' (a TCP connection has none)' : ''}; the peer ${r.principal ?? 'has no identity'}${allowed ? ' is' : ' is not'} service account "a", which the sample's gRPC check allows`;
  } else {
    allowed = carried && value === 'allow';
    why =
      value === undefined
        ? 'the request has no x-ext-authz header'
        : !carried
          ? `x-ext-authz is not in the provider's includeRequestHeadersInCheck, so the check does not carry it`
          : `x-ext-authz is "${value}"${allowed ? '' : ', not "allow"'}`;
  }
  if (allowed) return { kind: 'allow', note: `${matched}: ${who} allows (${why})` };
  return { kind: 'deny', status: 403, body: SAMPLE_DENY_BODY, reason: `${matched}: ${who} denies (${why})` };
}
