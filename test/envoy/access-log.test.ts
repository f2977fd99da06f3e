// `simulate --access-log`: Envoy's default access log line for each simulated
// request, as the calling proxy writes it; a learner reads a 503 from it.
import { describe, expect, it } from 'vitest';
import { runCli as cli } from '../helpers/cli.ts';

const sim = (f: string) => new URL(`../fixtures/sim/${f}`, import.meta.url).pathname;
const sample = (f: string) => new URL(`../fixtures/bookinfo-samples/${f}`, import.meta.url).pathname;

/** The fields of Istio's default TEXT format that a diagnosis reads. */
function parse(line: string) {
  const m =
    /^\[(\S+)\] "([^"]*)" (\d+) (\S+) (\S+) (\S+) "([^"]*)" (\d+) (\d+) (\d+) (\S+) "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)$/.exec(
      line,
    );
  if (!m) throw new Error(`not an access log line: ${line}`);
  return {
    status: Number(m[3]),
    flags: m[4],
    details: m[5],
    authority: m[15],
    upstreamHost: m[16],
    cluster: m[17],
    route: m[22],
  };
}

const logLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('['));

describe('simulate --access-log', () => {
  it("--from ns/name names the caller whose proxy logs: none for legacy/curl, productpage's own address for default/productpage-v1", () => {
    const args = [
      'simulate',
      sim('reviews-80-20.yaml'),
      '--to',
      'details.default',
      '--requests',
      '1',
      '--access-log',
    ];
    const legacy = cli([...args, '--from', 'legacy/curl']);
    expect(legacy.code).toBe(0);
    expect(logLines(legacy.stdout)).toEqual([]);
    expect(legacy.stdout).toMatch(/^# no access log: curl\.legacy has no Istio sidecar/m);
    const named = cli([...args, '--from', 'default/productpage-v1']);
    const plain = cli([...args, '--from', 'productpage-v1']);
    expect(logLines(named.stdout)).toHaveLength(1);
    expect(logLines(named.stdout)).toEqual(logLines(plain.stdout));
  });

  it('circuit breaking: 503 UO lines with the overflow reset and the cluster that overflowed', () => {
    const r = cli([
      'simulate',
      sim('reviews-circuit-breaker.yaml'),
      '--to',
      'reviews',
      '-c',
      '3',
      '--requests',
      '30',
      '--access-log',
    ]);
    expect(r.code).toBe(0);
    const lines = logLines(r.stdout).map(parse);
    expect(lines).toHaveLength(30);
    const uo = lines.filter((l) => l.flags === 'UO');
    expect(uo.length).toBeGreaterThan(0);
    for (const l of uo) {
      expect(l.status).toBe(503);
      expect(l.details).toBe('upstream_reset_before_response_started{overflow}');
      expect(l.cluster).toBe('outbound|9080||reviews.default.svc.cluster.local');
      expect(l.upstreamHost).toBe('-');
    }
    // the summary still follows, and counts the same 503 UO
    const count = Number(/^\s+503 UO\s+(\d+)/m.exec(r.stdout)?.[1]);
    expect(count).toBe(uo.length);
  });

  it('a subset nobody defines: 503 NC cluster_not_found, no upstream cluster', () => {
    const r = cli([
      'simulate',
      sample('virtual-service-all-v1.yaml'),
      '--to',
      'reviews',
      '--requests',
      '2',
      '--access-log',
    ]);
    const [l] = logLines(r.stdout).map(parse);
    expect(l).toMatchObject({
      status: 503,
      flags: 'NC',
      details: 'cluster_not_found',
      cluster: '-',
      authority: 'reviews',
    });
  });

  it('served requests name the pod that answered: the address proxy-config endpoints lists for that cluster', () => {
    const files = [sample('virtual-service-reviews-80-20.yaml'), sample('destination-rule-all.yaml')];
    const r = cli([
      'simulate',
      ...files,
      '--to',
      'reviews',
      '--requests',
      '50',
      '--from',
      'productpage-v1',
      '--access-log',
    ]);
    const lines = logLines(r.stdout).map(parse);
    expect(new Set(lines.map((l) => l.cluster))).toEqual(
      new Set([
        'outbound|9080|v1|reviews.default.svc.cluster.local',
        'outbound|9080|v2|reviews.default.svc.cluster.local',
      ]),
    );
    for (const cluster of ['v1', 'v2']) {
      const name = `outbound|9080|${cluster}|reviews.default.svc.cluster.local`;
      const ep = cli(['proxy-config', 'endpoints', 'deploy/productpage-v1', ...files, '--cluster', name]);
      const address = ep.stdout.split('\n')[1]!.split(/\s+/)[0];
      for (const l of lines.filter((x) => x.cluster === name)) {
        expect(l).toMatchObject({ status: 200, flags: '-', details: 'via_upstream', upstreamHost: address });
      }
    }
  });

  it('-o json carries the lines as accessLog', () => {
    const r = cli([
      'simulate',
      sample('virtual-service-all-v1.yaml'),
      '--to',
      'ratings',
      '--requests',
      '3',
      '-o',
      'json',
      '--access-log',
    ]);
    const json = JSON.parse(r.stdout) as { accessLog: string[] };
    expect(json.accessLog).toHaveLength(3);
    expect(parse(json.accessLog[0]!).status).toBe(503);
  });
});

describe('simulate --access-log: failures the proxy answers itself', () => {
  it('a refused connection, retried: 503 UF,URX with the reset reason and the pod tried', () => {
    const r = cli([
      'simulate',
      '--to',
      'ratings',
      '--requests',
      '1',
      '--fail',
      'ratings=100%:connect-failure',
      '--access-log',
      '-',
    ]);
    const [l] = logLines(r.stdout).map(parse);
    expect(l).toMatchObject({
      status: 503,
      flags: 'UF,URX',
      details: 'upstream_reset_before_response_started{remote_connection_failure}',
      cluster: 'outbound|9080||ratings.default.svc.cluster.local',
    });
    expect(l!.upstreamHost).toMatch(/^10\.244\.\d+\.\d+:9080$/);
  });

  const DELAYED = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - timeout: 5s
    fault:
      delay: {percentage: {value: 100}, fixedDelay: 3s}
    route:
    - destination: {host: reviews}
`;

  it('a client timeout shorter than the route: 0 DC downstream_remote_disconnect at the client timeout, curl exit 28', () => {
    const args = [
      'simulate',
      '-',
      '--to',
      'reviews',
      '--from',
      'productpage-v1',
      '--requests',
      '3',
      '--access-log',
    ];
    const r = cli([...args, '--client-timeout', '2s'], { input: DELAYED });
    expect(r.code).toBe(0);
    const lines = logLines(r.stdout);
    expect(lines).toHaveLength(3);
    for (const l of lines) {
      const f = parse(l);
      expect(f.status).toBe(0);
      expect(f.flags).toBe('DI,DC');
      expect(f.details).toBe('downstream_remote_disconnect');
      expect(f.cluster).toBe('outbound|9080||reviews.default.svc.cluster.local');
      expect(l).toMatch(/^\S+ "GET \/ HTTP\/1\.1" 0 DI,DC downstream_remote_disconnect - "-" 0 0 2000 - /);
    }
    expect(r.stdout).toMatch(
      /0 DI,DC +3 100\.0% +the client gave up first, no response \(curl --max-time: exit 28\)/,
    );
    // a client that waits longer than the delay gets the response
    const patient = cli([...args, '--client-timeout', '4s'], { input: DELAYED });
    expect(logLines(patient.stdout).map((l) => parse(l).flags)).toEqual(['DI', 'DI', 'DI']);
    const bad = cli([...args, '--client-timeout', '2'], { input: DELAYED });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--client-timeout must be a duration such as 2s or 500ms, not "2"/);
  });

  it("an RBAC denial as the caller's proxy logs it: 403 from upstream, no flag, the 19-byte RBAC body", () => {
    const input = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ratings-viewer, namespace: default}
spec:
  selector: {matchLabels: {app: ratings}}
  rules:
  - from: [{source: {principals: ["cluster.local/ns/default/sa/bookinfo-productpage"]}}]
`;
    const r = cli(
      ['simulate', '-', '--to', 'ratings', '--from', 'reviews-v2', '--requests', '2', '--access-log'],
      {
        input,
      },
    );
    const lines = logLines(r.stdout);
    expect(lines).toHaveLength(2);
    const f = parse(lines[0]!);
    expect([f.status, f.flags, f.details]).toEqual([403, '-', 'via_upstream']);
    expect(lines[0]).toMatch(/ 403 - via_upstream - "-" 0 19 /);
    expect(f.upstreamHost).toMatch(/^10\.244\.\d+\.\d+:9080$/);
  });
});
