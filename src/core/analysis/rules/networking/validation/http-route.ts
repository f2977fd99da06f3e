// Each HTTP rule of a VirtualService (VSV validateHTTPRoute and what it calls):
// one action, no conflicting fields, valid matches, retries, faults, redirects,
// direct responses, rewrites, mirrors and destinations. Durations are checked
// by validation.durations.
import type { FieldPath } from '../../../../config/resource.ts';
import { type HttpFault, type HttpRoute, legacyMirrorPercent } from '../../../../config/schemas/index.ts';
import type { Rule } from '../../../rule.ts';
import { isDns1123Label } from '../../shared/dns.ts';
import { nonEmpty, type Report, reporter } from '../../shared/report.ts';
import { checkDestination, checkPort, checkRouteDestinations } from './destinations.ts';
import { checkGatewayNames } from './gateway-refs.ts';
import { checkRetries } from './retries.ts';
import { checkMatchMap, checkRegex, checkStringMatch } from './string-match.ts';

/** grpc.SupportedGRPCStatus: the names an abort grpcStatus may use. */
export const GRPC_STATUS_NAMES: readonly string[] = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*'];

/** Exactly one action; redirect/directResponse exclude route, fault and rewrite; mirror xor mirrors. */
function checkActions(report: Report, base: FieldPath, h: HttpRoute, inDelegate: boolean): void {
  const conflict = (a: string, b: string) => report([...base, b], 'http.action-conflict', { a, b });
  const extra = (action: string, field: string) =>
    report([...base, field], 'http.action-extra', { action, field });
  if (h.mirror && nonEmpty(h.mirrors)) report([...base, 'mirrors'], 'mirror.both', {});
  if (h.delegate && !inDelegate) {
    if (h.redirect) conflict('delegate', 'redirect');
    if (nonEmpty(h.route)) conflict('delegate', 'route');
    return;
  }
  if (h.delegate) report([...base, 'delegate'], 'http.delegate-nested', {});
  if (h.redirect) {
    if (nonEmpty(h.route)) conflict('route', 'redirect');
    if (h.fault) extra('redirect', 'fault');
    if (h.rewrite) extra('redirect', 'rewrite');
    if (h.directResponse) conflict('redirect', 'directResponse');
  } else if (h.directResponse) {
    if (nonEmpty(h.route)) conflict('route', 'directResponse');
    if (h.fault) extra('directResponse', 'fault');
    if (h.rewrite) extra('directResponse', 'rewrite');
  } else if (!nonEmpty(h.route)) {
    report(base, 'http.no-action', {});
  }
}

function checkMatches(report: Report, base: FieldPath, h: HttpRoute): void {
  (h.match ?? []).forEach((m, j) => {
    const at = [...base, 'match', j];
    if (m.uri) checkStringMatch(report, [...at, 'uri'], 'uri', m.uri, { allowEmptyPrefix: true });
    if (m.scheme) checkStringMatch(report, [...at, 'scheme'], 'scheme', m.scheme);
    if (m.method) checkStringMatch(report, [...at, 'method'], 'method', m.method);
    if (m.authority) checkStringMatch(report, [...at, 'authority'], 'authority', m.authority);
    checkMatchMap(report, at, 'headers', m.headers);
    checkMatchMap(report, at, 'withoutHeaders', m.withoutHeaders);
    checkMatchMap(report, at, 'queryParams', m.queryParams);
    if (m.port) checkPort(report, [...at, 'port'], 'match.port', m.port);
    checkGatewayNames(report, [...at, 'gateways'], m.gateways);
    if (m.sourceNamespace && !isDns1123Label(m.sourceNamespace)) {
      report([...at, 'sourceNamespace'], 'match.source-namespace', { value: m.sourceNamespace });
    }
  });
}

function checkFaultPercentage(
  report: Report,
  path: FieldPath,
  field: string,
  value: number | undefined,
): void {
  if (value === undefined) return;
  if (value < 0 || value > 100 || (value > 0 && value < 0.0001)) {
    report([...path, 'percentage', 'value'], 'fault.percentage', { field, value });
  }
}

function checkFault(report: Report, path: FieldPath, f: HttpFault): void {
  if (!f.abort && !f.delay) report(path, 'fault.empty', {});
  if (f.abort) {
    const at = [...path, 'abort'];
    checkFaultPercentage(report, at, 'abort.percentage.value', f.abort.percentage?.value);
    if (f.abort.httpStatus !== undefined) {
      const s = f.abort.httpStatus;
      if (s < 200 || s > 600) report([...at, 'httpStatus'], 'fault.http-status', { value: s });
    } else if (f.abort.grpcStatus !== undefined) {
      if (!GRPC_STATUS_NAMES.includes(f.abort.grpcStatus)) {
        report([...at, 'grpcStatus'], 'fault.grpc-status', { value: f.abort.grpcStatus });
      }
    } else if (f.abort.http2Error !== undefined) {
      report([...at, 'http2Error'], 'fault.http2-error', {});
    } else {
      report(at, 'fault.abort-no-status', {});
    }
  }
  if (f.delay) {
    const at = [...path, 'delay'];
    checkFaultPercentage(report, at, 'delay.percentage.value', f.delay.percentage?.value);
    if (f.delay.exponentialDelay !== undefined)
      report([...at, 'exponentialDelay'], 'fault.exponential-delay', {});
  }
}

function checkMirrors(report: Report, base: FieldPath, h: HttpRoute): void {
  const mp = h.mirrorPercentage?.value;
  if (mp !== undefined && (mp < 0 || mp > 100)) {
    report([...base, 'mirrorPercentage', 'value'], 'mirror.percentage', {
      field: 'mirrorPercentage.value',
      value: mp,
    });
  }
  const legacy = legacyMirrorPercent(h);
  if (legacy) {
    if (legacy.value > 100)
      report([...base, legacy.field], 'mirror.percentage', { field: legacy.field, value: legacy.value });
    report([...base, legacy.field], 'mirror.percent-deprecated', legacy);
  }
  if (h.mirror) checkDestination(report, [...base, 'mirror'], h.mirror, 'mirror.host');
  (h.mirrors ?? []).forEach((m, k) => {
    const at = [...base, 'mirrors', k];
    if (!m.destination) report(at, 'mirror.destination-missing', {});
    else checkDestination(report, [...at, 'destination'], m.destination, 'mirrors.destination.host');
    const v = m.percentage?.value;
    if (v !== undefined && (v < 0 || v > 100)) {
      report([...at, 'percentage', 'value'], 'mirror.percentage', {
        field: 'mirrors.percentage.value',
        value: v,
      });
    }
  });
}

function checkRedirectAndResponse(report: Report, base: FieldPath, h: HttpRoute): void {
  const r = h.redirect;
  if (r) {
    const at = [...base, 'redirect'];
    if (!r.uri && !r.authority && !r.scheme && r.port === undefined && r.derivePort === undefined) {
      report(at, 'redirect.empty', {});
    } else if (r.redirectCode && (r.redirectCode < 300 || r.redirectCode > 399)) {
      report([...at, 'redirectCode'], 'redirect.code', { value: r.redirectCode });
    } else if (r.scheme && r.scheme !== 'http' && r.scheme !== 'https') {
      report([...at, 'scheme'], 'redirect.scheme', { value: r.scheme });
    } else if (r.port) {
      checkPort(report, [...at, 'port'], 'redirect.port', r.port);
    }
  }
  const d = h.directResponse;
  if (d) {
    const at = [...base, 'directResponse'];
    if (d.status === undefined || d.status < 200 || d.status > 600) {
      report(d.status === undefined ? at : [...at, 'status'], 'direct-response.status', { value: d.status });
    }
    const body = d.body?.string ?? d.body?.bytes;
    const size = body === undefined ? 0 : Buffer.byteLength(body, 'utf8');
    if (size > 1024 * 1024) report([...at, 'body'], 'direct-response.body-size', { size });
    else if (size > 100 * 1024) report([...at, 'body'], 'direct-response.body-large', { size });
  }
}

function checkRewrite(report: Report, base: FieldPath, h: HttpRoute): void {
  const w = h.rewrite;
  if (!w) return;
  const at = [...base, 'rewrite'];
  const regex = w.uriRegexRewrite;
  if (w.uri && regex) report(at, 'rewrite.uri-and-regex', {});
  else if (!w.uri && !regex && !w.authority) report(at, 'rewrite.empty', {});
  else if (regex) {
    if (!regex.match || !regex.rewrite) report([...at, 'uriRegexRewrite'], 'rewrite.regex-incomplete', {});
    else checkRegex(report, [...at, 'uriRegexRewrite', 'match'], 'uriRegexRewrite.match', regex.match);
  }
}

function checkCors(report: Report, base: FieldPath, h: HttpRoute): void {
  const c = h.corsPolicy;
  if (!c) return;
  (c.allowMethods ?? []).forEach((m, i) => {
    if (!CORS_METHODS.includes(m))
      report([...base, 'corsPolicy', 'allowMethods', i], 'cors.method', { value: m });
  });
  (c.allowOrigins ?? []).forEach((o, i) => {
    const at = [...base, 'corsPolicy', 'allowOrigins', i];
    checkStringMatch(report, at, 'allowOrigins', o);
  });
}

export function checkHttpRoute(report: Report, base: FieldPath, h: HttpRoute, inDelegate: boolean): void {
  checkActions(report, base, h, inDelegate);
  checkMatches(report, base, h);
  if (h.retries) checkRetries(report, [...base, 'retries'], h.retries);
  if (h.fault) checkFault(report, [...base, 'fault'], h.fault);
  checkMirrors(report, base, h);
  checkRedirectAndResponse(report, base, h);
  checkRewrite(report, base, h);
  checkCors(report, base, h);
  if (h.route) checkRouteDestinations(report, [...base, 'route'], h.route);
}

export const httpRoutes: Rule = {
  name: 'validation.http-route',
  description:
    'Each VirtualService HTTP rule as the webhook checks it: one action, matches, retries, faults, redirects, mirrors, destinations.',
  reads: ['VirtualService'],
  codes: ['IST0106', 'IST0133'],
  run(ctx) {
    for (const vs of ctx.snapshot.virtualServices) {
      const report = reporter(ctx, vs);
      const inDelegate = !nonEmpty(vs.spec.hosts);
      (vs.spec.http ?? []).forEach((h, i) => {
        checkHttpRoute(report, ['spec', 'http', i], h, inDelegate);
      });
    }
  },
};
