// Minting JWTs for labs with the trainer's test key (trainer-key.ts): RS256, the
// key's kid in the header, iat now, and the claims asked for. The simulator
// verifies them against a RequestAuthentication whose inline `jwks` is the
// trainer's (TRAINER_JWKS); on a cluster, Envoy does the same with that `jwks`.
import { createPrivateKey, sign } from 'node:crypto';
import { UserFacingError } from '../../errors.ts';
import { TRAINER_ISSUER, TRAINER_PRIVATE_JWK } from './trainer-key.ts';

export class MintError extends UserFacingError {}

export interface MintOptions {
  iss?: string;
  sub?: string;
  /** one audience is written as a string, several as a list */
  aud?: readonly string[];
  groups?: readonly string[];
  /** when it expires: a duration from now (1h, 30m, 7d, -5m for an expired token), a Unix time, or "never" */
  exp?: string;
  /** extra claims, NAME=VALUE; VALUE is read as JSON when it parses (numbers, lists), else as text */
  claims?: readonly string[];
  /** seconds since the epoch (default: now) */
  now?: number;
}

export interface Minted {
  token: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
/** Claims with an option of their own: --claim may not set them. */
const OWN_OPTIONS: Record<string, string> = {
  iss: '--iss',
  sub: '--sub',
  aud: '--aud',
  groups: '--groups',
  exp: '--exp',
  iat: '(set to now)',
};

/** `1h` → now + 3600; `-5m` → now - 300; `1767225600` → that time; `never` → undefined. */
export function parseExp(value: string, nowSec: number): number | undefined {
  const v = value.trim();
  if (v === 'never') return undefined;
  const d = /^(-?)(\d+)([smhd])$/.exec(v);
  if (d) return nowSec + (d[1] ? -1 : 1) * Number(d[2]) * (UNITS[d[3]!] ?? 1);
  if (/^\d{9,}$/.test(v)) return Number(v);
  throw new MintError(
    `--exp "${value}": give a duration from now (30m, 1h, 7d; -5m for an expired token), a Unix time in seconds, or "never"`,
  );
}

function claimValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The claims a token gets from the options (no signature yet). */
export function claimsFor(options: MintOptions): Record<string, unknown> {
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: options.iss ?? TRAINER_ISSUER,
    sub: options.sub ?? TRAINER_ISSUER,
  };
  const aud = options.aud ?? [];
  if (aud.length === 1) claims.aud = aud[0];
  else if (aud.length > 1) claims.aud = [...aud];
  if (options.groups && options.groups.length > 0) claims.groups = [...options.groups];
  claims.iat = now;
  const exp = parseExp(options.exp ?? '1h', now);
  if (exp !== undefined) claims.exp = exp;
  for (const c of options.claims ?? []) {
    const eq = c.indexOf('=');
    const name = eq > 0 ? c.slice(0, eq).trim() : '';
    if (!name)
      throw new MintError(`--claim "${c}": write NAME=VALUE, e.g. role=admin or scope='["read","write"]'`);
    const own = OWN_OPTIONS[name];
    if (own) throw new MintError(`--claim "${c}": ${name} has its own option: ${own}`);
    claims[name] = claimValue(c.slice(eq + 1));
  }
  for (const [name, value] of [
    ['iss', claims.iss],
    ['sub', claims.sub],
  ] as const) {
    if (typeof value !== 'string' || value === '') throw new MintError(`--${name}: must not be empty`);
  }
  return claims;
}

let key: ReturnType<typeof createPrivateKey> | undefined;

/** A signed token (RS256, the trainer's test key). */
export function mintToken(options: MintOptions = {}): Minted {
  const claims = claimsFor(options);
  const header = { alg: 'RS256', kid: TRAINER_PRIVATE_JWK.kid, typ: 'JWT' };
  key ??= createPrivateKey({ key: { ...TRAINER_PRIVATE_JWK }, format: 'jwk' });
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${part(header)}.${part(claims)}`;
  const signature = sign('sha256', Buffer.from(input), key).toString('base64url');
  return { token: `${input}.${signature}`, header, claims };
}
