// `ica-trainer simulate` as a user runs it: the real binary.
import { describe, expect, it } from 'vitest';
import { runCli as cli } from '../helpers/cli.ts';
import * as istio from './yaml.ts';

const fx = (p: string) => new URL(`../fixtures/sim/${p}`, import.meta.url).pathname;

describe('ica-trainer simulate', () => {
  it('shows where an 80/20 split sends 10,000 requests', () => {
    const r = cli(['simulate', fx('reviews-80-20.yaml'), '--to', 'reviews', '--requests', '10000']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Where requests went/);
    expect(r.stdout).toMatch(/reviews v1 \(subset v1\)\s+█+░*\s+(79|80|81)\.\d%\s+\d+/);
    expect(r.stdout).toMatch(/reviews v2 \(subset v2\)\s+█+░*\s+(19|20|21)\.\d%/);
    expect(r.stdout).toMatch(/^\s+200 -\s+10000 100\.0%$/m);
    expect(r.stdout).toMatch(/Latency\s+p50 [\d.]+ ms\s+p90 [\d.]+ ms\s+p99 [\d.]+ ms/);
    expect(r.stdout.includes(String.fromCharCode(27))).toBe(false); // NO_COLOR
  });

  it('prints the same numbers as JSON, byte for byte the same for the same seed', () => {
    const args = [
      'simulate',
      fx('reviews-circuit-breaker.yaml'),
      '--to',
      'reviews',
      '-c',
      '3',
      '--requests',
      '30',
      '-o',
      'json',
    ];
    const a = cli([...args, '--seed', '5']);
    const b = cli([...args, '--seed', '5']);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const json = JSON.parse(a.stdout) as {
      findings: unknown[];
      requests: number;
      statuses: { status: number; flags: string; count: number }[];
      latencyMs: { p50: number; p90: number; p99: number };
      retries: unknown;
      mirrored: unknown;
      destinations: unknown[];
    };
    expect(json.requests).toBe(30);
    expect(json.statuses.find((s) => s.status === 503 && s.flags === 'UO')?.count).toBeGreaterThan(0);
    expect(json.latencyMs.p99).toBeGreaterThanOrEqual(json.latencyMs.p50);
    expect(json).toHaveProperty('retries');
    expect(json).toHaveProperty('mirrored');
    expect(json.findings).toEqual([]);
  });

  it('shows what /productpage shows for jason, and the analyzer errors first', () => {
    const page = cli([
      'simulate',
      fx('ratings-delay-jason.yaml'),
      '--to',
      'productpage',
      '--path',
      '/productpage',
      '--header',
      'end-user=jason',
      '--requests',
      '10',
    ]);
    expect(page.code).toBe(0);
    expect(page.stdout).toMatch(/What \/productpage showed\n\s+reviews unavailable\s+10 100\.0%/);
    const broken = cli([
      'simulate',
      fx('../../fixtures/mistakes/subset-without-dr/bad.yaml'),
      '--to',
      'reviews',
      '--requests',
      '50',
    ]);
    expect(broken.code).toBe(0);
    expect(broken.stdout).toMatch(/The analyzer found 1 error/);
    expect(broken.stdout).toMatch(/IST0101/);
    expect(broken.stdout).toMatch(/503 NC\s+50 100\.0%/);
    expect(broken.stdout).toMatch(/NC\s+no cluster/);
  });

  it.each([
    [['--fail', 'ratings:v1=150%'], /--fail "ratings:v1=150%": the percentage must be between 0 and 100/],
    [['--latency', 'reviews:v2=200'], /--latency "reviews:v2=200".*unit is required/],
    [['--requests', 'many'], /--requests must be a whole number .* not "many"/],
    [
      ['-n', '10000'],
      /-n 10000: -n is the namespace, as in kubectl; give the number of requests with --requests 10000/,
    ],
    [['--header', 'oops'], /--header "oops"/],
    [['--from', 'nobody'], /--from "nobody": no such workload/],
  ])('exits 2 with a clear message for %j', (extra, message) => {
    const r = cli(['simulate', fx('reviews-80-20.yaml'), '--to', 'reviews', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat \S+\.ts:\d+/); // no stack trace
  });

  it('exits 2 for an unknown host and for unreadable input', () => {
    const host = cli(['simulate', fx('reviews-80-20.yaml'), '--to', 'reviewz']);
    expect(host.code).toBe(2);
    expect(host.stderr).toMatch(/reviewz/);
    const missing = cli(['simulate', fx('nope.yaml'), '--to', 'reviews']);
    expect(missing.code).toBe(2);
  });

  it('--cert, --client-ip: a MUTUAL gateway and an IP allow list, as curl from outside would see them', () => {
    const lab = (id: string) =>
      new URL(`../../exercises/08-security/${id}/solution`, import.meta.url).pathname;
    const partner = [
      '--from',
      'ingress',
      '--to',
      'https://partner.example.com/api/v1/products/0',
      '--requests',
      '5',
    ];
    const without = cli(['simulate', lab('ingress-https-mutual'), ...partner]);
    expect(without.code).toBe(0);
    // the handshake fails before any filter runs: the gateway logs nothing, the client sees a reset
    expect(without.stdout).toMatch(/^\s+no response\s+5 100\.0% +connection reset \(curl exit 56\)$/m);
    expect(without.stdout).toMatch(/MUTUAL and the client sent no certificate/);
    const withCert = cli(['simulate', lab('ingress-https-mutual'), ...partner, '--cert', 'acme']);
    expect(withCert.stdout).toMatch(/^\s+200 -\s+5 100\.0%/m);
    const edge = [
      '--from',
      'ingress',
      '--to',
      'bookinfo.example.com',
      '--path',
      '/productpage',
      '--requests',
      '5',
    ];
    const office = cli([
      'simulate',
      lab('authz-ingress-ip-allowlist'),
      ...edge,
      '--client-ip',
      '203.0.113.7',
    ]);
    expect(office.stdout).toMatch(/^\s+200 -\s+5 100\.0%/m);
    const outside = cli([
      'simulate',
      lab('authz-ingress-ip-allowlist'),
      ...edge,
      '--client-ip',
      '198.51.100.7',
    ]);
    expect(outside.stdout).toMatch(/^\s+403 -\s+5 100\.0%/m);
    const bad = cli(['simulate', lab('authz-ingress-ip-allowlist'), ...edge, '--client-ip', '1.2.3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--client-ip must be an IPv4 address/);
  });

  it('--jwt sends a sample token; the security section names the policy that decided', () => {
    const none = cli(['simulate', fx('jwt-productpage.yaml'), '--to', 'productpage', '--requests', '10']);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^\s+403 -\s+10 100\.0%\s+RBAC: access denied$/m);
    expect(none.stdout).toMatch(/no rule of ALLOW default\/require-jwt matches/);
    const demo = cli([
      'simulate',
      fx('jwt-productpage.yaml'),
      '--to',
      'productpage',
      '--requests',
      '10',
      '--jwt',
      'demo',
    ]);
    expect(demo.stdout).toMatch(/^\s+200 -\s+10 100\.0%$/m);
    expect(demo.stdout).toMatch(/allowed at productpage-v1-0 by ALLOW default\/require-jwt rules\[0\]/);
    const forged = cli([
      'simulate',
      fx('jwt-productpage.yaml'),
      '--to',
      'productpage',
      '--requests',
      '10',
      '--jwt',
      'forged',
    ]);
    expect(forged.stdout).toMatch(/^\s+401 -\s+10 100\.0%$/m);
    const unknown = cli(['simulate', fx('jwt-productpage.yaml'), '--to', 'productpage', '--jwt', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--jwt "nope": no such sample token \(known: demo, groups, forged\)/);
  });

  it('has help with examples and exit codes', () => {
    const r = cli(['simulate', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--to',
      '--path',
      '--header',
      '--from',
      '--requests',
      '--concurrency',
      '--qps',
      '--seed',
      '--fail',
      '--latency',
      '--no-bookinfo',
      '--outbound-mode',
      '--output',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toMatch(/Exit codes: 0/);
    expect(r.stdout).toMatch(/Routing model:/);
    expect(r.stdout).toMatch(/PASSTHROUGH applies tls rules only/);
    expect(r.stdout).toMatch(/Not simulated: tcp routes/);
  });

  it('shows the gateway hop of a TLS connection through the egress gateway', () => {
    const r = cli([
      'simulate',
      fx('egress-tls-passthrough.yaml'),
      '--to',
      'https://external.example.com',
      '--from',
      'productpage-v1',
      '--outbound-mode',
      'REGISTRY_ONLY',
      '--requests',
      '20',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/external\.example\.com - via gateway default\/egress-gateway\s+█+\s+100\.0%/);
    expect(r.stdout).toMatch(/istio-egressgateway-0\s+20/);
    expect(r.stdout).toMatch(
      /Route\s+routed by VirtualService default\/external-through-egress tls\[0\]; then at Gateway default\/egress-gateway: routed by VirtualService default\/external-through-egress tls\[1\]/,
    );
  });

  it('refuses what it does not simulate (a TCP Gateway server) with exit code 2', () => {
    const yaml = istio.gateway('tcp', [istio.server([31400, 'tcp', 'TCP'], '"*"')]);
    const r = cli(['simulate', '-', '--to', 'db.example.com:31400', '--from', 'ingress'], { input: yaml });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/TCP server \(port 31400\).*not simulated/);
  });

  it('a CUSTOM policy with the sample ext-authz: 403 with its body, 200 with x-ext-authz: allow', () => {
    const base = [
      'simulate',
      fx('ext-authz-sample.yaml'),
      '--to',
      'productpage',
      '--path',
      '/productpage',
      '--requests',
      '5',
    ];
    const denied = cli(base);
    expect(denied.code).toBe(0);
    expect(denied.stdout).toMatch(
      /^\s+403 -\s+5 100\.0%\s+denied by ext_authz for not found header `x-ext-authz: allow` in the request$/m,
    );
    expect(denied.stdout).toMatch(
      /Istio's sample ext-authz .* denies \(the request has no x-ext-authz header\)/,
    );
    const allowed = cli([...base, '-H', 'x-ext-authz=allow']);
    expect(allowed.stdout).toMatch(/^\s+200 -\s+5 100\.0%$/m);
  });

  it('an authorizer it cannot know: allowed and said so, --ext-authz deny for the other answer', () => {
    const base = [
      'simulate',
      fx('ext-authz-sample.yaml'),
      '--to',
      'details',
      '--path',
      '/details/0',
      '--requests',
      '5',
    ];
    const assumed = cli(base);
    expect(assumed.stdout).toMatch(/^\s+200 -\s+5 100\.0%$/m);
    expect(assumed.stdout).toMatch(
      /cannot know; it assumes the authorizer allows \(simulate --ext-authz deny/,
    );
    const denied = cli([...base, '--ext-authz', 'deny']);
    expect(denied.stdout).toMatch(/^\s+403 -\s+5 100\.0%\s+the external authorizer's response$/m);
    const bad = cli([...base, '--ext-authz', 'maybe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--ext-authz.*'maybe' is invalid\. Allowed choices are allow, deny/);
  });
});
