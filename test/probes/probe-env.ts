// A throw-away PATH for the probe tests: the recording fake kubectl of
// test/fixtures/probes (and `node`, for its shebang), a script of answers and a
// call log; the real execa runner runs it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execaRunner, type Runner } from '../../src/core/cluster/exec.ts';
import type { PageView } from '../../src/core/sim/index.ts';
import type { FakeScript } from '../fixtures/probes/fake-kubectl.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/probes/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export interface ProbeEnv {
  run: Runner;
  /** the environment that puts the fake kubectl first (for the CLI in a child process) */
  env: Record<string, string>;
  /** argv of each kubectl call, in order */
  calls(): string[][];
  /** pids of the kubectl calls that are still running */
  running(): number[];
  cleanup(): void;
}

export function makeProbeEnv(script: FakeScript): ProbeEnv {
  const root = mkdtempSync(join(tmpdir(), 'ica-probe-'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  symlinkSync(join(FIXTURES, 'bin', 'kubectl'), join(bin, 'kubectl'));
  symlinkSync(process.execPath, join(bin, 'node'));
  const scriptPath = join(root, 'script.json');
  const logPath = join(root, 'calls.jsonl');
  writeFileSync(scriptPath, JSON.stringify(script));
  const env = { PATH: bin, FAKE_SCRIPT: scriptPath, FAKE_LOG: logPath };
  return {
    run: execaRunner({ env }),
    env,
    calls: () => {
      try {
        return readFileSync(logPath, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as string[]);
      } catch {
        return [];
      }
    },
    running: () => {
      let pids: number[] = [];
      try {
        pids = readFileSync(`${logPath}.pids`, 'utf8').split('\n').filter(Boolean).map(Number);
      } catch {
        return [];
      }
      return pids.filter((pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      });
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** What `fortio curl` prints: the status line, headers, a blank line, the body. */
export function curlOut(status: number, body: string, headers: Record<string, string> = {}): string {
  const reason: Record<number, string> = {
    200: 'OK',
    503: 'Service Unavailable',
    500: 'Internal Server Error',
  };
  const lines = [
    `HTTP/1.1 ${status} ${reason[status] ?? ''}`.trimEnd(),
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    'server: envoy',
    'x-envoy-upstream-service-time: 7',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** The reviews service's JSON answer, as LibertyRestEndpoint builds it. */
export function reviewsBody(pod: string, color?: 'black' | 'red', ratingsDown = false): string {
  const rating = (stars: number) =>
    ratingsDown
      ? ', "rating": {"error": "Ratings service is currently unavailable"}'
      : color
        ? `, "rating": {"stars": ${stars}, "color": "${color}"}`
        : '';
  return (
    `{"id": "0","podname": "${pod}","clustername": "null","reviews": [` +
    `{  "reviewer": "Reviewer1",  "text": "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!"${rating(5)}},` +
    `{  "reviewer": "Reviewer2",  "text": "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare."${rating(4)}}]}`
  );
}

/** `fortio load -json -` output with these status counts (latency from the 200-call fixture). */
export function loadJson(
  codes: Record<string, number>,
  change: (o: Record<string, unknown>) => void = () => {},
): string {
  const o = JSON.parse(fixture('load-200.json')) as Record<string, unknown>;
  o.RetCodes = codes;
  const count = Object.values(codes).reduce((a, b) => a + b, 0);
  (o.DurationHistogram as Record<string, unknown>).Count = count;
  change(o);
  return `${JSON.stringify(o, null, 2)}\n`;
}

/** What the fortio sidecar's stats/prometheus shows after these requests (service -> version -> count, all 200). */
export function statsText(counts: Record<string, Record<string, number>>, namespace = 'default'): string {
  const lines = ['# TYPE istio_requests_total counter'];
  for (const [service, versions] of Object.entries(counts))
    for (const [version, n] of Object.entries(versions))
      lines.push(
        `istio_requests_total{reporter="source",source_workload="fortio-deploy",destination_workload="${service}-${version}",destination_version="${version}",destination_service="${service}.${namespace}.svc.cluster.local",destination_service_name="${service}",destination_service_namespace="${namespace}",request_protocol="http",response_code="200",response_flags="-"} ${n}`,
      );
  return `${lines.join('\n')}\n`;
}

/** /productpage as Bookinfo renders this view (from the v2 page of the fixtures). */
export function productPageHtml(p: PageView): string {
  let html = fixture('productpage-v2.html.txt');
  if (!p.details) html += '<h4 class="text-center text-primary">Error fetching product details!</h4>';
  if (!p.reviews) return `${html}<h4 class="text-center text-primary">Error fetching product reviews!</h4>`;
  if (p.stars !== 'black') html = html.replace(/<font color="black">[\s\S]*?<\/font>/g, '');
  if (p.stars === 'red') html += '<font color="red"><span class="glyphicon glyphicon-star"></span></font>';
  if (p.ratings === false) html += '<p>Ratings service is currently unavailable</p>';
  if (p.reviewsPod) html = html.replace('reviews-v2-5b667bcbf8-x7xzs', p.reviewsPod);
  return html;
}

/** A page with black stars (reviews v2), and one without (reviews v1). */
export const STARRED_PAGE = productPageHtml({ details: true, reviews: true, stars: 'black', ratings: true });
export const PLAIN_PAGE = productPageHtml({
  details: true,
  reviews: true,
  stars: 'none',
  ratings: true,
  reviewsPod: 'reviews-v1-6cf9c9d8b4-2kq7m',
});
