// A resource the API server would refuse is never simulated as applied: a schema
// error (an unquoted `exact: true` is a boolean, not a string), an unknown field, or
// a webhook rejection found by the analyzer. The analyzer still reports on it.
import { describe, expect, it } from 'vitest';
import { routeRequest, simulate } from '../../src/core/sim/index.ts';
import { analyzeText } from '../helpers/analyze.ts';
import { snapshotOf, versionPercent } from './helpers.ts';
import { reviewsVs, routeTo } from './yaml.ts';

const canary = (value: string) =>
  reviewsVs(`  - match:
    - headers:
        x-canary: {exact: ${value}}
${routeTo('reviews', 'v3').replace('  - route:', '    route:')}${routeTo('reviews', 'v1')}`);

describe('resources the API server would refuse', () => {
  it('a VirtualService with an unquoted exact: true is not routed by at all', () => {
    const snap = snapshotOf(canary('true'));
    const r = routeRequest(snap, { to: 'reviews', headers: { 'x-canary': 'true' } });
    expect(r.virtualService).toBeUndefined();
    const sim = simulate(snap, { to: 'reviews', headers: { 'x-canary': 'true' }, requests: 300 });
    expect(versionPercent(sim.summary, 'reviews', 'v3')).toBeLessThan(50);
    expect(sim.summary.notes).toEqual([
      'not applied, the API server would refuse it: VirtualService default/reviews',
    ]);
  });

  it('the same VirtualService quoted is applied and routes the header', () => {
    const snap = snapshotOf(canary('"true"'));
    const sim = simulate(snap, { to: 'reviews', headers: { 'x-canary': 'true' }, requests: 100 });
    expect(versionPercent(sim.summary, 'reviews', 'v3')).toBe(100);
    expect(sim.summary.notes).toBeUndefined();
  });

  it('the analyzer still reports the refused resource (IST0106) and marks it not applied', () => {
    const { findings, snapshot } = analyzeText(canary('true'));
    expect(findings.filter((f) => f.code === 'IST0106').map((f) => f.origin)).toEqual([
      'VirtualService default/reviews',
    ]);
    expect(snapshot.virtualServices.map((v) => v.name)).toEqual(['reviews']);
    expect(snapshot.applied().virtualServices).toEqual([]);
  });

  it('a webhook rejection the analyzer finds (a negative weight) also keeps the resource out', () => {
    const { findings, snapshot } = analyzeText(reviewsVs(routeTo('reviews', ['v1', -10], ['v3', 50])));
    expect(findings.some((f) => f.code === 'IST0106' && f.origin === 'VirtualService default/reviews')).toBe(
      true,
    );
    expect(snapshot.applied().virtualServices).toEqual([]);
    expect(routeRequest(snapshot, { to: 'reviews' }).virtualService).toBeUndefined();
  });

  it('a snapshot with nothing refused is its own applied view', () => {
    const snap = snapshotOf(canary('"true"'));
    expect(snap.applied()).toBe(snap);
  });
});
