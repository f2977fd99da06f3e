// retryOn, RE2 and host-name checks: the field path and the quoted bad value.
import { describe, expect, it } from 'vitest';
import { retryOnItemProblem } from '../../../src/core/analysis/rules/networking/validation/retries.ts';
import {
  headerNameProblem,
  regexProblem,
} from '../../../src/core/analysis/rules/networking/validation/string-match.ts';
import {
  hostSubsetOf,
  hostsMatch,
  wildcardDomainProblem,
} from '../../../src/core/analysis/rules/shared/dns.ts';
import { analyzeText } from '../../helpers/analyze.ts';

const reviewsVs = (http: string, hosts = '[reviews]') => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: ${hosts}
  http:
${http}`;

function schemaFindings(yaml: string) {
  return analyzeText(yaml).findings.filter((f) => f.code === 'IST0106' || f.code === 'IST0133');
}

describe('retryOn', () => {
  it('accepts policies and HTTP status codes', () => {
    for (const item of [
      '5xx',
      'gateway-error',
      'reset-before-request',
      'retriable-4xx',
      'unavailable',
      '503',
      '429',
    ]) {
      expect(retryOnItemProblem(item), item).toBeUndefined();
    }
  });

  it('rejects untrimmed, empty, unknown and non-status items', () => {
    expect(retryOnItemProblem(' reset')).toContain('without trimming spaces');
    expect(retryOnItemProblem('')).toContain('stray comma');
    expect(retryOnItemProblem('599')).toContain('not an HTTP status code');
    expect(retryOnItemProblem('gateway-errors')).toContain('did you mean "gateway-error"');
    expect(retryOnItemProblem('5XX')).toContain('lowercase');
  });

  it('reports each bad item at retries.retryOn, quoting it', () => {
    const findings = schemaFindings(
      reviewsVs(`  - route:
    - destination: {host: reviews}
    retries:
      attempts: 2
      retryOn: "5xx, reset,connect-failure,"
`),
    );
    expect(findings.map((f) => f.path)).toEqual([
      'spec.http[0].retries.retryOn',
      'spec.http[0].retries.retryOn',
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'Schema validation error: retryOn item " reset" is not a known retry policy: items are split on "," without trimming spaces, so remove the spaces',
      'Schema validation error: retryOn item "" is empty: remove the stray comma',
    ]);
    expect(findings[0]?.fix).toContain('no spaces');
  });

  it('rejects retry settings while attempts is 0 or missing', () => {
    const missing = schemaFindings(
      reviewsVs(`  - route:
    - destination: {host: reviews}
    retries: {perTryTimeout: 2s}
`),
    );
    expect(missing.map((f) => [f.path, f.message])).toEqual([
      [
        'spec.http[0].retries',
        'Schema validation error: retries sets perTryTimeout while attempts is missing (so 0): attempts 0 disables retries, so no other retry setting is allowed',
      ],
    ]);
  });
});

describe('RE2 regexes', () => {
  it('accepts RE2 syntax', () => {
    for (const re of [
      '/api/v[0-9]+/.*',
      '^(alice|bob)$',
      '(?i)jason',
      '\\d{3}',
      '[[:alpha:]]+',
      '(?P<id>\\d+)',
    ]) {
      expect(regexProblem(re), re).toBeUndefined();
    }
  });

  it('rejects lookarounds and backreferences with a hint', () => {
    expect(regexProblem('foo(?=bar)')).toEqual({
      error: 'invalid or unsupported Perl syntax: `(?=`',
      hint: 'lookahead and lookbehind are not supported',
    });
    expect(regexProblem('(?<!x)y')?.hint).toBe('lookahead and lookbehind are not supported');
    expect(regexProblem('(a)\\1')?.hint).toBe('backreferences are not supported');
    expect(regexProblem('a{2,1}')?.error).toContain('invalid repeat count');
  });

  it('reports the regex field and quotes the regex', () => {
    const findings = schemaFindings(
      reviewsVs(`  - match:
    - uri: {regex: "/reviews/(?!admin).*"}
    route:
    - destination: {host: reviews}
  - route:
    - destination: {host: reviews}
`),
    );
    expect(findings.map((f) => f.path)).toEqual(['spec.http[0].match[0].uri.regex']);
    expect(findings[0]?.message).toContain('uri regex "/reviews/(?!admin).*" is not valid RE2');
    expect(findings[0]?.fix).toContain('RE2');
  });

  it('allows withoutHeaders regex "*" (presence) and an empty uri prefix', () => {
    const findings = schemaFindings(
      reviewsVs(`  - match:
    - uri: {prefix: ""}
      withoutHeaders:
        end-user: {regex: "*"}
    route:
    - destination: {host: reviews}
  - route:
    - destination: {host: reviews}
`),
    );
    expect(findings).toEqual([]);
  });

  it('classifies header names', () => {
    expect(headerNameProblem('end-user')).toBeUndefined();
    expect(headerNameProblem(':authority')).toBeUndefined();
    expect(headerNameProblem('@request.auth.claims.group')).toBeUndefined();
    expect(headerNameProblem('End-User')).toBe('uppercase');
    expect(headerNameProblem('end user')).toBe('invalid');
    expect(headerNameProblem('x:y')).toBe('invalid');
  });
});

describe('host names', () => {
  it('accepts DNS names, short names and a leading wildcard', () => {
    for (const h of [
      'reviews',
      'reviews.default.svc.cluster.local',
      '*.example.com',
      '*',
      'istio.io.',
      'Reviews',
    ]) {
      expect(wildcardDomainProblem(h), h).toBeUndefined();
    }
  });

  it('rejects bad labels, inner wildcards, numeric TLDs and long names', () => {
    expect(wildcardDomainProblem('reviews_v2')).toContain('label "reviews_v2" is invalid');
    expect(wildcardDomainProblem('api.*.example.com')).toContain('whole first label');
    expect(wildcardDomainProblem('reviews.123')).toContain('cannot be all digits');
    expect(wildcardDomainProblem('a..b')).toContain('empty label');
    expect(wildcardDomainProblem(`${'a'.repeat(64)}.com`)).toContain('longer than 63');
    expect(wildcardDomainProblem(`${'a.'.repeat(128)}com`)).toContain('at most 255');
    expect(wildcardDomainProblem('')).toBe('it is empty');
  });

  it('matches and subsets wildcards like Istio', () => {
    expect(hostsMatch('*.example.com', 'api.example.com')).toBe(true);
    expect(hostsMatch('*.example.com', 'example.com')).toBe(false);
    expect(hostsMatch('*', 'anything.io')).toBe(true);
    expect(hostSubsetOf('api.example.com', '*.example.com')).toBe(true);
    expect(hostSubsetOf('*.example.com', 'api.example.com')).toBe(false);
  });

  it('reports VirtualService host problems at spec.hosts[i], quoting the host', () => {
    const findings = schemaFindings(
      reviewsVs(
        `  - route:
    - destination: {host: reviews}
`,
        '[reviews, reviews_v2, 10.0.0.1, reviews]',
      ),
    );
    expect(findings.map((f) => [f.path, f.message])).toEqual([
      [
        'spec.hosts[1]',
        'Schema validation error: host "reviews_v2" is not a valid host name: label "reviews_v2" is invalid: labels use letters, digits and "-", start and end with a letter or digit, at most 63 characters',
      ],
    ]);
  });

  it('reports "*" on a mesh-bound VirtualService and duplicate hosts', () => {
    const star = schemaFindings(reviewsVs('  - route:\n    - destination: {host: reviews}\n', '["*"]'));
    expect(star.map((f) => f.path)).toEqual(['spec.hosts[0]']);
    expect(star[0]?.message).toContain('host "*" is not allowed');
    const dup = schemaFindings(
      reviewsVs('  - route:\n    - destination: {host: reviews}\n', '[reviews, reviews]'),
    );
    expect(dup.map((f) => [f.path, f.message])).toEqual([
      ['spec.hosts[1]', 'Schema validation error: host "reviews" is listed twice'],
    ]);
  });

  it('rejects short Gateway hosts at the host entry', () => {
    const findings = schemaFindings(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: [bookinfo]
`);
    expect(findings.map((f) => [f.path, f.message])).toEqual([
      [
        'spec.servers[0].hosts[0]',
        'Schema validation error: server host "bookinfo" is a short name: Gateway hosts must contain a "." or be "*"',
      ],
    ]);
  });
});
