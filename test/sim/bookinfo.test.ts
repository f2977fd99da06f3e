// The Bookinfo call graph: what /productpage shows.
import { describe, expect, it } from 'vitest';
import { fixture, run, statusPercent } from './helpers.ts';
import * as istio from './yaml.ts';

const pages = (summary: { pages?: { view: string; percent: number }[] }) =>
  Object.fromEntries((summary.pages ?? []).map((p) => [p.view, p.percent]));

describe('/productpage', () => {
  it('shows no, black or red stars depending on the reviews version', () => {
    const { summary, records } = run('', { to: 'productpage', path: '/productpage', requests: 3000 });
    const views = pages(summary);
    for (const v of ['reviews v1, no stars', 'reviews v2, black stars', 'reviews v3, red stars']) {
      expect(Math.abs((views[v] ?? 0) - 33.3)).toBeLessThan(3);
    }
    const stars = Object.fromEntries(records.map((r) => [r.page?.reviewsVersion, r.page?.stars]));
    expect(stars).toEqual({ v1: 'none', v2: 'black', v3: 'red' });
    expect(records.every((r) => r.page?.details === true)).toBe(true);
    // reviews v1 never calls ratings
    const ratings = summary.upstream.find((u) => u.pod === 'ratings-v1-0')?.requests ?? 0;
    const v1 = summary.upstream.find((u) => u.pod === 'reviews-v1-0')?.requests ?? 0;
    expect(ratings).toBe(3000 - v1);
  });

  it('forwards end-user, so reviews routes jason to v2 behind productpage', () => {
    const yaml = fixture('reviews-jason.yaml');
    const jason = run(yaml, {
      to: 'productpage',
      path: '/productpage',
      headers: { 'end-user': 'jason' },
      requests: 200,
    });
    expect(pages(jason.summary)).toEqual({ 'reviews v2, black stars': 100 });
    const guest = run(yaml, { to: 'productpage', path: '/productpage', requests: 200 });
    expect(pages(guest.summary)).toEqual({ 'reviews v1, no stars': 100 });
  });

  it('does not forward headers the application does not propagate', () => {
    const yaml = istio.reviewsVs(`  - match:
    - headers:
        canary: {exact: "true"}
    route:
    - destination: {host: reviews, subset: v3}
  - route:
    - destination: {host: reviews, subset: v1}`);
    const { summary } = run(yaml, {
      to: 'productpage',
      path: '/productpage',
      headers: { canary: 'true' },
      requests: 50,
    });
    expect(pages(summary)).toEqual({ 'reviews v1, no stars': 100 });
  });

  it('a 7 s ratings delay for jason breaks the reviews section (productpage gives up after 2 x 3 s)', () => {
    const yaml = fixture('ratings-delay-jason.yaml');
    const jason = run(yaml, {
      to: 'productpage',
      path: '/productpage',
      headers: { 'end-user': 'jason' },
      requests: 50,
    });
    expect(pages(jason.summary)).toEqual({ 'reviews unavailable': 100 });
    expect(statusPercent(jason.summary, 200)).toBe(100); // the page itself still renders
    expect(jason.summary.latencyMs.p50).toBeGreaterThan(6000);
    expect(jason.summary.latencyMs.p50).toBeLessThan(6100);
    expect(jason.records.every((r) => r.page?.details === true && r.page.reviews === false)).toBe(true);
    // reviews was tried twice per page
    expect(jason.summary.upstream.find((u) => u.pod === 'reviews-v2-0')?.requests).toBe(100);
    const others = run(yaml, {
      to: 'productpage',
      path: '/productpage',
      headers: { 'end-user': 'bob' },
      requests: 50,
    });
    expect(pages(others.summary)).toEqual({ 'reviews v1, no stars': 100 });
    expect(others.summary.latencyMs.p99).toBeLessThan(100);
  });

  it('with reviews v3 the same delay only costs the ratings (2.5 s timeout): red stars unavailable', () => {
    const yaml = fixture('ratings-delay-jason.yaml').replace(/subset: v2/g, 'subset: v3');
    const { summary } = run(yaml, {
      to: 'productpage',
      path: '/productpage',
      headers: { 'end-user': 'jason' },
      requests: 20,
    });
    expect(pages(summary)).toEqual({ 'reviews v3, ratings unavailable': 100 });
    expect(Math.abs(summary.latencyMs.p50 - 2500)).toBeLessThan(60);
  });

  it('renders the page for a rewritten path, and forwards a header the route sets', () => {
    const shop = `  - match:
    - uri: {prefix: /shop}
    rewrite: {uri: /productpage}
    headers:
      request:
        set: {end-user: jason}
    route:
    - destination: {host: productpage}`;
    const yaml = istio.documents(fixture('reviews-jason.yaml'), istio.virtualService('productpage', shop));
    const { summary } = run(yaml, { to: 'productpage', path: '/shop', requests: 20 });
    expect(pages(summary)).toEqual({ 'reviews v2, black stars': 100 });
    const plain = run(yaml, { to: 'productpage', path: '/productpage', requests: 5 });
    expect(statusPercent(plain.summary, 404, 'NR')).toBe(100);
  });

  it('shows the details error section when details fails', () => {
    const { summary } = run('', {
      to: 'productpage',
      path: '/productpage',
      requests: 2000,
      fail: ['details=50%'],
    });
    const failed = Object.entries(pages(summary))
      .filter(([view]) => view.startsWith('details unavailable'))
      .reduce((s, [, p]) => s + p, 0);
    expect(Math.abs(failed - 50)).toBeLessThan(4);
  });

  it('reaches productpage through the ingress gateway (bookinfo-gateway on port 8080)', () => {
    const yaml = istio.bookinfoGateway('"*"', [
      '{exact: /productpage}',
      '{prefix: /static}',
      '{exact: /login}',
      '{exact: /logout}',
      '{prefix: /api/v1/products}',
    ]);
    const { summary } = run(yaml, {
      to: 'localhost:80',
      from: 'ingress',
      path: '/productpage',
      requests: 30,
    });
    expect(statusPercent(summary, 200)).toBe(100);
    expect(summary.pages?.length).toBeGreaterThan(0);
    const api = run(yaml, {
      to: 'localhost',
      from: 'ingress',
      path: '/api/v1/products/0/reviews',
      requests: 5,
    });
    expect(statusPercent(api.summary, 200)).toBe(100);
  });
});
