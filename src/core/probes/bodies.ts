// Reading what answered from a response body: the Bookinfo reviews JSON names its
// pod ("podname", the pod's HOSTNAME, and "clustername"); /productpage shows the
// reviews version through its stars; Envoy's own answers carry recognisable
// bodies and x-envoy-* headers.
//
// Envoy response flags are not visible from outside the proxy: a request sees a
// status, headers and a body, not the access-log flags. Flags are set here only
// when the response itself says so (an Envoy body such as "fault filter abort",
// or x-envoy-overloaded / x-envoy-ratelimited); otherwise they stay '-'. A delay
// (DI) or a retry (URX) never shows in a body: probes read those from the fortio
// sidecar's counters (mesh-stats.ts), and these bodies are the fallback.
import type { PageView, Stars } from '../sim/index.ts';
import type { CurlResponse } from './fortio.ts';

export interface ReviewsAnswer {
  pod: string;
  /** CLUSTER_NAME of the pod ("null" when unset, as Bookinfo prints it) */
  cluster?: string;
  /** from the pod name (reviews-v2-...) or, failing that, the stars */
  version?: string;
  stars: Stars;
  /** false: reviews answered "Ratings service is currently unavailable" */
  ratings: boolean;
}

/** The version in a Deployment pod name: `reviews-v2-5b667bcbf8-x7xzs` -> v2. */
export function versionFromPod(pod: string): string | undefined {
  return /-(v\d+)(?:-[a-z0-9]+){0,2}$/.exec(pod)?.[1];
}

/** Bookinfo's reviews versions by the stars they show: v1 none, v2 black, v3 red. */
export function versionFromStars(stars: Stars): string {
  return stars === 'black' ? 'v2' : stars === 'red' ? 'v3' : 'v1';
}

/** Parses the reviews service's JSON answer; undefined when the body is not one. */
export function parseReviewsBody(body: string): ReviewsAnswer | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const o = parsed as Record<string, unknown>;
  if (typeof o.podname !== 'string' || !Array.isArray(o.reviews)) return undefined;
  let stars: Stars = 'none';
  let ratings = true;
  for (const r of o.reviews) {
    const rating = (r as { rating?: { stars?: unknown; color?: unknown; error?: unknown } } | null)?.rating;
    if (!rating) continue;
    if (typeof rating.error === 'string') ratings = false;
    else if (typeof rating.stars === 'number') stars = rating.color === 'red' ? 'red' : 'black';
  }
  const out: ReviewsAnswer = { pod: o.podname, stars, ratings };
  if (typeof o.clustername === 'string') out.cluster = o.clustername;
  const version = versionFromPod(o.podname) ?? (ratings ? versionFromStars(stars) : undefined);
  if (version) out.version = version;
  return out;
}

/** Stars on the page: their colour, and how many filled stars were drawn. */
export function countStars(html: string): { color: Stars; filled: number } {
  let filled = 0;
  let color: Stars = 'none';
  // Bookinfo up to 1.18: <font color="black"><span class="glyphicon glyphicon-star"></span>...
  for (const m of html.matchAll(/<font color="(\w+)">([\s\S]*?)<\/font>/g)) {
    const n = (m[2]?.match(/glyphicon glyphicon-star"/g) ?? []).length;
    if (n === 0) continue;
    filled += n;
    color = m[1] === 'red' ? 'red' : 'black';
  }
  // Bookinfo 1.19 and later: <div class="flex gap-x-1 text-black-500"> <svg ... fill="currentColor"> per star
  for (const m of html.matchAll(/<div class="flex gap-x-1 text-(\w+)-500">([\s\S]*?)<\/div>/g)) {
    const n = (m[2]?.match(/<svg[^>]*fill="currentColor"/g) ?? []).length;
    if (n === 0) continue;
    filled += n;
    color = m[1] === 'red' ? 'red' : 'black';
  }
  return { color, filled };
}

/** What a /productpage HTML answer shows (the simulator's PageView). */
export function parseProductPage(html: string): PageView {
  const details = !html.includes('Error fetching product details');
  const reviews = !html.includes('Error fetching product reviews');
  const page: PageView = { details, reviews };
  if (!reviews) return page;
  const { color } = countStars(html);
  page.stars = color;
  page.ratings = !html.includes('Ratings service is currently unavailable');
  const pod = /Reviews served by:(?:\s|<[^>]*>)*([a-z0-9][a-z0-9.-]*)/.exec(html)?.[1];
  if (pod) page.reviewsPod = pod;
  const version =
    (pod ? versionFromPod(pod) : undefined) ?? (page.ratings ? versionFromStars(color) : undefined);
  if (version) page.reviewsVersion = version;
  return page;
}

/**
 * Envoy response flags that the response itself reveals, as simulator flags text
 * ('-' when nothing says). See the note at the top of this file.
 */
export function flagsFromResponse(r: Pick<CurlResponse, 'status' | 'headers' | 'body'>): string {
  const flags: string[] = [];
  const body = r.body.slice(0, 2000);
  if (/fault filter abort/i.test(body)) flags.push('FI');
  if (r.headers['x-envoy-overloaded'] !== undefined || /reset reason: overflow/i.test(body)) flags.push('UO');
  if (/no healthy upstream/i.test(body)) flags.push('UH');
  if (/upstream request timeout/i.test(body)) flags.push('UT');
  if (/upstream connect error or disconnect\/reset before headers/i.test(body) && flags.length === 0)
    flags.push(/connection (?:failure|refused|timeout)|delayed connect error/i.test(body) ? 'UF' : 'UC');
  if (r.headers['x-envoy-ratelimited'] !== undefined) flags.push('RL');
  return flags.length ? flags.join(',') : '-';
}
