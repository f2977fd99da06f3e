// The Go duration parser shared by the validation rules and the simulator.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationSyntaxHint, parseDurationMs, parseDurationNs } from '../../../src/core/config/duration.ts';
import { analyzeText } from '../../helpers/analyze.ts';

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['3s', 3000],
    ['0.5s', 500],
    ['.5s', 500],
    ['1.s', 1000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1m30.5s', 90_500],
    ['1500us', 1.5],
    ['1µs', 0.001],
    ['1μs', 0.001],
    ['10ns', 0.00001],
    ['0', 0],
    ['0s', 0],
    ['+3s', 3000],
    ['-1s', -1000],
  ])('parses %s as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBeCloseTo(ms, 9);
  });

  it.each([
    '',
    '3',
    '1d',
    '3S',
    ' 3s',
    '3s ',
    '3 s',
    's',
    '.s',
    '1.5',
    '1sec',
    '--1s',
    '1e3s',
    '9999999999h',
  ])('rejects %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it('is exact in nanoseconds', () => {
    expect(parseDurationNs('1.000000001s')).toBe(1_000_000_001n);
    expect(parseDurationNs('2562047h47m16.854775807s')).toBe((1n << 63n) - 1n);
    expect(parseDurationNs('2562047h47m16.854775808s')).toBeUndefined();
  });

  it('round-trips whole milliseconds written as "<n>ms"', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), (n) => {
        expect(parseDurationMs(`${n}ms`)).toBe(n);
      }),
    );
  });
});

describe('durationSyntaxHint', () => {
  it('explains the usual mistakes', () => {
    expect(durationSyntaxHint('3')).toContain('unit is required');
    expect(durationSyntaxHint('1d')).toContain('no "d"');
    expect(durationSyntaxHint('3 s')).toContain('without a space');
    expect(durationSyntaxHint('3S')).toContain('lowercase');
    expect(durationSyntaxHint(' 3s')).toContain('spaces');
  });
});

describe('duration findings', () => {
  const vs = (field: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings, namespace: default}
spec:
  hosts: [ratings]
  http:
  - route:
    - destination: {host: ratings}
    ${field}
`;

  it('points at the field and quotes the value', () => {
    const { findings } = analyzeText(vs('timeout: 1d'));
    const f = findings.find((x) => x.code === 'IST0106');
    expect(f?.path).toBe('spec.http[0].timeout');
    expect(f?.message).toContain('timeout "1d" is not a duration');
    expect(f?.message).toContain('"24h"');
    expect(f?.line).toBe(10);
  });

  it('rejects 0s and sub-millisecond values but not whole milliseconds', () => {
    expect(analyzeText(vs('timeout: 0s')).findings.map((f) => f.message)).toEqual([
      'Schema validation error: timeout "0s" is below the minimum of 1ms',
    ]);
    expect(analyzeText(vs('timeout: 1500us')).findings[0]?.message).toContain('whole number of milliseconds');
    expect(analyzeText(vs('timeout: 1ms')).findings).toEqual([]);
  });

  it('allows a DestinationRule tcp.idleTimeout of 0s only', () => {
    const dr = (tcp: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  trafficPolicy:
    connectionPool:
      tcp: ${tcp}
`;
    expect(analyzeText(dr('{idleTimeout: 0s}')).findings).toEqual([]);
    const f = analyzeText(dr('{connectTimeout: 0s}')).findings;
    expect(f.map((x) => x.path)).toEqual(['spec.trafficPolicy.connectionPool.tcp.connectTimeout']);
  });
});
