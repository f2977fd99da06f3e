// HTTP retry policy (VAL validateHTTPRetry).
import type { FieldPath } from '../../../../config/resource.ts';
import { closest, type HttpRetry } from '../../../../config/schemas/index.ts';
import type { Report } from '../../shared/report.ts';

/** Envoy's x-envoy-retry-on and x-envoy-retry-grpc-on policies that Istio accepts. */
export const RETRY_ON_POLICIES: readonly string[] = [
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
];

/** The codes Go's http.StatusText knows: a retryOn item may be one of them. */
const HTTP_STATUS_CODES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307,
  308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421,
  422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/** Why one retryOn item (split on "," without trimming) is rejected, or undefined. */
export function retryOnItemProblem(item: string): string | undefined {
  if (/^[+-]?\d+$/.test(item)) {
    return HTTP_STATUS_CODES.has(Number(item)) ? undefined : 'is not an HTTP status code';
  }
  if (RETRY_ON_POLICIES.includes(item)) return undefined;
  if (item === '') return 'is empty: remove the stray comma';
  const trimmed = item.trim();
  if (trimmed !== item && (RETRY_ON_POLICIES.includes(trimmed) || HTTP_STATUS_CODES.has(Number(trimmed)))) {
    return 'is not a known retry policy: items are split on "," without trimming spaces, so remove the spaces';
  }
  if (RETRY_ON_POLICIES.includes(item.toLowerCase()))
    return `is not a known retry policy: write it in lowercase ("${item.toLowerCase()}")`;
  const suggestion = closest(item, RETRY_ON_POLICIES);
  if (suggestion) return `is not a known retry policy: did you mean "${suggestion}"?`;
  return `is not a known retry policy (known: ${RETRY_ON_POLICIES.join(', ')}, or an HTTP status code)`;
}

export function checkRetries(report: Report, path: FieldPath, r: HttpRetry): void {
  const attempts = r.attempts ?? 0;
  if (attempts < 0) report([...path, 'attempts'], 'retries.attempts-negative', { value: attempts });
  if (attempts === 0) {
    const set = [
      r.perTryTimeout !== undefined ? 'perTryTimeout' : '',
      r.retryOn ? 'retryOn' : '',
      r.retryRemoteLocalities !== undefined ? 'retryRemoteLocalities' : '',
    ].filter(Boolean);
    if (set.length > 0) {
      const missing = r.attempts === undefined;
      report(missing ? path : [...path, 'attempts'], 'retries.attempts-zero', {
        fields: set.join(' and '),
        missing,
      });
    }
  }
  if (r.retryOn) {
    for (const item of r.retryOn.split(',')) {
      const reason = retryOnItemProblem(item);
      if (reason) report([...path, 'retryOn'], 'retries.retry-on', { item, reason });
    }
  }
}
