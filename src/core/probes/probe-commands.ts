// The commands a live probe runs, built without running anything: the target URL
// of a request, its bounds (count and concurrency), and the kubectl exec argument
// arrays for fortio load, fortio curl and the sidecar's counters. live-probe.ts runs
// them.
import type { CommandResult, Runner } from '../cluster/exec.ts';
import type { SimulateOptions } from '../sim/index.ts';
import type { ProbeTarget as Target } from './probe-result.ts';

/** The fortio client `cluster up` deploys (see ../cluster/manifests.ts). */
export const FORTIO_TARGET = {
  deployment: 'fortio-deploy',
  container: 'fortio',
  proxy: 'istio-proxy',
} as const;

export const PROBE_DEFAULTS = {
  /**
   * requests of one fortio load at most, whatever the grader asks for: enough to
   * tell an 89/11 split from 80/20 (a slow target gets fewer, see bounds())
   */
  maxRequests: 1000,
  /** single requests whose bodies are read */
  bodySamples: 10,
  /** single requests in flight at once */
  parallel: 4,
  /** the whole probe (load and samples) must finish within this */
  deadlineMs: 60_000,
  /** fortio's own per-request timeout (its default of 3s would cut injected delays) */
  httpTimeoutMs: 30_000,
  /** concurrency at most */
  maxConcurrency: 64,
} as const;

/** The share of a probe's deadline its load is planned to take (the rest: samples waiting their turn, reading counters). */
const LOAD_SHARE = 0.6;

/** The request shape of a probe: the simulator's options that live traffic can honour. */
export type ProbeRequest = Pick<
  SimulateOptions,
  'to' | 'path' | 'method' | 'headers' | 'from' | 'requests' | 'concurrency' | 'qps'
> & {
  /**
   * How long one request is expected to take (the simulator's mean on the
   * cluster's configuration): the request count is cut so that the load fits in
   * its share of the deadline (a 3 s delay at -c 1 allows about a dozen).
   */
  expectedLatencyMs?: number;
};

export interface LiveProbeOptions {
  /** runs kubectl (default: execa, PATH as is) */
  run?: Runner;
  kubeconfig?: string;
  context?: string;
  /** where fortio-deploy runs, and where short hosts resolve */
  namespace: string;
  maxRequests?: number;
  bodySamples?: number;
  parallel?: number;
  deadlineMs?: number;
  httpTimeoutMs?: number;
  /** the port of a short host (`reviews`) when the target names none; default 9080 (Bookinfo) */
  portOf?: (service: string) => number | undefined;
  /** the version of a service that runs only one (its answers do not name their pod) */
  versionOf?: (service: string) => string | undefined;
  /** clock (tests) */
  now?: () => number;
}

/** A probe that could not measure: one message that says what and why. */
export class ProbeError extends Error {
  /** the kubectl call behind it, when there was one */
  readonly result?: CommandResult;
  constructor(message: string, result?: CommandResult) {
    super(message);
    this.name = 'ProbeError';
    if (result) this.result = result;
  }
}

/** `reviews.default.svc.cluster.local` -> reviews; external hosts stay whole. */
function serviceOf(host: string): string {
  if (!host.includes('.')) return host;
  if (/\.svc(?:\.cluster\.local)?$/.test(host)) return host.split('.')[0] ?? host;
  return host;
}

/** The commands of a probe, built from its request and options (no command is run here). */
export class ProbeCommands {
  readonly options: Required<
    Pick<
      LiveProbeOptions,
      'namespace' | 'maxRequests' | 'bodySamples' | 'parallel' | 'deadlineMs' | 'httpTimeoutMs'
    >
  >;
  protected readonly opts: LiveProbeOptions;

  constructor(options: LiveProbeOptions) {
    this.opts = options;
    this.options = {
      namespace: options.namespace,
      maxRequests: options.maxRequests ?? PROBE_DEFAULTS.maxRequests,
      bodySamples: options.bodySamples ?? PROBE_DEFAULTS.bodySamples,
      parallel: options.parallel ?? PROBE_DEFAULTS.parallel,
      deadlineMs: options.deadlineMs ?? PROBE_DEFAULTS.deadlineMs,
      httpTimeoutMs: options.httpTimeoutMs ?? PROBE_DEFAULTS.httpTimeoutMs,
    };
  }

  /** The URL fortio is given for a request: `reviews` -> http://reviews:9080/. */
  target(req: ProbeRequest): Target {
    if (!req.to) throw new ProbeError('a target host is required');
    const path = req.path ?? '/';
    if (!path.startsWith('/')) throw new ProbeError(`the path must start with "/", not "${path}"`);
    let url: URL;
    if (/^https?:\/\//i.test(req.to)) {
      url = new URL(req.to);
      if (req.path !== undefined && url.pathname === '/' && !url.search) url = new URL(path, url);
    } else {
      const m = /^([^:/]+)(?::(\d+))?$/.exec(req.to);
      if (!m?.[1]) throw new ProbeError(`"${req.to}" is not a host, host:port or URL`);
      const host = m[1];
      const port = m[2] ? Number(m[2]) : (this.opts.portOf?.(serviceOf(host)) ?? 9080);
      url = new URL(`http://${host}:${port}${path}`);
    }
    const host = url.hostname;
    return {
      url: url.href,
      host,
      authority: url.host,
      path: `${url.pathname}${url.search}`,
      service: serviceOf(host),
      tls: url.protocol === 'https:',
    };
  }

  /** `kubectl [--kubeconfig K] [--context C] -n NS exec deploy/fortio-deploy -c CONTAINER --` then `command`. */
  protected kubectlPrefix(
    container: string = FORTIO_TARGET.container,
    command: readonly string[] = ['fortio'],
  ): string[] {
    return [
      ...(this.opts.kubeconfig ? ['--kubeconfig', this.opts.kubeconfig] : []),
      ...(this.opts.context ? ['--context', this.opts.context] : []),
      '-n',
      this.options.namespace,
      'exec',
      `deploy/${FORTIO_TARGET.deployment}`,
      '-c',
      container,
      '--',
      ...command,
    ];
  }

  /** `kubectl ... exec deploy/fortio-deploy -c istio-proxy -- pilot-agent request GET stats/prometheus` */
  statsArgs(): string[] {
    return this.kubectlPrefix(FORTIO_TARGET.proxy, ['pilot-agent', 'request', 'GET', 'stats/prometheus']);
  }

  private headerArgs(req: ProbeRequest): string[] {
    return Object.entries(req.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}:${v}`]);
  }

  private fortioTimeout(): string {
    return `${Math.max(1, Math.ceil(this.options.httpTimeoutMs / 1000))}s`;
  }

  /** The request count and concurrency a probe really uses (bounded). */
  bounds(req: ProbeRequest): { requests: number; concurrency: number } {
    const asked = req.requests ?? 1000;
    if (!Number.isInteger(asked) || asked < 1)
      throw new ProbeError(`the request count must be a whole number of at least 1, not ${asked}`);
    const c = req.concurrency ?? 1;
    if (!Number.isInteger(c) || c < 1)
      throw new ProbeError(`the concurrency must be a whole number of at least 1, not ${c}`);
    const concurrency = Math.min(c, PROBE_DEFAULTS.maxConcurrency);
    const expected = req.expectedLatencyMs ?? 0;
    const fit =
      expected > 0
        ? Math.max(1, Math.floor((LOAD_SHARE * this.options.deadlineMs * concurrency) / expected))
        : Number.POSITIVE_INFINITY;
    const requests = Math.min(asked, this.options.maxRequests, fit);
    return { requests, concurrency: Math.min(concurrency, requests) };
  }

  /** `kubectl ... exec deploy/fortio-deploy -c fortio -- fortio load -json - ...` */
  loadArgs(req: ProbeRequest): string[] {
    const t = this.target(req);
    const { requests, concurrency } = this.bounds(req);
    const method = req.method && req.method.toUpperCase() !== 'GET' ? ['-X', req.method.toUpperCase()] : [];
    return [
      ...this.kubectlPrefix(),
      'load',
      '-json',
      '-',
      '-qps',
      String(req.qps ?? 0),
      '-n',
      String(requests),
      '-c',
      String(concurrency),
      '-p',
      '50,90,99',
      '-timeout',
      this.fortioTimeout(),
      '-allow-initial-errors',
      ...method,
      ...this.headerArgs(req),
      t.url,
    ];
  }

  /** `kubectl ... exec deploy/fortio-deploy -c fortio -- fortio curl ...` */
  curlArgs(req: ProbeRequest): string[] {
    const t = this.target(req);
    const method = req.method && req.method.toUpperCase() !== 'GET' ? ['-X', req.method.toUpperCase()] : [];
    return [
      ...this.kubectlPrefix(),
      'curl',
      '-timeout',
      this.fortioTimeout(),
      ...method,
      ...this.headerArgs(req),
      t.url,
    ];
  }

  /** `requests to reviews:9080/reviews/0 with end-user: jason` */
  describe(req: ProbeRequest): string {
    // a bearer token is hundreds of characters: its start is enough to tell which
    const short = (v: string) => (v.length > 40 ? `${v.slice(0, 24)}…` : v);
    const headers = Object.entries(req.headers ?? {})
      .map(([k, v]) => `${k}: ${short(v)}`)
      .join(', ');
    let where = req.to;
    try {
      const t = this.target(req);
      where = `${t.authority}${t.path}`;
    } catch {
      // described as given
    }
    return `requests to ${where}${headers ? ` with ${headers}` : ''}`;
  }
}
