// RequestAuthentication (VAL ValidateRequestAuthentication): each jwtRule has an
// issuer (or jwksUri), a parseable jwks/jwksUri, non-empty token locations.
import { durationSyntaxHint, parseDurationNs } from '../../../../config/duration.ts';
import type { Rule } from '../../../rule.ts';
import { reporter } from '../../shared/report.ts';
import { checkPolicyTarget } from './policy-target.ts';

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const requestAuthentications: Rule = {
  name: 'validation.request-authentication',
  description:
    'RequestAuthentication selector and jwtRules (issuer or jwksUri, a valid jwks or jwksUri, token locations, claim headers, timeout) as the webhook checks them.',
  reads: ['RequestAuthentication'],
  codes: ['IST0106', 'IST0133'],
  run(ctx) {
    for (const ra of ctx.snapshot.requestAuthentications) {
      const report = reporter(ctx, ra);
      checkPolicyTarget(report, ra.spec);
      (ra.spec.jwtRules ?? []).forEach((rule, i) => {
        const at = ['spec', 'jwtRules', i];
        if ((rule.audiences ?? []).some((a) => a === ''))
          report([...at, 'audiences'], 'ra.audience-empty', { rule: i });
        if (!rule.issuer && !rule.jwksUri) report(at, 'ra.issuer-missing', { rule: i });
        if (rule.jwksUri) {
          const reason = jwksUriProblem(rule.jwksUri);
          if (reason) report([...at, 'jwksUri'], 'ra.jwks-uri', { value: rule.jwksUri, reason });
        }
        if (rule.jwks) {
          const reason = jwksProblem(rule.jwks);
          if (reason) report([...at, 'jwks'], 'ra.jwks', { reason });
        }
        (rule.fromHeaders ?? []).forEach((h, k) => {
          if (!h.name)
            report([...at, 'fromHeaders', k], 'ra.location-empty', { field: `fromHeaders[${k}].name` });
        });
        (rule.fromParams ?? []).forEach((p, k) => {
          if (!p) report([...at, 'fromParams', k], 'ra.location-empty', { field: `fromParams[${k}]` });
        });
        (rule.fromCookies ?? []).forEach((c, k) => {
          if (!c) report([...at, 'fromCookies', k], 'ra.location-empty', { field: `fromCookies[${k}]` });
        });
        (rule.outputClaimToHeaders ?? []).forEach((o, k) => {
          const field = `outputClaimToHeaders[${k}]`;
          if (!o.claim || !o.header)
            report([...at, 'outputClaimToHeaders', k], 'ra.claim-header', {
              field,
              reason: 'header and claim must both be non-empty',
            });
          else if (!HEADER_NAME.test(o.header))
            report([...at, 'outputClaimToHeaders', k, 'header'], 'ra.claim-header', {
              field,
              reason: `${JSON.stringify(o.header)} is not a valid header name`,
            });
        });
        if (rule.timeout !== undefined && parseDurationNs(rule.timeout) === undefined)
          report([...at, 'timeout'], 'duration.syntax', {
            field: 'timeout',
            value: rule.timeout,
            hint: durationSyntaxHint(rule.timeout),
          });
      });
    }
  },
};

function jwksUriProblem(uri: string): string | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return `URI scheme "${u.protocol.slice(0, -1)}" is not supported`;
  return undefined;
}

function jwksProblem(text: string): string | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.keys)) {
    if (o.keys.some((k) => !k || typeof k !== 'object' || typeof (k as { kty?: unknown }).kty !== 'string'))
      return 'every key needs a "kty"';
    return undefined;
  }
  if (typeof o.kty === 'string') return undefined;
  return 'neither a key set ({"keys": [...]}) nor a key ({"kty": ...})';
}
