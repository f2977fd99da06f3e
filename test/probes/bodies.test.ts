// Reading what answered from response bodies: reviews JSON, /productpage HTML, Envoy's own replies.
import { describe, expect, it } from 'vitest';
import {
  countStars,
  flagsFromResponse,
  parseFortioCurl,
  parseFortioLoad,
  parseProductPage,
  parseReviewsBody,
  versionFromPod,
} from '../../src/core/probes/index.ts';
import { curlOut, fixture, loadJson, reviewsBody } from './probe-env.ts';

describe('productpage bodies', () => {
  it('counts the filled glyphicon stars and their colour (Bookinfo up to 1.18)', () => {
    expect(countStars(fixture('productpage-v2.html.txt'))).toEqual({ color: 'black', filled: 9 });
  });

  it('counts the filled svg stars of the tailwind page (Bookinfo 1.19 and later)', () => {
    expect(countStars(fixture('productpage-v3-tailwind.html.txt'))).toEqual({ color: 'red', filled: 2 });
  });

  it('shows no stars for reviews v1', () => {
    const v1 = fixture('productpage-v2.html.txt')
      .replace(/<font color="black">[\s\S]*?<\/font>/g, '')
      .replace('reviews-v2-5b667bcbf8-x7xzs', 'reviews-v1-6cf9c9d8b4-2kq7m');
    expect(parseProductPage(v1)).toEqual({
      details: true,
      reviews: true,
      stars: 'none',
      ratings: true,
      reviewsPod: 'reviews-v1-6cf9c9d8b4-2kq7m',
      reviewsVersion: 'v1',
    });
  });

  it('reads the error sections: reviews unavailable, ratings unavailable, details unavailable', () => {
    const noReviews = `<title>Simple Bookstore App</title>
      <h4 class="text-center text-primary">Error fetching product details!</h4><p>Sorry, product details are currently unavailable for this book.</p>
      <h4 class="text-center text-primary">Error fetching product reviews!</h4><p>Sorry, product reviews are currently unavailable for this book.</p>`;
    expect(parseProductPage(noReviews)).toEqual({ details: false, reviews: false });
    const noRatings = fixture('productpage-v2.html.txt').replace(
      /<font color="black">[\s\S]*?<\/font>/g,
      '<font color="red">Ratings service is currently unavailable</font>',
    );
    expect(parseProductPage(noRatings)).toMatchObject({
      reviews: true,
      ratings: false,
      stars: 'none',
      reviewsVersion: 'v2',
    });
  });
});

describe('reviews bodies', () => {
  it('names the pod and its version from "podname"', () => {
    expect(parseReviewsBody(reviewsBody('reviews-v3-7b9b6c8d6f-4qlzn', 'red'))).toEqual({
      pod: 'reviews-v3-7b9b6c8d6f-4qlzn',
      cluster: 'null',
      version: 'v3',
      stars: 'red',
      ratings: true,
    });
    expect(parseReviewsBody(reviewsBody('reviews-v2-5b667bcbf8-x7xzs', 'black', true))).toMatchObject({
      version: 'v2',
      ratings: false,
    });
    expect(parseReviewsBody('{"id":0,"ratings":{}}')).toBeUndefined();
    expect(parseReviewsBody('upstream connect error')).toBeUndefined();
  });

  it('falls back to the stars when the pod name has no version', () => {
    expect(parseReviewsBody(reviewsBody('my-reviews-pod', 'black'))?.version).toBe('v2');
    expect(versionFromPod('reviews-v1-6cf9c9d8b4-2kq7m')).toBe('v1');
    expect(versionFromPod('reviews')).toBeUndefined();
  });
});

describe('Envoy flags from a response', () => {
  const r = (status: number, body: string, headers: Record<string, string> = {}) => ({
    status,
    body,
    headers,
  });
  it('says FI, UO, UH, UT, UF only when the body or headers show them', () => {
    expect(flagsFromResponse(r(503, 'fault filter abort'))).toBe('FI');
    expect(
      flagsFromResponse(
        r(503, 'upstream connect error or disconnect/reset before headers. reset reason: overflow', {
          'x-envoy-overloaded': 'true',
        }),
      ),
    ).toBe('UO');
    expect(flagsFromResponse(r(503, 'no healthy upstream'))).toBe('UH');
    expect(flagsFromResponse(r(504, 'upstream request timeout'))).toBe('UT');
    expect(
      flagsFromResponse(
        r(503, 'upstream connect error or disconnect/reset before headers. reset reason: connection failure'),
      ),
    ).toBe('UF');
    expect(flagsFromResponse(r(200, '{"id":0}'))).toBe('-');
    expect(flagsFromResponse(r(500, 'Internal Server Error'))).toBe('-');
  });
});

describe('fortio output', () => {
  it('parses `fortio curl`: status, lowercase headers, body', () => {
    const out = parseFortioCurl(curlOut(503, 'fault filter abort', { 'X-Envoy-Overloaded': 'true' }));
    expect(out).toEqual({
      status: 503,
      headers: {
        'content-type': 'application/json',
        'content-length': '18',
        server: 'envoy',
        'x-envoy-upstream-service-time': '7',
        'x-envoy-overloaded': 'true',
      },
      body: 'fault filter abort',
    });
    expect(parseFortioCurl('')).toBeUndefined();
  });

  it('parses `fortio load -json -`: codes, percentiles in ms, -1 for no answer', () => {
    const out = parseFortioLoad(`Fortio 1.66.5 running...\n${loadJson({ '200': 150, '503': 48, '-1': 2 })}`);
    expect(out.count).toBe(200);
    expect([...out.codes]).toEqual([
      [200, 150],
      [503, 48],
      [-1, 2],
    ]);
    expect(out.latencyMs.p90).toBe(8.636);
  });
});
