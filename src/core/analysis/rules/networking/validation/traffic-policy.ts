// DestinationRule traffic policies (VAL validateTrafficPolicy and what it
// calls), for the top-level policy, each subset's and each port-level entry.
// Durations are checked by validation.durations.
import type { FieldPath } from '../../../../config/resource.ts';
import type { OutlierDetection, TrafficPolicy } from '../../../../config/schemas/index.ts';
import { nonEmpty, type Report } from '../../shared/report.ts';

type PolicyCore = Pick<TrafficPolicy, 'loadBalancer' | 'connectionPool' | 'outlierDetection' | 'tls'>;
type LoadBalancer = NonNullable<TrafficPolicy['loadBalancer']>;
type ClientTls = NonNullable<TrafficPolicy['tls']>;
type ConnectionPool = NonNullable<TrafficPolicy['connectionPool']>;

export const LB_ALGORITHMS: readonly string[] = [
  'UNSPECIFIED',
  'RANDOM',
  'PASSTHROUGH',
  'ROUND_ROBIN',
  'LEAST_REQUEST',
  'LEAST_CONN',
];
export const CLIENT_TLS_MODES: readonly string[] = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'];

function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  for (let f = 3; f * f <= x; f += 2) if (x % f === 0) return false;
  return true;
}

function checkLoadBalancer(report: Report, path: FieldPath, lb: LoadBalancer): void {
  if (lb.simple !== undefined && !LB_ALGORITHMS.includes(lb.simple)) {
    report([...path, 'simple'], 'dr.lb-simple', { value: lb.simple });
  }
  const ch = lb.consistentHash;
  if (lb.simple !== undefined && ch) report(path, 'dr.lb-both', {});
  if (ch) {
    const at = [...path, 'consistentHash'];
    const keys = (['httpHeaderName', 'httpCookie', 'useSourceIp', 'httpQueryParameterName'] as const).filter(
      (k) => ch[k] !== undefined,
    );
    if (keys.length > 1) report(at, 'dr.hash-key-multiple', { keys: keys.join(' and ') });
    if (ch.httpCookie && !ch.httpCookie.name) report([...at, 'httpCookie'], 'dr.cookie-name', {});
    if (ch.minimumRingSize) {
      report([...at, 'minimumRingSize'], 'dr.ring-size-deprecated', {});
      if (ch.ringHash || ch.maglev) report([...at, 'minimumRingSize'], 'dr.ring-size-conflict', {});
    }
    if (ch.maglev) {
      const size = ch.maglev.tableSize ?? 0;
      if (size === 0 || size >= 5000011 || !isPrime(size)) {
        report([...at, 'maglev', 'tableSize'], 'dr.maglev-table-size', { value: size });
      }
    }
  }
  const w = lb.warmup;
  if (w) {
    const at = [...path, 'warmup'];
    if (w.duration === undefined) report(at, 'dr.warmup-duration', {});
    if (w.minimumPercent !== undefined && w.minimumPercent > 100) {
      report([...at, 'minimumPercent'], 'dr.warmup-minimum-percent', { value: w.minimumPercent });
    }
    if (w.aggression !== undefined && w.aggression < 1) {
      report([...at, 'aggression'], 'dr.warmup-aggression', { value: w.aggression });
    }
  }
}

function checkConnectionPool(report: Report, path: FieldPath, pool: ConnectionPool): void {
  if (!pool.tcp && !pool.http) {
    report(path, 'dr.pool-empty', {});
    return;
  }
  const negative = (section: 'tcp' | 'http', fields: Record<string, number | undefined>) => {
    for (const [name, value] of Object.entries(fields)) {
      if (value !== undefined && value < 0) {
        report([...path, section, name], 'dr.pool-negative', { field: `${section}.${name}`, value });
      }
    }
  };
  if (pool.tcp) negative('tcp', { maxConnections: pool.tcp.maxConnections });
  const http = pool.http;
  if (http) {
    negative('http', {
      http1MaxPendingRequests: http.http1MaxPendingRequests,
      http2MaxRequests: http.http2MaxRequests,
      maxRequestsPerConnection: http.maxRequestsPerConnection,
      maxRetries: http.maxRetries,
      maxConcurrentStreams: http.maxConcurrentStreams,
    });
    if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol) {
      report([...path, 'http', 'useClientProtocol'], 'dr.pool-h2-client-protocol', {});
    }
  }
}

function checkOutlierDetection(report: Report, path: FieldPath, od: OutlierDetection): void {
  if (od.consecutiveErrors) report([...path, 'consecutiveErrors'], 'dr.outlier-consecutive-errors', {});
  if (!od.splitExternalLocalOriginErrors && (od.consecutiveLocalOriginFailures ?? 0) > 0) {
    report([...path, 'consecutiveLocalOriginFailures'], 'dr.outlier-local-origin', {});
  }
  for (const field of ['maxEjectionPercent', 'minHealthPercent'] as const) {
    const value = od[field];
    if (value !== undefined && (value < 0 || value > 100)) {
      report([...path, field], 'dr.outlier-percent', { field, value });
    }
  }
}

function checkClientTls(report: Report, path: FieldPath, tls: ClientTls): void {
  const mode = tls.mode ?? 'DISABLE';
  if (!CLIENT_TLS_MODES.includes(mode)) {
    report([...path, 'mode'], 'dr.tls-mode', { value: mode });
    return;
  }
  if (tls.insecureSkipVerify) {
    const fields =
      mode === 'SIMPLE'
        ? (['caCertificates', 'credentialName', 'subjectAltNames'] as const)
        : mode === 'MUTUAL'
          ? (['caCertificates', 'subjectAltNames'] as const)
          : [];
    const set = fields.filter((f) => tls[f] !== undefined && tls[f] !== '');
    if (set.length) report([...path, 'insecureSkipVerify'], 'dr.tls-insecure', { fields: set.join(', ') });
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && tls.credentialName) {
    const files = (['clientCertificate', 'privateKey', 'caCertificates', 'caCrl'] as const).filter(
      (f) => tls[f],
    );
    if (files.length)
      report([...path, 'credentialName'], 'dr.tls-credential-files', { fields: files.join(', ') });
    return;
  }
  if (mode === 'MUTUAL') {
    const missing = (['clientCertificate', 'privateKey'] as const).filter((f) => !tls[f]);
    if (missing.length) report([...path, 'mode'], 'dr.tls-mutual-files', { missing: missing.join(' and ') });
  }
}

/** The four policies a port-level entry may set, and what the top level adds. */
function checkPolicyParts(report: Report, path: FieldPath, p: PolicyCore): void {
  if (p.loadBalancer) checkLoadBalancer(report, [...path, 'loadBalancer'], p.loadBalancer);
  if (p.connectionPool) checkConnectionPool(report, [...path, 'connectionPool'], p.connectionPool);
  if (p.outlierDetection) checkOutlierDetection(report, [...path, 'outlierDetection'], p.outlierDetection);
  if (p.tls) checkClientTls(report, [...path, 'tls'], p.tls);
}

/** A present trafficPolicy (top-level or a subset's): `field` names it for the learner. */
export function checkTrafficPolicy(report: Report, path: FieldPath, field: string, tp: TrafficPolicy): void {
  const set =
    tp.loadBalancer || tp.connectionPool || tp.outlierDetection || tp.tls || nonEmpty(tp.portLevelSettings);
  if (!set && !tp.tunnel && !tp.proxyProtocol && !tp.retryBudget) {
    report(path, 'dr.policy-empty', { field });
    return;
  }
  if (tp.tunnel && tp.proxyProtocol) {
    report(path, 'dr.tunnel-proxy-protocol', {});
    return;
  }
  checkPolicyParts(report, path, tp);
  (tp.portLevelSettings ?? []).forEach((pl, i) => {
    const at = [...path, 'portLevelSettings', i];
    if (!pl.port) report(at, 'dr.port-level-port', {});
    if (!pl.loadBalancer && !pl.connectionPool && !pl.outlierDetection && !pl.tls) {
      report(at, 'dr.port-level-empty', {});
    } else {
      checkPolicyParts(report, at, pl);
    }
  });
}
