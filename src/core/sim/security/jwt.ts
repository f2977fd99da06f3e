// JWT checks of a RequestAuthentication as Envoy's jwt_authn filter does them
// for Istio: a token found in a rule's locations (default: Authorization:
// Bearer, or the access_token parameter) must be issued by a rule's issuer,
// carry a valid signature from its keys, be within exp/nbf and name one of the
// rule's audiences; otherwise 401. A request without a token passes with no
// request principal. Tokens are parsed with jose; signatures are checked with
// node:crypto, synchronously (the simulator is), and each token once per mesh.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { JwtRule } from '../../config/schemas/index.ts';
import { ISTIO_SAMPLE_JWKS, ISTIO_SAMPLE_JWKS_URI } from './samples.ts';

export type JwtOutcome =
  | { kind: 'none' }
  | { kind: 'valid'; principal: string; claims: Record<string, unknown> }
  | { kind: 'invalid'; reason: string };

interface Jwk {
  kty: string;
  kid?: string;
  alg?: string;
  [k: string]: unknown;
}

const ALGS: Record<string, { hash: string; ec?: boolean; pss?: boolean }> = {
  RS256: { hash: 'sha256' },
  RS384: { hash: 'sha384' },
  RS512: { hash: 'sha512' },
  PS256: { hash: 'sha256', pss: true },
  PS384: { hash: 'sha384', pss: true },
  PS512: { hash: 'sha512', pss: true },
  ES256: { hash: 'sha256', ec: true },
  ES384: { hash: 'sha384', ec: true },
  ES512: { hash: 'sha512', ec: true },
};

/** The keys of a rule: inline jwks, or a jwksUri the trainer knows offline (Istio's sample). */
export function ruleKeys(rule: JwtRule): { keys: Jwk[]; note?: string } {
  if (rule.jwks) {
    try {
      const v = JSON.parse(rule.jwks) as { keys?: Jwk[]; kty?: string };
      return { keys: Array.isArray(v.keys) ? v.keys : v.kty ? [v as Jwk] : [] };
    } catch {
      return { keys: [], note: 'jwks is not JSON' };
    }
  }
  if (rule.jwksUri && ISTIO_SAMPLE_JWKS_URI.test(rule.jwksUri)) return { keys: ISTIO_SAMPLE_JWKS.keys };
  return {
    keys: [],
    note: `the simulator cannot fetch ${rule.jwksUri ?? 'the keys'} (only inline jwks and Istio's sample jwksUri are known offline)`,
  };
}

/** The token a request carries for these rules, if any. */
export function findToken(
  rules: readonly JwtRule[],
  headers: Record<string, string>,
  params: () => Record<string, string>,
): string | undefined {
  for (const rule of rules) {
    const custom = (rule.fromHeaders?.length ?? 0) > 0 || (rule.fromParams?.length ?? 0) > 0;
    for (const h of rule.fromHeaders ?? []) {
      const v = headers[(h.name ?? '').toLowerCase()];
      if (v === undefined) continue;
      const prefix = h.prefix ?? '';
      if (v.startsWith(prefix)) return v.slice(prefix.length).trim();
    }
    for (const p of rule.fromParams ?? []) {
      const v = params()[p];
      if (v) return v;
    }
    if (!custom) {
      const auth = headers.authorization;
      if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
      const v = params().access_token;
      if (v) return v;
    }
  }
  return undefined;
}

/** Checks a token against the rules at time `nowSec`. */
export function checkToken(token: string, rules: readonly JwtRule[], nowSec: number): JwtOutcome {
  let claims: Record<string, unknown>;
  let alg: string;
  let kid: string | undefined;
  try {
    claims = decodeJwt(token) as Record<string, unknown>;
    const header = decodeProtectedHeader(token);
    alg = String(header.alg ?? '');
    kid = header.kid;
  } catch {
    return { kind: 'invalid', reason: 'Jwt is not in the form of Header.Payload.Signature' };
  }
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  const rule = rules.find((r) => r.issuer === iss || (!r.issuer && r.jwksUri));
  if (!rule) return { kind: 'invalid', reason: `Jwt issuer is not configured (iss ${JSON.stringify(iss)})` };
  const { keys, note } = ruleKeys(rule);
  const spec = ALGS[alg];
  if (!spec) return { kind: 'invalid', reason: `Jwt verification fails (algorithm ${alg} not supported)` };
  const [h, p, s] = token.split('.');
  const data = Buffer.from(`${h}.${p}`);
  const sig = Buffer.from(s ?? '', 'base64url');
  const candidates = keys.filter((k) => !kid || !k.kid || k.kid === kid);
  const ok = candidates.some((jwk) => {
    const key = publicKey(jwk);
    if (!key) return false;
    const opts = spec.ec
      ? { key, dsaEncoding: 'ieee-p1363' as const }
      : spec.pss
        ? { key, padding: 6, saltLength: 32 }
        : key;
    try {
      return verify(spec.hash, data, opts, sig);
    } catch {
      return false;
    }
  });
  if (!ok) return { kind: 'invalid', reason: `Jwt verification fails${note ? ` (${note})` : ''}` };
  if (typeof claims.exp === 'number' && claims.exp <= nowSec)
    return { kind: 'invalid', reason: 'Jwt is expired' };
  if (typeof claims.nbf === 'number' && claims.nbf > nowSec)
    return { kind: 'invalid', reason: 'Jwt not yet valid' };
  if (rule.audiences && rule.audiences.length > 0) {
    const aud = Array.isArray(claims.aud)
      ? claims.aud.map(String)
      : claims.aud === undefined
        ? []
        : [String(claims.aud)];
    if (!aud.some((a) => rule.audiences?.includes(a)))
      return { kind: 'invalid', reason: 'Audiences in Jwt are not allowed' };
  }
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  return { kind: 'valid', principal: `${iss}/${sub}`, claims };
}

const keyCache = new WeakMap<Jwk, KeyObject | null>();

function publicKey(jwk: Jwk): KeyObject | null {
  let k = keyCache.get(jwk);
  if (k === undefined) {
    try {
      k = createPublicKey({ key: jwk as never, format: 'jwk' });
    } catch {
      k = null;
    }
    keyCache.set(jwk, k);
  }
  return k;
}
