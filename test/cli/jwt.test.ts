// `ica-trainer jwt mint` and `jwt jwks`, run as a user would: the tokens carry the
// claims asked for, and a RequestAuthentication trusting `jwt jwks` accepts them in
// the simulator (200), rejects an expired or wrongly addressed one (401), and an
// AuthorizationPolicy on the request principal and a claim tells callers apart (403).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

/** stderr's lines (runCli sets no FORCE_COLOR, so Node adds no warning of its own) */
const ours = (text: string): string =>
  text
    .split('\n')
    .filter((l) => l)
    .join('\n');

function mint(...args: string[]): string {
  const r = runCli(['jwt', 'mint', ...args]);
  expect(ours(r.stderr)).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

describe('jwt mint', () => {
  it('writes the token alone, with the claims asked for, signed with the key jwt jwks prints', () => {
    const token = mint(
      '--sub',
      'alice',
      '--aud',
      'bookinfo',
      '--groups',
      'admins,dev',
      '--claim',
      'role=reviewer',
      '--claim',
      'level=3',
    );
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = decodeJwt(token);
    const now = Math.floor(Date.now() / 1000);
    expect(claims).toMatchObject({
      iss: 'trainer@ica-trainer.local',
      sub: 'alice',
      aud: 'bookinfo',
      groups: ['admins', 'dev'],
      role: 'reviewer',
      level: 3,
    });
    expect(claims.exp).toBe((claims.iat ?? 0) + 3600);
    expect(Math.abs((claims.iat ?? 0) - now)).toBeLessThan(60);
    const jwks = JSON.parse(runCli(['jwt', 'jwks']).stdout) as { keys: { kid: string }[] };
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: jwks.keys[0]?.kid, typ: 'JWT' });
  });

  it('-o json gives the token, header and claims; --exp never leaves exp out; several --aud make a list', () => {
    const r = runCli([
      'jwt',
      'mint',
      '--iss',
      'me@example.com',
      '--aud',
      'a',
      '--aud',
      'b',
      '--exp',
      'never',
      '-o',
      'json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { token: string; claims: Record<string, unknown> };
    expect(out.claims).toEqual({
      iss: 'me@example.com',
      sub: 'me@example.com',
      aud: ['a', 'b'],
      iat: expect.any(Number),
    });
    expect(decodeJwt(out.token)).toEqual(out.claims);
  });

  it('bad option values are one line on stderr and exit 2', () => {
    for (const [args, message] of [
      [
        ['--claim', 'role'],
        'ica-trainer: --claim "role": write NAME=VALUE, e.g. role=admin or scope=\'["read","write"]\'',
      ],
      [['--claim', 'iss=x'], 'ica-trainer: --claim "iss=x": iss has its own option: --iss'],
      [
        ['--exp', 'soon'],
        'ica-trainer: --exp "soon": give a duration from now (30m, 1h, 7d; -5m for an expired token), a Unix time in seconds, or "never"',
      ],
      [['--iss', ''], 'ica-trainer: --iss: must not be empty'],
    ] as const) {
      const r = runCli(['jwt', 'mint', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(ours(r.stderr)).toBe(message);
    }
  });

  it('--help documents the options and how to trust the tokens', () => {
    const r = runCli(['jwt', 'mint', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--iss', '--sub', '--aud', '--groups', '--exp', '--claim', '--output'])
      expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('ica-trainer jwt jwks');
  });

  describe('through the simulator, with a RequestAuthentication that trusts jwt jwks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ica-jwt-'));
    const jwks = runCli(['jwt', 'jwks']).stdout.trim();
    writeFileSync(
      join(dir, 'policy.yaml'),
      `apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: default}
spec:
  selector: {matchLabels: {app: productpage}}
  jwtRules:
  - issuer: trainer@ica-trainer.local
    audiences: [bookinfo]
    jwks: '${jwks}'
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: admins-only, namespace: default}
spec:
  selector: {matchLabels: {app: productpage}}
  rules:
  - from: [{source: {requestPrincipals: ["trainer@ica-trainer.local/*"]}}]
    when: [{key: "request.auth.claims[groups]", values: [admins]}]
`,
    );
    const status = (token: string): string => {
      const r = runCli([
        'simulate',
        dir,
        '--to',
        'productpage',
        '--path',
        '/productpage',
        '--requests',
        '3',
        '-H',
        `Authorization=Bearer ${token}`,
        '-o',
        'json',
      ]);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { statuses: { status: number }[] };
      return out.statuses.map((s) => s.status).join(',');
    };

    it('a token of the admins group is allowed, another group is denied', () => {
      expect(status(mint('--sub', 'alice', '--aud', 'bookinfo', '--groups', 'admins'))).toBe('200');
      expect(status(mint('--sub', 'bob', '--aud', 'bookinfo', '--groups', 'dev'))).toBe('403');
    });

    it('an expired token, or one for another audience or issuer, is rejected with 401', () => {
      expect(status(mint('--sub', 'alice', '--aud', 'bookinfo', '--groups', 'admins', '--exp', '-5m'))).toBe(
        '401',
      );
      expect(status(mint('--sub', 'alice', '--aud', 'shop', '--groups', 'admins'))).toBe('401');
      expect(status(mint('--iss', 'someone@else', '--aud', 'bookinfo', '--groups', 'admins'))).toBe('401');
    });
  });
});
