// Envoy access log lines, in Istio's default TEXT format (meshConfig
// accessLogFile with the default accessLogFormat), for simulated requests as
// the calling proxy logs them (outbound):
//
//   [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%"
//   %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
//   "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
//   %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
//   "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW%
//   %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
//   %REQUESTED_SERVER_NAME% %ROUTE_NAME%
//
// Times start at a fixed instant, addresses are the offline model's, byte
// counts of upstream answers and request ids are placeholders: the fields a
// learner diagnoses with (status, flags, details, cluster, upstream host,
// route) are the simulator's.
import type { RequestRecord, SimSummary } from '../sim/aggregate.ts';
import type { EnvoyView } from './view.ts';

const EPOCH = Date.UTC(2026, 0, 1);
const USER_AGENT = 'curl/8.5.0';

/** Envoy's local reply bodies (their length is %BYTES_SENT%). */
const BODIES: Record<string, string> = {
  UH: 'no healthy upstream',
  UO: 'upstream connect error or disconnect/reset before headers. reset reason: overflow',
  UF: 'upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused',
  UC: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
  UT: 'upstream request timeout',
  FI: 'fault filter abort',
};

/** Flags under which the proxy wrote the response itself, though a pod may have been tried. */
const LOCAL_FLAGS = ['NR', 'NC', 'FI', 'UT', 'UH', 'UO', 'UF', 'UC'] as const;

function flagList(r: RequestRecord): string[] {
  return r.flags === '-' ? [] : r.flags.split(',');
}

/** Did a pod's response reach the caller (rather than the proxy's own local reply)? */
function fromUpstream(r: RequestRecord): boolean {
  const flags = flagList(r);
  return r.pod !== undefined && !LOCAL_FLAGS.some((f) => flags.includes(f));
}

/** %RESPONSE_CODE_DETAILS% for a record: who produced the response, and why. */
export function responseDetails(r: RequestRecord): string {
  const flags = flagList(r);
  // the client hung up first: Envoy logs the stream with no response code
  if (flags.includes('DC')) return 'downstream_remote_disconnect';
  if (r.status === 0) return flags.includes('NR') ? 'filter_chain_not_found' : '-';
  if (fromUpstream(r)) return 'via_upstream';
  if (flags.includes('NR')) return 'route_not_found';
  if (flags.includes('NC')) return 'cluster_not_found';
  if (flags.includes('FI')) return 'fault_filter_abort';
  if (flags.includes('UT')) return 'response_timeout';
  if (flags.includes('UH')) return 'no_healthy_upstream';
  if (flags.includes('UO')) return 'upstream_reset_before_response_started{overflow}';
  if (flags.includes('UF')) return 'upstream_reset_before_response_started{remote_connection_failure}';
  if (flags.includes('UC')) return 'upstream_reset_before_response_started{connection_termination}';
  return 'direct_response';
}

function bytesSent(r: RequestRecord): number {
  // the server's sidecar denied it (Bookinfo's apps never answer 403): its RBAC body
  if (fromUpstream(r) && r.status === 403) return 'RBAC: access denied'.length;
  if (fromUpstream(r)) return 295;
  const flags = flagList(r);
  for (const f of ['FI', 'UT', 'UH', 'UO', 'UF', 'UC']) if (flags.includes(f)) return BODIES[f]!.length;
  return 0;
}

function requestId(seed: number, index: number): string {
  let h = (2166136261 ^ seed) >>> 0;
  const parts: string[] = [];
  for (const len of [8, 4, 4, 4, 12]) {
    let s = '';
    while (s.length < len) {
      h = Math.imul(h ^ (index + s.length + parts.length * 31), 16777619) >>> 0;
      s += h.toString(16).padStart(8, '0');
    }
    parts.push(s.slice(0, len));
  }
  return parts.join('-');
}

export interface AccessLogContext {
  summary: SimSummary;
  /** the calling workload's pod (its proxy writes the lines), when it is one of the model's */
  callerPod?: { namespace: string; pod: string };
  /** the Envoy route name (VirtualService http[].name, `default`, `allow_any`, `block_all`) or '-' */
  routeName: string;
  port: number;
}

/** One log line per request, in the order they were sent; none for a refused connection. */
export function accessLogLines(
  view: EnvoyView,
  records: readonly RequestRecord[],
  ctx: AccessLogContext,
): string[] {
  const t = ctx.summary.target;
  const callerIp = ctx.callerPod
    ? view.addresses.pod(ctx.callerPod.namespace, ctx.callerPod.pod)
    : '10.244.255.1';
  const serviceIp = view.addresses.service(t.host) ?? t.host;
  const out: string[] = [];
  let refused = 0;
  for (const r of records) {
    // no listener took the connection: Envoy never saw it, so it logs nothing
    if (r.refused) {
      refused++;
      continue;
    }
    const start = new Date(EPOCH + Math.round(r.startMs)).toISOString();
    // a TLS connection (or an HTTP one closed before a request was read) has no request line
    const line =
      t.tls || (r.status === 0 && !r.flags.includes('DC')) ? '"- - -"' : `"${t.method} ${t.path} HTTP/1.1"`;
    const clientPort = 40000 + (r.index % 20000);
    const upstreamIp = r.pod ? view.addresses.podByName(r.pod) : undefined;
    const upstreamHost = upstreamIp
      ? `${upstreamIp}:${view.targetPort(t.host, ctx.port)}`
      : r.pod
        ? r.pod
        : '-';
    const cluster =
      r.cluster && !r.flags.includes('NC') && r.cluster !== 'BlackHoleCluster' ? r.cluster : '-';
    const duration = Math.round(r.latencyMs);
    const fields = [
      `[${start}]`,
      line,
      String(r.status),
      r.flags,
      responseDetails(r),
      '-',
      r.flags.includes('UF') ? '"delayed_connect_error:_Connection_refused"' : '"-"',
      '0',
      String(bytesSent(r)),
      String(duration),
      fromUpstream(r) ? String(duration) : '-',
      '"-"',
      `"${USER_AGENT}"`,
      `"${requestId(ctx.summary.seed, r.index)}"`,
      `"${t.authority}"`,
      `"${upstreamHost}"`,
      cluster,
      r.pod ? `${callerIp}:${clientPort + 1}` : '-',
      `${serviceIp}:${ctx.port}`,
      `${callerIp}:${clientPort}`,
      t.tls ? t.host : '-',
      ctx.routeName,
    ];
    out.push(fields.join(' '));
  }
  if (refused > 0)
    out.push(
      `# no access log line for ${refused} connection${refused === 1 ? '' : 's'}: refused, no listener on port ${ctx.port} (Envoy logs only what a listener accepts)`,
    );
  return out;
}
