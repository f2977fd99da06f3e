// An in-process stand-in for `kubectl exec deploy/fortio-deploy ...` on a lab
// cluster whose mesh behaves as the simulator says: fortio load, fortio curl and
// the sidecar's counters (pilot-agent request GET stats/prometheus), each answered
// in the format the real tools print. It lets a test send every lab's probes and
// check that a correct configuration passes when graded by live traffic.
import type { CommandResult, Runner } from '../../src/core/cluster/exec.ts';
import type { Snapshot } from '../../src/core/config/snapshot.ts';
import { type RequestRecord, simulate } from '../../src/core/sim/index.ts';
import { curlOut, productPageHtml, reviewsBody } from './probe-env.ts';

interface Fortio {
  sub: string;
  n: number;
  c: number;
  qps: number;
  headers: Record<string, string>;
  method: string;
  url: URL;
}

function parseFortio(args: string[]): Fortio {
  const [sub = '', ...rest] = args;
  const f: Fortio = { sub, n: 1, c: 1, qps: 0, headers: {}, method: 'GET', url: new URL('http://invalid/') };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    const v = rest[i + 1] ?? '';
    if (a === '-n') f.n = Number(v);
    else if (a === '-c') f.c = Number(v);
    else if (a === '-qps') f.qps = Number(v);
    else if (a === '-X') f.method = v;
    else if (a === '-H') {
      const colon = v.indexOf(':');
      f.headers[v.slice(0, colon)] = v.slice(colon + 1);
    } else if (a === '-allow-initial-errors') continue;
    else if (a.startsWith('-')) {
      // -json -, -p 50,90,99, -timeout 30s
    } else {
      f.url = new URL(a);
      continue;
    }
    i++;
  }
  return f;
}

const ok = (stdout: string): Omit<CommandResult, 'file' | 'command'> => ({
  exitCode: 0,
  stdout,
  stderr: '',
  timedOut: false,
  notFound: false,
});

/** Bookinfo's answer (or Envoy's own) for one simulated request, as fortio curl prints it. */
function answer(r: RequestRecord): string {
  const flags = r.flags.split(',');
  if (r.status === 0) return '';
  if (flags.includes('FI')) return curlOut(r.status, 'fault filter abort');
  if (flags.includes('UO'))
    return curlOut(
      r.status,
      'upstream connect error or disconnect/reset before headers. reset reason: overflow',
      {
        'x-envoy-overloaded': 'true',
      },
    );
  if (flags.includes('UH')) return curlOut(r.status, 'no healthy upstream');
  if (flags.includes('UT')) return curlOut(r.status, 'upstream request timeout');
  if (r.page) return curlOut(r.status, productPageHtml(r.page));
  if (r.service === 'reviews' && r.pod) {
    const stars = r.version === 'v2' ? 'black' : r.version === 'v3' ? 'red' : undefined;
    return curlOut(r.status, reviewsBody(r.pod, stars));
  }
  return curlOut(r.status, '{}');
}

/**
 * curl in a pod without a sidecar (`-n legacy exec deploy/<client> -- sh -c LOOP sh N
 * [-X M] [-H 'k: v']... URL`): one `CODE EXIT` line per request, a request with no HTTP
 * answer printed as curl does after a reset (`000 56`).
 */
function plaintextLoop(
  snapshot: Snapshot,
  namespace: string,
  args: readonly string[],
  command: string[],
): string {
  const ns = args[args.indexOf('-n') + 1] ?? 'default';
  const client = (args.find((a) => a.startsWith('deploy/')) ?? 'deploy/curl').slice('deploy/'.length);
  const [, , , , n = '1', ...rest] = command;
  let method = 'GET';
  const headers: Record<string, string> = {};
  for (let i = 0; i < rest.length - 1; i++) {
    const v = rest[i + 1] ?? '';
    if (rest[i] === '-X') method = v;
    if (rest[i] === '-H') headers[v.slice(0, v.indexOf(':'))] = v.slice(v.indexOf(':') + 1).trim();
  }
  const url = new URL(rest[rest.length - 1] ?? 'http://invalid/');
  // to the ingress gateway's Service with a Host header: a client outside the mesh there
  const { host, ...others } = headers;
  const viaGateway = url.hostname.startsWith('istio-ingressgateway.') && host !== undefined;
  return simulate(snapshot, {
    from: viaGateway ? 'ingress' : `${ns}/${client}`,
    to: viaGateway ? host : `${url.protocol}//${url.host}`,
    path: `${url.pathname}${url.search}`,
    method,
    headers: viaGateway ? others : headers,
    requests: Number(n),
    namespace,
  })
    .records.map((r) => (r.status === 0 ? '000 56\n' : `${r.status} 0\n`))
    .join('');
}

export function emulatedCluster(snapshot: Snapshot, namespace = 'default'): { run: Runner } {
  const counted = new Map<string, number>();
  const retries = new Map<string, number>();
  let seed = 1;

  const count = (records: readonly RequestRecord[]): void => {
    for (const r of records) {
      const service = r.service ?? 'unknown';
      const version = r.pod ? (r.version ?? 'unknown') : 'unknown';
      const key = `destination_service_name="${service}",destination_service_namespace="${namespace}",destination_version="${version}",response_code="${r.status}",response_flags="${r.flags}"`;
      counted.set(key, (counted.get(key) ?? 0) + 1);
      if (r.attempts > 1 && r.cluster) retries.set(r.cluster, (retries.get(r.cluster) ?? 0) + r.attempts - 1);
    }
  };

  const stats = (): string =>
    [
      '# TYPE istio_requests_total counter',
      ...[...counted].map(
        ([labels, n]) =>
          `istio_requests_total{reporter="source",source_workload="fortio-deploy",${labels}} ${n}`,
      ),
      '# TYPE envoy_cluster_upstream_rq_retry counter',
      ...[...retries].map(
        ([cluster, n]) => `envoy_cluster_upstream_rq_retry{cluster_name="${cluster}"} ${n}`,
      ),
      '',
    ].join('\n');

  const run: Runner = async (spec) => {
    const base = { file: spec.file, command: `${spec.file} ${spec.args.join(' ')}` };
    const dash = spec.args.indexOf('--');
    const command = spec.args.slice(dash + 1);
    if (command[0] === 'pilot-agent') return { ...base, ...ok(stats()) };
    if (command[0] === 'sh')
      return { ...base, ...ok(plaintextLoop(snapshot, namespace, spec.args, command)) };
    const f = parseFortio(command.slice(1));
    const sim = (requests: number, concurrency: number) =>
      simulate(snapshot, {
        to: `${f.url.protocol}//${f.url.host}`,
        path: `${f.url.pathname}${f.url.search}`,
        method: f.method,
        headers: f.headers,
        requests,
        concurrency,
        qps: f.qps,
        seed: seed++,
        namespace,
      });
    if (f.sub === 'curl') {
      const result = sim(1, 1);
      count(result.records);
      const [r] = result.records;
      if (!r || r.status === 0)
        return { ...base, ...ok(''), exitCode: 1, stderr: 'command terminated with exit code 1\n' };
      return { ...base, ...ok(answer(r)) };
    }
    const result = sim(f.n, f.c);
    count(result.records);
    const codes: Record<string, number> = {};
    for (const s of result.summary.statuses) {
      const code = s.status === 0 ? '-1' : String(s.status);
      codes[code] = (codes[code] ?? 0) + s.count;
    }
    const l = result.summary.latencyMs;
    const sec = (msValue: number) => msValue / 1000;
    const byMs = new Map<number, number>();
    for (const r of result.records)
      byMs.set(Math.round(r.latencyMs), (byMs.get(Math.round(r.latencyMs)) ?? 0) + 1);
    const data = [...byMs]
      .sort(([a], [b]) => a - b)
      .map(([at, n]) => ({ Start: sec(at), End: sec(at + 1), Percent: 0, Count: n }));
    const json = {
      RetCodes: codes,
      ActualDuration: Math.round(result.summary.simulatedMs * 1e6),
      DurationHistogram: {
        Count: result.records.length,
        Min: sec(l.min),
        Max: sec(l.max),
        Avg: sec(l.mean),
        Data: data,
        Percentiles: [
          { Percentile: 50, Value: sec(l.p50) },
          { Percentile: 90, Value: sec(l.p90) },
          { Percentile: 99, Value: sec(l.p99) },
        ],
      },
    };
    return { ...base, ...ok(`${JSON.stringify(json, null, 2)}\n`) };
  };
  return { run };
}
