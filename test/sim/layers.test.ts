// The layer seam: a layer registered in HOP_LAYERS decides a hop before the
// application sees it, and the caller gets what the caller's proxy would return.
import { afterEach, describe, expect, it } from 'vitest';
import { HOP_LAYERS, type LayerFactory } from '../../src/core/sim/layers.ts';
import { run, statusPercent } from './helpers.ts';

const added: LayerFactory[] = [];
function register(f: LayerFactory): void {
  HOP_LAYERS.push(f);
  added.push(f);
}

afterEach(() => {
  for (const f of added.splice(0)) HOP_LAYERS.splice(HOP_LAYERS.indexOf(f), 1);
});

describe('hop layers', () => {
  it('with no layer the application answers', () => {
    const { summary } = run('', { to: 'ratings', requests: 50 });
    expect(statusPercent(summary, 200)).toBe(100);
  });

  it('a layer that answers 403 for one service keeps the others untouched', () => {
    register(() => ({
      name: 'deny-ratings',
      hop: (h) => (h.cluster.service === 'ratings' ? { kind: 'reply', status: 403, reason: 'test' } : null),
    }));
    expect(statusPercent(run('', { to: 'ratings', requests: 50 }).summary, 403)).toBe(100);
    expect(statusPercent(run('', { to: 'details', requests: 50 }).summary, 200)).toBe(100);
  });

  it('a reset becomes 503 UC at the caller, a refused connection 503 UF (after the default retries)', () => {
    let connect = false;
    register(() => ({
      name: 'reset-reviews',
      hop: (h) => (h.cluster.service === 'reviews' ? { kind: 'reset', connect, reason: 'test' } : null),
    }));
    expect(statusPercent(run('', { to: 'reviews', requests: 100 }).summary, 503, 'UC')).toBe(100);
    connect = true;
    const { summary } = run('', { to: 'reviews', requests: 100 });
    expect(statusPercent(summary, 503, 'UF,URX')).toBe(100);
  });

  it('a factory returning null adds no layer', () => {
    register(() => null);
    expect(statusPercent(run('', { to: 'ratings', requests: 20 }).summary, 200)).toBe(100);
  });
});
