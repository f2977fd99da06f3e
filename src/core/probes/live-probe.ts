// Real traffic for `lab check --live --probe`: requests sent from the fortio
// client in the mesh (`kubectl exec deploy/fortio-deploy -c fortio -- fortio ...`),
// returned in the simulator's SimResult shape so that the same graders read them.
//
// One probe, bounded in count and in time:
//   1. the fortio sidecar's counters are read (mesh-stats.ts);
//   2. `fortio load -json -` sends N requests at concurrency C (N at most 1000, and
//      fewer when the configuration makes each slow: see bounds()): status counts
//      and the latency histogram;
//   3. the counters are read again: the difference is every request of the load,
//      with its status, Envoy flags and the version that answered;
//   4. a few single requests (`fortio curl`, default 10, 4 at a time) are read for
//      their bodies: which pod answered, what /productpage showed.
// When the counters cannot be read, the samples are sent during the load instead,
// so that they meet the same conditions, and versions and flags come from their
// bodies (see bodies.ts). probe-result.ts builds the result and says in its notes
// how it was measured.

import {
  type CommandResult,
  execaRunner,
  formatCommandLine,
  formatDuration,
  type Runner,
  tailLines,
} from '../cluster/exec.ts';
import { trainerCommand } from '../command-name.ts';
import type { SimResult } from '../sim/index.ts';
import { flagsFromResponse, parseProductPage, parseReviewsBody } from './bodies.ts';
import { FortioOutputError, type LoadOutcome, parseFortioCurl, parseFortioLoad } from './fortio.ts';
import { countTo, type MeshStats, parseMeshStats, statsDelta } from './mesh-stats.ts';
import {
  FORTIO_TARGET,
  type LiveProbeOptions,
  ProbeCommands,
  ProbeError,
  type ProbeRequest,
} from './probe-commands.ts';
import { probeResult, type Sample } from './probe-result.ts';

export {
  FORTIO_TARGET,
  type LiveProbeOptions,
  PROBE_DEFAULTS,
  ProbeError,
  type ProbeRequest,
} from './probe-commands.ts';

/** Reading the sidecar's counters: each read's time limit, reads at most after a probe, the pause between them. */
const STATS_TIMEOUT_MS = 10_000;
const STATS_READS = 5;
const STATS_PAUSE_MS = 200;

/** A call not made, or killed, because another call of the same probe failed first. */
class ProbeStopped extends Error {
  constructor() {
    super('stopped after another call of the probe failed');
    this.name = 'ProbeStopped';
  }
}

export class LiveProbe extends ProbeCommands {
  private readonly run: Runner;
  private readonly now: () => number;

  constructor(options: LiveProbeOptions) {
    super(options);
    this.run = options.run ?? execaRunner();
    this.now = options.now ?? (() => performance.now());
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
    const before = await this.readStats(deadline);
    const sampleCount = Math.min(this.options.bodySamples, requests);
    let load: LoadOutcome;
    let samples: Sample[];
    let stats: MeshStats | undefined;
    let statsProblem = typeof before === 'string' ? before : undefined;
    if (typeof before !== 'string') {
      // The sidecar counts every request of the load, flags included: the samples
      // are only read for their bodies, after the load, so that the counters and
      // fortio's latency histogram describe the same requests.
      load = await this.load(req, deadline, what, new AbortController().signal);
      const after = await this.statsAfter(before, t.service, load.count, deadline);
      if (typeof after === 'string') statsProblem = after;
      else stats = after;
      samples = await this.samples(req, sampleCount, this.now(), deadline, what, new AbortController());
    } else {
      // Without counters, flags show only in bodies: samples are sent during the
      // load, to meet the same conditions (an overflowing pool, say).
      [load, samples] = await this.together(req, sampleCount, started, deadline, what);
    }
    return probeResult({
      target: t,
      method: (req.method ?? 'GET').toUpperCase(),
      namespace: this.options.namespace,
      from: `${FORTIO_TARGET.deployment} in ${this.options.namespace}${req.from ? ` (standing in for ${req.from})` : ''}`,
      requests,
      concurrency,
      qps: req.qps ?? 0,
      load,
      samples,
      ...(stats ? { stats } : {}),
      ...(statsProblem ? { statsProblem } : {}),
    });
  }

  /** `fortio load`, parsed. */
  private async load(
    req: ProbeRequest,
    deadline: number,
    what: string,
    signal: AbortSignal,
  ): Promise<LoadOutcome> {
    const r = await this.kubectl(this.loadArgs(req), deadline, what, signal);
    try {
      return parseFortioLoad(r.stdout);
    } catch (e) {
      if (e instanceof FortioOutputError)
        throw new ProbeError(`live probe (${what}): ${e.message}${outputTail(r)}`, r);
      throw e;
    }
  }

  /**
   * The load and the samples side by side. The first failure stops the other
   * kubectl calls, and this returns only once every call has ended: no exec is
   * left running behind an error.
   */
  private async together(
    req: ProbeRequest,
    sampleCount: number,
    started: number,
    deadline: number,
    what: string,
  ): Promise<[LoadOutcome, Sample[]]> {
    const stop = new AbortController();
    const settled = await Promise.allSettled(
      [
        this.load(req, deadline, what, stop.signal),
        this.samples(req, sampleCount, started, deadline, what, stop),
      ].map((p) =>
        p.catch((e: unknown) => {
          stop.abort();
          throw e;
        }),
      ),
    );
    const [loadResult, samplesResult] = settled as [
      PromiseSettledResult<LoadOutcome>,
      PromiseSettledResult<Sample[]>,
    ];
    const failure = settled.find((r) => r.status === 'rejected' && !(r.reason instanceof ProbeStopped));
    if (failure?.status === 'rejected') throw failure.reason;
    if (loadResult.status !== 'fulfilled' || samplesResult.status !== 'fulfilled')
      throw new ProbeError(`live probe (${what}) was stopped`);
    return [loadResult.value, samplesResult.value];
  }

  /** The fortio sidecar's counters, or why they could not be read (the probe goes on without them). */
  private async readStats(deadline: number): Promise<MeshStats | string> {
    const left = Math.min(STATS_TIMEOUT_MS, Math.floor(deadline - this.now()));
    if (left <= 0) return 'no time was left';
    const r = await this.run({ file: 'kubectl', args: this.statsArgs(), timeoutMs: left });
    if (r.timedOut) return `\`${r.command}\` did not answer within ${formatDuration(left)}`;
    if (r.exitCode !== 0) return `\`${r.command}\` failed with exit code ${r.exitCode}${outputTail(r)}`;
    return parseMeshStats(r.stdout);
  }

  /**
   * What the sidecar counted since `before`. Envoy counts a request when its
   * stream ends, a moment after fortio has its answer: read again, briefly, until
   * the `expected` requests to `service` are all there.
   */
  private async statsAfter(
    before: MeshStats,
    service: string,
    expected: number,
    deadline: number,
  ): Promise<MeshStats | string> {
    let delta: MeshStats | undefined;
    for (let attempt = 0; attempt < STATS_READS; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, STATS_PAUSE_MS));
      const after = await this.readStats(deadline);
      if (typeof after === 'string') return delta ?? after;
      delta = statsDelta(before, after);
      if (countTo(delta, service) >= expected) return delta;
    }
    return delta && countTo(delta, service) > 0
      ? delta
      : `the sidecar counted no request to ${service} (is Istio's telemetry turned off?)`;
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
    return `${base}; the fortio client is missing (\`${trainerCommand()} cluster up\` deploys it)`;
  return base;
}
