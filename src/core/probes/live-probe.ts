// Real traffic for `lab check --live --probe`: requests sent from the fortio
// client in the mesh (`kubectl exec deploy/fortio-deploy -c fortio -- fortio ...`),
// returned in the simulator's SimResult shape so that the same graders read them.
//
// One probe is two things run side by side, bounded in count and in time:
//   - `fortio load -json -` with N requests at concurrency C (N capped, default 200):
//     the status counts and the latency percentiles of the summary;
//   - a few single requests (`fortio curl`, default 10, 4 at a time) sent while the
//     load runs, so they meet the same conditions: their bodies say which pod
//     answered (reviews' "podname"), what /productpage showed, and any Envoy flag
//     the response reveals. They are the records, and the destinations and pages
//     are shares of them.
// What is not measured is not invented: retries, mirrored copies and ejections are
// empty, and flags stay '-' unless the response says so (see bodies.ts).

import {
  type CommandResult,
  execaRunner,
  formatCommandLine,
  formatDuration,
  type Runner,
  tailLines,
} from '../cluster/exec.ts';
import type {
  DestinationShare,
  PageShare,
  RequestRecord,
  SimResult,
  SimulateOptions,
  StatusShare,
  UpstreamLoad,
} from '../sim/index.ts';
import { describePage } from '../sim/index.ts';
import { flagsFromResponse, parseProductPage, parseReviewsBody } from './bodies.ts';
import { FortioOutputError, type LoadOutcome, parseFortioCurl, parseFortioLoad } from './fortio.ts';

/** The fortio client `cluster up` deploys (see ../cluster/manifests.ts). */
export const FORTIO_TARGET = { deployment: 'fortio-deploy', container: 'fortio' } as const;

export const PROBE_DEFAULTS = {
  /** requests of one fortio load at most, whatever the grader asks for */
  maxRequests: 200,
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

/** The request shape of a probe: the simulator's options that live traffic can honour. */
export type ProbeRequest = Pick<
  SimulateOptions,
  'to' | 'path' | 'method' | 'headers' | 'from' | 'requests' | 'concurrency' | 'qps'
>;

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

/** A call not made, or killed, because another call of the same probe failed first. */
class ProbeStopped extends Error {
  constructor() {
    super('stopped after another call of the probe failed');
    this.name = 'ProbeStopped';
  }
}

interface Target {
  url: string;
  host: string;
  authority: string;
  path: string;
  service: string;
  tls: boolean;
}

interface Sample {
  startMs: number;
  status: number;
  flags: string;
  pod?: string;
  version?: string;
  page?: RequestRecord['page'];
}

const pct = (n: number, total: number): number => (total > 0 ? Math.round((10000 * n) / total) / 100 : 0);
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `reviews.default.svc.cluster.local` -> reviews; external hosts stay whole. */
function serviceOf(host: string): string {
  if (!host.includes('.')) return host;
  if (/\.svc(?:\.cluster\.local)?$/.test(host)) return host.split('.')[0] ?? host;
  return host;
}

export class LiveProbe {
  readonly options: Required<
    Pick<
      LiveProbeOptions,
      'namespace' | 'maxRequests' | 'bodySamples' | 'parallel' | 'deadlineMs' | 'httpTimeoutMs'
    >
  >;
  private readonly run: Runner;
  private readonly opts: LiveProbeOptions;
  private readonly now: () => number;

  constructor(options: LiveProbeOptions) {
    this.opts = options;
    this.run = options.run ?? execaRunner();
    this.now = options.now ?? (() => performance.now());
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

  /** kubectl's arguments before `exec`: kubeconfig, context, namespace. */
  private kubectlPrefix(): string[] {
    return [
      ...(this.opts.kubeconfig ? ['--kubeconfig', this.opts.kubeconfig] : []),
      ...(this.opts.context ? ['--context', this.opts.context] : []),
      '-n',
      this.options.namespace,
      'exec',
      `deploy/${FORTIO_TARGET.deployment}`,
      '-c',
      FORTIO_TARGET.container,
      '--',
      'fortio',
    ];
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
    const requests = Math.min(asked, this.options.maxRequests);
    return { requests, concurrency: Math.min(c, requests, PROBE_DEFAULTS.maxConcurrency) };
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
    const headers = Object.entries(req.headers ?? {})
      .map(([k, v]) => `${k}: ${v}`)
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

  /** Sends the probe's requests and returns what they measured, in the simulator's shape. */
  async probe(req: ProbeRequest): Promise<SimResult> {
    if (req.from === 'ingress' || req.from?.includes('gateway'))
      throw new ProbeError(
        `live probes send from the fortio client in the mesh; requests from ${req.from} are not probed`,
      );
    const t = this.target(req);
    const { requests, concurrency } = this.bounds(req);
    const started = this.now();
    const deadline = started + this.options.deadlineMs;
    const what = this.describe(req);
    // The first failure stops the other kubectl calls, and the probe reports only
    // once every call has ended: no exec is left running behind an error.
    const stop = new AbortController();
    const settled = await Promise.allSettled(
      [
        this.kubectl(this.loadArgs(req), deadline, what, stop.signal).then((r) => {
          try {
            return parseFortioLoad(r.stdout);
          } catch (e) {
            if (e instanceof FortioOutputError)
              throw new ProbeError(`live probe (${what}): ${e.message}${outputTail(r)}`, r);
            throw e;
          }
        }),
        this.samples(req, Math.min(this.options.bodySamples, requests), started, deadline, what, stop),
      ].map((p) =>
        p.catch((e: unknown) => {
          stop.abort();
          throw e;
        }),
      ),
    );
    const [loadResult, samplesResult] = settled as [
      PromiseSettledResult<ReturnType<typeof parseFortioLoad>>,
      PromiseSettledResult<Sample[]>,
    ];
    const failure = settled.find((r) => r.status === 'rejected' && !(r.reason instanceof ProbeStopped));
    if (failure?.status === 'rejected') throw failure.reason;
    if (loadResult.status !== 'fulfilled' || samplesResult.status !== 'fulfilled')
      throw new ProbeError(`live probe (${what}) was stopped`);
    const load = loadResult.value;
    const samples = samplesResult.value;
    return this.result(req, t, load, samples, requests, concurrency);
  }

  /** Single requests whose bodies are read, `parallel` at a time. */
  private async samples(
    req: ProbeRequest,
    count: number,
    started: number,
    deadline: number,
    what: string,
    stop: AbortController,
  ): Promise<Sample[]> {
    const out: Sample[] = new Array(count);
    let next = 0;
    const args = this.curlArgs(req);
    const service = this.target(req).service;
    const worker = async (): Promise<void> => {
      while (next < count) {
        const i = next++;
        const startMs = Math.round(this.now() - started);
        const r = await this.kubectl(args, deadline, what, stop.signal, true);
        out[i] = { startMs, ...this.readSample(r, service, what) };
      }
    };
    const workers = Array.from({ length: Math.min(this.options.parallel, count) }, () =>
      worker().catch((e: unknown) => {
        stop.abort();
        throw e;
      }),
    );
    const ended = await Promise.allSettled(workers);
    const failed = ended.find((r) => r.status === 'rejected' && !(r.reason instanceof ProbeStopped));
    const first = failed ?? ended.find((r) => r.status === 'rejected');
    if (first?.status === 'rejected') throw first.reason;
    return out;
  }

  private readSample(r: CommandResult, service: string, what: string): Omit<Sample, 'startMs'> {
    const response = parseFortioCurl(r.stdout);
    if (!response) {
      // fortio ran but got no HTTP answer (it exits 1 and says why on stderr)
      if (/command terminated with exit code/.test(r.stderr)) return { status: 0, flags: '-' };
      throw new ProbeError(`live probe (${what}): ${failureText(r)}`, r);
    }
    const sample: Omit<Sample, 'startMs'> = { status: response.status, flags: flagsFromResponse(response) };
    const reviews = parseReviewsBody(response.body);
    if (reviews) {
      sample.pod = reviews.pod;
      if (reviews.version) sample.version = reviews.version;
      return sample;
    }
    if (
      /<title>Simple Bookstore App<\/title>/.test(response.body) ||
      response.body.includes('Book Reviews')
    ) {
      const page = parseProductPage(response.body);
      sample.page = page;
    }
    if (sample.flags === '-' && response.status > 0) {
      const version = this.opts.versionOf?.(service);
      if (version) sample.version = version;
    }
    return sample;
  }

  /** Runs kubectl within what is left of the deadline; exit codes other than 0 fail unless `lenient`. */
  private async kubectl(
    args: string[],
    deadline: number,
    what: string,
    signal: AbortSignal,
    lenient = false,
  ): Promise<CommandResult> {
    if (signal.aborted) throw new ProbeStopped();
    const left = Math.floor(deadline - this.now());
    const budget = formatDuration(this.options.deadlineMs);
    if (left <= 0)
      throw new ProbeError(`live probe (${what}) did not finish within ${budget} and was stopped`);
    const r = await this.run({ file: 'kubectl', args, timeoutMs: left, signal });
    if (signal.aborted) throw new ProbeStopped();
    if (r.timedOut)
      throw new ProbeError(
        `live probe (${what}) did not finish within ${budget} and was stopped (\`${r.command}\`)`,
        r,
      );
    if (r.notFound) throw new ProbeError(`live probe (${what}): kubectl is not on PATH`, r);
    if (r.exitCode !== 0 && !(lenient && /HTTP\/\d(?:\.\d)? \d{3}/.test(r.stdout))) {
      if (lenient && /command terminated with exit code/.test(r.stderr)) return r;
      throw new ProbeError(`live probe (${what}): ${failureText(r)}`, r);
    }
    return r;
  }

  private result(
    req: ProbeRequest,
    t: Target,
    load: LoadOutcome,
    samples: Sample[],
    requests: number,
    concurrency: number,
  ): SimResult {
    const latency = load.latencyMs;
    const records: RequestRecord[] = samples.map((s, index) => {
      const rec: RequestRecord = {
        index,
        startMs: s.startMs,
        latencyMs: latency.p50,
        status: s.status,
        flags: s.flags,
        service: t.service,
        attempts: 1,
      };
      if (s.pod) rec.pod = s.pod;
      if (s.version) rec.version = s.version;
      if (s.page) rec.page = s.page;
      return rec;
    });
    const total = load.count > 0 ? load.count : records.length;

    // statuses: fortio's counts; flags as the samples with that status showed them
    const statuses: StatusShare[] = [];
    const codes = load.count > 0 ? load.codes : countBy(records.map((r) => r.status));
    for (const [code, n] of codes) {
      const status = Math.max(code, 0);
      const seen = countBy(records.filter((r) => r.status === status).map((r) => r.flags));
      const groups = seen.size > 0 ? [...seen] : [['-', 1] as [string, number]];
      const sampled = groups.reduce((a, [, k]) => a + k, 0);
      let left = n;
      groups.forEach(([flags, k], i) => {
        const count = i === groups.length - 1 ? left : Math.round((n * k) / sampled);
        left -= count;
        if (count > 0) statuses.push({ status, flags, count, percent: pct(count, total) });
      });
    }
    statuses.sort((a, b) => b.count - a.count || a.status - b.status || compare(a.flags, b.flags));

    // destinations and pages: shares of the samples
    const dest = new Map<string, DestinationShare>();
    const pages = new Map<string, PageShare>();
    const upstream = new Map<string, UpstreamLoad>();
    for (const r of records) {
      const reached = r.pod !== undefined || r.version !== undefined;
      const version = r.version ?? '-';
      const key = `${reached ? 1 : 0}|${version}`;
      let d = dest.get(key);
      if (!d) dest.set(key, (d = { service: t.service, version, reachedPod: reached, count: 0, percent: 0 }));
      d.count++;
      if (r.page) {
        const view = describePage(r.page);
        let p = pages.get(view);
        if (!p) pages.set(view, (p = { view, count: 0, percent: 0 }));
        p.count++;
      }
      if (r.pod) {
        let u = upstream.get(r.pod);
        if (!u)
          upstream.set(
            r.pod,
            (u = { service: t.service, version, pod: r.pod, requests: 0, errors: 0, mirrored: 0 }),
          );
        u.requests++;
        if (r.status >= 500) u.errors++;
      }
    }
    for (const x of [...dest.values(), ...pages.values()]) x.percent = pct(x.count, records.length);

    const from = `${FORTIO_TARGET.deployment} in ${this.options.namespace}${req.from ? ` (standing in for ${req.from})` : ''}`;
    const result: SimResult = {
      summary: {
        target: {
          host: t.host,
          authority: t.authority,
          path: t.path,
          method: (req.method ?? 'GET').toUpperCase(),
          from,
          ...(t.tls ? { tls: true } : {}),
        },
        requests,
        concurrency,
        qps: req.qps ?? 0,
        seed: 0,
        simulatedMs: load.durationMs,
        destinations: [...dest.values()].sort(
          (a, b) => b.count - a.count || compare(`${a.version}`, `${b.version}`),
        ),
        statuses,
        latencyMs: latency,
        retries: { requestsRetried: 0, retries: 0, upstreamAttempts: records.length },
        mirrored: { copies: 0, failed: 0, byDestination: [] },
        upstream: [...upstream.values()].sort((a, b) => compare(a.pod, b.pod)),
        ejections: [],
      },
      records,
    };
    if (pages.size > 0)
      result.summary.pages = [...pages.values()].sort((a, b) => b.count - a.count || compare(a.view, b.view));
    return result;
  }
}

function countBy<T>(values: readonly T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

function outputTail(r: CommandResult): string {
  const lines = tailLines(r.stderr.trim() ? r.stderr : r.stdout, 5);
  return lines.length ? `: ${lines.join(' | ')}` : '';
}

/** "`kubectl ...` failed with exit code 1: <output>", with a hint for a missing fortio client. */
function failureText(r: CommandResult): string {
  const command = r.command || formatCommandLine(r.file, []);
  const base = `\`${command}\` failed with exit code ${r.exitCode}${outputTail(r)}`;
  if (/fortio-deploy.*not found|not found.*fortio-deploy/i.test(`${r.stderr}${r.stdout}`))
    return `${base}; the fortio client is missing (\`ica-trainer cluster up\` deploys it)`;
  return base;
}
