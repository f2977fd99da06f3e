// credentialName Secrets as istiod reads them: which keys, which certificate, when.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { credentialProblem } from '../../src/core/analysis/rules/networking/gateway-credential.ts';
import type { Resource } from '../../src/core/config/resource.ts';

const fixture = readFileSync(
  new URL('../fixtures/istio-parity/gw-secrets-validation.yaml', import.meta.url),
  'utf8',
);
// the valid certificate of the parity fixture (stringData, indented four spaces)
const validPem = /tls\.crt: \|\n((?: {4}.*\n)+)/.exec(fixture)![1]!.replace(/^ {4}/gm, '');

function secret(raw: Record<string, unknown>, origin: Resource['origin'] = { file: 's.yaml' }): Resource {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    name: 's',
    namespace: 'istio-system',
    labels: {},
    spec: {},
    raw,
    origin,
    locate: () => ({}),
  };
}

describe('gateway credential Secrets', () => {
  it('accepts tls.crt/tls.key and cert/key with a certificate valid now', () => {
    expect(
      credentialProblem(secret({ stringData: { 'tls.crt': validPem, 'tls.key': 'k' } })),
    ).toBeUndefined();
    const b64 = Buffer.from(validPem).toString('base64');
    expect(credentialProblem(secret({ data: { cert: b64, key: 'aw==' } }))).toBeUndefined();
  });
  it('names what is wrong: empty keys, a broken certificate, one not yet valid', () => {
    expect(credentialProblem(secret({ data: { 'tls.crt': '', 'tls.key': '' } }))).toMatch(
      /found: tls.crt, tls.key/,
    );
    const broken = validPem.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAA');
    expect(credentialProblem(secret({ stringData: { 'tls.crt': broken, 'tls.key': 'k' } }))).toBe(
      'its certificate does not parse',
    );
    expect(
      credentialProblem(
        secret({ stringData: { 'tls.crt': validPem, 'tls.key': 'k' } }),
        new Date('2000-01-01'),
      ),
    ).toMatch(/not valid before/);
  });
  it('does not judge a Secret read from a cluster (metadata only, no data)', () => {
    expect(credentialProblem(secret({ metadata: { name: 's' } }, { cluster: 'kind-ica' }))).toBeUndefined();
    expect(credentialProblem(secret({ metadata: { name: 's' } }))).toBe('it has no data');
  });
});
