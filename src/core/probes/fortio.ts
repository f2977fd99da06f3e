// What fortio prints, parsed: the JSON of `fortio load -json -` (status counts,
// latency histogram) and the raw HTTP response `fortio curl` writes to stdout
// (status line, headers, body).

/** One `fortio load -json -` run: status counts and latency, in milliseconds. */
export interface LoadOutcome {
  /** requests fortio made (DurationHistogram.Count) */
  count: number;
  /** status code -> requests; -1 is fortio's code for a request that got no HTTP answer */
  codes: Map<number, number>;
  latencyMs: { min: number; mean: number; p50: number; p90: number; p99: number; max: number };
  /** fortio's latency histogram (DurationHistogram.Data), in milliseconds, fastest first */
  buckets: { startMs: number; endMs: number; count: number }[];
  /** wall time of the run */
  durationMs: number;
}

export class FortioOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FortioOutputError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const ms = (seconds: number): number => Math.round(seconds * 1_000_000) / 1000;

/** The JSON object in fortio's stdout (any log lines before it are skipped). */
function jsonObject(stdout: string): Obj {
  const start = stdout.indexOf('{');
  const end = stdout.lastIndexOf('}');
  if (start < 0 || end < start) throw new FortioOutputError('fortio printed no JSON result');
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.slice(start, end + 1));
  } catch (e) {
    throw new FortioOutputError(`fortio's JSON result could not be read: ${(e as Error).message}`);
  }
  if (!isObj(parsed)) throw new FortioOutputError('fortio printed JSON that is not an object');
  return parsed;
}

/**
 * Parses `fortio load -json -` output. Durations in fortio's JSON are seconds;
 * ActualDuration is nanoseconds. Percentiles come from DurationHistogram.Percentiles
 * (ask for them with `-p 50,90,99`); a missing one is estimated from its neighbours.
 */
export function parseFortioLoad(stdout: string): LoadOutcome {
  const root = jsonObject(stdout);
  const hist = root.DurationHistogram;
  if (!isObj(hist)) throw new FortioOutputError('fortio JSON has no DurationHistogram');
  const retCodes = root.RetCodes;
  if (!isObj(retCodes)) throw new FortioOutputError('fortio JSON has no RetCodes');
  const codes = new Map<number, number>();
  for (const [k, v] of Object.entries(retCodes)) {
    const code = Number(k);
    const n = num(v);
    if (!Number.isInteger(code) || n === undefined) continue;
    codes.set(code, (codes.get(code) ?? 0) + n);
  }
  const counted = [...codes.values()].reduce((a, b) => a + b, 0);
  const count = num(hist.Count) ?? counted;
  const percentiles = new Map<number, number>();
  for (const p of Array.isArray(hist.Percentiles) ? hist.Percentiles : []) {
    if (!isObj(p)) continue;
    const at = num(p.Percentile);
    const value = num(p.Value);
    if (at !== undefined && value !== undefined) percentiles.set(at, value);
  }
  const min = num(hist.Min) ?? 0;
  const max = num(hist.Max) ?? min;
  const mean =
    num(hist.Avg) ?? (num(hist.Sum) !== undefined && count > 0 ? (hist.Sum as number) / count : min);
  const pct = (p: number): number => {
    const exact = percentiles.get(p);
    if (exact !== undefined) return exact;
    // nearest percentile fortio did report, else the mean
    let best: number | undefined;
    let bestDist = Number.POSITIVE_INFINITY;
    for (const [at, v] of percentiles) {
      if (Math.abs(at - p) < bestDist) {
        bestDist = Math.abs(at - p);
        best = v;
      }
    }
    return best ?? mean;
  };
  const actual = num(root.ActualDuration);
  const buckets: LoadOutcome['buckets'] = [];
  for (const b of Array.isArray(hist.Data) ? hist.Data : []) {
    if (!isObj(b)) continue;
    const start = num(b.Start);
    const end = num(b.End);
    const n = num(b.Count);
    if (start !== undefined && end !== undefined && n !== undefined && n > 0)
      buckets.push({ startMs: ms(start), endMs: ms(end), count: n });
  }
  buckets.sort((a, b) => a.startMs - b.startMs);
  return {
    count,
    codes,
    buckets,
    latencyMs: {
      min: ms(min),
      mean: ms(mean),
      p50: ms(pct(50)),
      p90: ms(pct(90)),
      p99: ms(pct(99)),
      max: ms(max),
    },
    durationMs: actual !== undefined ? Math.round(actual / 1000) / 1000 : 0,
  };
}

/**
 * The latency at quantile q (0..1) of a load, read from its histogram (linear
 * within a bucket); the median when fortio gave no histogram.
 */
export function latencyAt(load: LoadOutcome, q: number): number {
  const total = load.buckets.reduce((a, b) => a + b.count, 0);
  if (total === 0) return load.latencyMs.p50;
  let target = Math.min(Math.max(q, 0), 1) * total;
  for (const b of load.buckets) {
    if (target <= b.count) return b.startMs + ((b.endMs - b.startMs) * target) / b.count;
    target -= b.count;
  }
  return load.latencyMs.max;
}

/** One response as `fortio curl` printed it. */
export interface CurlResponse {
  status: number;
  /** lowercase names */
  headers: Record<string, string>;
  body: string;
}

/**
 * Parses `fortio curl` stdout: `HTTP/1.1 200 OK`, header lines, a blank line, the
 * body. Returns undefined when there is no status line (fortio could not connect).
 */
export function parseFortioCurl(stdout: string): CurlResponse | undefined {
  const start = stdout.search(/HTTP\/\d(?:\.\d)? \d{3}/);
  if (start < 0) return undefined;
  const text = stdout.slice(start);
  const sep = text.search(/\r?\n\r?\n/);
  const head = sep < 0 ? text : text.slice(0, sep);
  const body = sep < 0 ? '' : text.slice(sep).replace(/^\r?\n\r?\n/, '');
  const lines = head.split(/\r?\n/);
  const statusMatch = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(lines[0] ?? '');
  if (!statusMatch) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(statusMatch[1]), headers, body };
}
