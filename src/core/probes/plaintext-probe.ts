// Real requests from a client without a sidecar (the plaintext legacy/curl that
// `cluster up` deploys, or a lab's own job in the namespace legacy): one
//   kubectl exec -n legacy deploy/<name> -- sh -c '<loop>' sh N [-X M] [-H h]... URL
// runs curl N times in the pod and prints each request's HTTP code and curl's exit
// code (`200 0`, `000 56` for a connection reset, `000 52` for an empty reply, `000 28`
// for a timeout). No sidecar counts these requests, so the counts come from curl itself.
// One exec instead of N: each exec is a round trip through the API server.
//
// When the exec cannot be made (RBAC refuses pods/exec, the client is not deployed,
// kubectl is missing) the probe says why and the caller simulates instead; any other
// failure is a ProbeError.
import { type CommandResult, execaRunner, formatDuration, type Runner, tailLines } from '../cluster/exec.ts';
import { LEGACY_NAMESPACE } from '../config/bookinfo.ts';
import type { RequestRecord, SimResult, StatusShare } from '../sim/index.ts';
import { ProbeError, type ProbeRequest } from './probe-commands.ts';

/** The client that stands for a client outside the mesh calling the ingress gateway (`cluster up` deploys it). */
export const GATEWAY_CLIENT = 'curl';

/** Requests one plaintext probe sends at most (one exec, one after the other in the pod). */
export const PLAINTEXT_MAX_REQUESTS = 20;
/** curl's own limit per request, in seconds (a reset answers at once; a black hole waits this long). */
const CURL_MAX_TIME_S = 5;

/** The loop run in the pod: $1 requests, the rest curl's arguments; one `CODE EXIT` line each. */
const LOOP =
  'n=$1; shift; i=0; while [ "$i" -lt "$n" ]; do ' +
  `c=$(curl -s -o /dev/null -w '%{http_code}' --max-time ${CURL_MAX_TIME_S} "$@"); ` +
  'echo "$c $?"; i=$((i+1)); done';

/** What curl's exit codes mean for a request that got no HTTP answer. */
const CURL_EXIT: Record<number, string> = {
  6: 'the host did not resolve',
  7: 'the connection was refused',
  28: 'no answer in time',
  35: 'the TLS handshake failed',
  52: 'the server closed the connection without a reply',
  56: 'the connection was reset',
};

export interface PlaintextProbeOptions {
  run?: Runner;
  kubeconfig?: string;
  context?: string;
  /** the port of a short host when the target names none; default 9080 (Bookinfo) */
  portOf?: (service: string) => number | undefined;
  deadlineMs?: number;
  now?: () => number;
}

/** The probe was not made: why, in words (the check is then simulated). */
export interface NotProbed {
  unavailable: string;
}

/** `legacy/curl` -> curl; undefined when `from` is not a client of the namespace legacy. */
export function plaintextClient(from: string | undefined): string | undefined {
  const m = /^([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(from ?? '');
  return m?.[1] === LEGACY_NAMESPACE ? m[2] : undefined;
}

/** Why the exec could not be made at all (so the check falls back to the simulator), or undefined. */
function execUnavailable(r: CommandResult, client: string): string | undefined {
  const out = `${r.stderr}\n${r.stdout}`;
  if (r.notFound) return 'kubectl is not on PATH';
  if (/forbidden/i.test(out) && /pods\/exec|exec/i.test(out))
    return `kubectl exec into ${LEGACY_NAMESPACE}/${client} was refused (RBAC: this user may not create pods/exec in ${LEGACY_NAMESPACE})`;
  if (/\(NotFound\)/.test(out) && new RegExp(`\\b${client}\\b`).test(out))
    return `${LEGACY_NAMESPACE}/${client} is not deployed (no Deployment ${client} in ${LEGACY_NAMESPACE})`;
  if (/no pods? (found|available)|container not found|unable to upgrade connection/i.test(out))
    return `${LEGACY_NAMESPACE}/${client} has no running pod`;
  return undefined;
}

export class PlaintextProbe {
  private readonly run: Runner;
  private readonly opts: PlaintextProbeOptions;
  private readonly now: () => number;

  constructor(options: PlaintextProbeOptions) {
    this.opts = options;
    this.run = options.run ?? execaRunner();
    this.now = options.now ?? (() => performance.now());
  }

  /** The URL curl is given: `details.default` -> http://details.default:9080/. */
  url(req: ProbeRequest): URL {
    if (!req.to) throw new ProbeError('a target host is required');
    const path = req.path ?? '/';
    if (/^https?:\/\//i.test(req.to)) {
      const url = new URL(req.to);
      return req.path !== undefined && url.pathname === '/' && !url.search ? new URL(path, url) : url;
    }
    const m = /^([^:/]+)(?::(\d+))?$/.exec(req.to);
    if (!m?.[1]) throw new ProbeError(`"${req.to}" is not a host, host:port or URL`);
    // as written: a short host resolves in the pod's namespace (legacy), as the simulator has it
    const host = m[1];
    const port = m[2] ? Number(m[2]) : (this.opts.portOf?.(m[1].split('.')[0] ?? m[1]) ?? 9080);
    return new URL(`http://${host}:${port}${path}`);
  }

  requests(req: ProbeRequest): number {
    return Math.max(1, Math.min(req.requests ?? PLAINTEXT_MAX_REQUESTS, PLAINTEXT_MAX_REQUESTS));
  }

  /** `kubectl [--kubeconfig K] [--context C] -n legacy exec deploy/<client> -- sh -c LOOP sh N ... URL` */
  args(client: string, req: ProbeRequest): string[] {
    const method = req.method && req.method.toUpperCase() !== 'GET' ? ['-X', req.method.toUpperCase()] : [];
    const headers = Object.entries(req.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
    return [
      ...(this.opts.kubeconfig ? ['--kubeconfig', this.opts.kubeconfig] : []),
      ...(this.opts.context ? ['--context', this.opts.context] : []),
      '-n',
      LEGACY_NAMESPACE,
      'exec',
      `deploy/${client}`,
      '--',
      'sh',
      '-c',
      LOOP,
      'sh',
      String(this.requests(req)),
      ...method,
      ...headers,
      this.url(req).href,
    ];
  }

  /**
   * The request a client outside the mesh sends to the ingress gateway, from
   * legacy/curl: to the gateway's Service (`gateway`, e.g. istio-ingressgateway.istio-system)
   * on the port the check names (80 when none), with the check's host as Host header.
   */
  viaGateway(req: ProbeRequest, gateway: string): ProbeRequest {
    const m = /^([^:/]+)(?::(\d+))?$/.exec(req.to);
    if (!m?.[1]) throw new ProbeError(`"${req.to}" is not a host or host:port for the ingress gateway`);
    const { from: _from, ...rest } = req;
    return {
      ...rest,
      from: `${LEGACY_NAMESPACE}/${GATEWAY_CLIENT}`,
      to: `${gateway}:${m[2] ?? '80'}`,
      headers: { ...(req.headers ?? {}), host: m[1] },
    };
  }

  /** Sends the requests from the client's pod; NotProbed when the exec cannot be made. */
  async probe(req: ProbeRequest): Promise<SimResult | NotProbed> {
    const client = plaintextClient(req.from);
    if (!client) throw new ProbeError(`${req.from ?? 'the client'} is not a client in ${LEGACY_NAMESPACE}`);
    const n = this.requests(req);
    // each request may wait curl's --max-time; the exec itself a few seconds more
    const deadlineMs = this.opts.deadlineMs ?? n * CURL_MAX_TIME_S * 1000 + 15_000;
    const started = this.now();
    const r = await this.run({ file: 'kubectl', args: this.args(client, req), timeoutMs: deadlineMs });
    const unavailable = execUnavailable(r, client);
    if (unavailable) return { unavailable };
    // the shell could not run curl (exit 127): the pod's image has none, nothing was sent
    if (/^\d{3} 127$/m.test(r.stdout))
      return { unavailable: `${LEGACY_NAMESPACE}/${client}'s image has no curl (exit 127)` };
    const what = `${n} requests from ${LEGACY_NAMESPACE}/${client} to ${this.url(req).href}`;
    if (r.timedOut)
      throw new ProbeError(`live probe (${what}) did not finish within ${formatDuration(deadlineMs)}`, r);
    const lines = r.stdout
      .split('\n')
      .map((l) => /^(\d{3}) (\d+)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null);
    if (r.exitCode !== 0 || lines.length !== n) {
      const tail = tailLines(r.stderr.trim() ? r.stderr : r.stdout, 5).join(' | ');
      throw new ProbeError(
        `live probe (${what}): \`${r.command}\` ${r.exitCode !== 0 ? `failed with exit code ${r.exitCode}` : `printed ${lines.length} results, not ${n}`}${tail ? `: ${tail}` : ''}`,
        r,
      );
    }
    return this.result(req, client, lines, this.now() - started);
  }

  private result(req: ProbeRequest, client: string, lines: RegExpExecArray[], elapsedMs: number): SimResult {
    const url = this.url(req);
    const service = url.hostname.split('.')[0] ?? url.hostname;
    const records: RequestRecord[] = lines.map((m, index) => {
      const status = Number(m[1]);
      return {
        index,
        startMs: 0,
        latencyMs: 0,
        status,
        flags: '-',
        service,
        attempts: 1,
      };
    });
    const statuses = new Map<number, number>();
    const exits = new Map<number, number>();
    for (const m of lines) {
      const status = Number(m[1]);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 0) exits.set(Number(m[2]), (exits.get(Number(m[2])) ?? 0) + 1);
    }
    const n = lines.length;
    const pct = (k: number) => Math.round((10000 * k) / n) / 100;
    const shares: StatusShare[] = [...statuses]
      .sort(([a, x], [b, y]) => y - x || a - b)
      .map(([status, count]) => ({ status, flags: '-', count, percent: pct(count) }));
    const noAnswer = [...exits]
      .map(([code, k]) => `${k} curl exit ${code}${CURL_EXIT[code] ? ` (${CURL_EXIT[code]})` : ''}`)
      .join(', ');
    return {
      summary: {
        target: {
          host: url.hostname,
          authority: url.host,
          path: `${url.pathname}${url.search}`,
          method: (req.method ?? 'GET').toUpperCase(),
          from: req.headers?.host
            ? `${LEGACY_NAMESPACE}/${client} through ${url.hostname} (Host ${req.headers.host})`
            : `${LEGACY_NAMESPACE}/${client} (no sidecar: plaintext)`,
        },
        requests: n,
        concurrency: 1,
        qps: 0,
        seed: 0,
        simulatedMs: Math.round(elapsedMs),
        destinations: [],
        statuses: shares,
        latencyMs: { min: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 },
        retries: { requestsRetried: 0, retries: 0, upstreamAttempts: n },
        mirrored: { copies: 0, failed: 0, byDestination: [] },
        upstream: [],
        ejections: [],
        notes: [
          `measured: ${n} requests sent by curl in ${LEGACY_NAMESPACE}/${client} (kubectl exec)${req.headers?.host ? ` to ${url.host} with Host ${req.headers.host}` : ''}, counted by curl${noAnswer ? `; no HTTP answer: ${noAnswer}` : ''}`,
        ],
      },
      records,
    };
  }
}
