import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const fx = (p: string) => new URL(`../fixtures/${p}`, import.meta.url).pathname;

describe('ica-trainer analyze', () => {
  it('exits 0 on clean input and says so', () => {
    const r = runCli(['analyze', fx('bookinfo-samples/bookinfo-gateway.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No validation issues found/);
  });

  it('exits 1 on errors and explains the mistake in text grouped by resource', () => {
    const r = runCli(['analyze', fx('mistakes/subset-without-dr/bad.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^VirtualService default\/reviews$/m);
    expect(r.stdout).toMatch(
      /Error\s+IST0101 Referenced host\+subset in destinationrule not found: "reviews\+v2"/,
    );
    expect(r.stdout).toMatch(/at spec\.http\[0\]\.route\[0\]\.destination\.subset .*bad\.yaml:8:/);
    expect(r.stdout).toMatch(/why: .*503/);
    expect(r.stdout).toMatch(/fix: /);
    expect(r.stdout).toContain('docs: https://istio.io/latest/docs/reference/config/analysis/ist0101/');
    expect(r.stdout.includes(String.fromCharCode(27))).toBe(false); // NO_COLOR: no escape codes
  });

  it('prints istioctl-style JSON with the trainer fields', () => {
    const r = runCli(['analyze', '-o', 'json', fx('mistakes/weights-not-100/bad.yaml')]);
    expect(r.code).toBe(0); // a Warning is below the default threshold
    const findings = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      code: 'ICA1001',
      level: 'Warning',
      origin: 'VirtualService default/reviews',
      path: 'spec.http[0].route',
      line: 7,
    });
    expect(String(findings[0]?.message)).toMatch(/88\.9% to reviews v1, 11\.1% to reviews v2/);
    expect(findings[0]).toHaveProperty('explanation');
    expect(findings[0]).toHaveProperty('fix');
    expect(findings[0]?.docs).toBe(
      'https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRouteDestination',
    );
    expect(findings[0]).toHaveProperty('mistake.id', 'weights-not-100');
  });

  it('honours --failure-threshold', () => {
    expect(
      runCli(['analyze', '--failure-threshold', 'Warning', fx('mistakes/weights-not-100/bad.yaml')]).code,
    ).toBe(1);
    expect(
      runCli(['analyze', '--failure-threshold', 'Info', fx('rules/virtualservice.references/good.yaml')])
        .code,
    ).toBe(0);
  });

  it('prints YAML', () => {
    const r = runCli(['analyze', '-o', 'yaml', fx('mistakes/wrong-port/bad.yaml')]);
    expect(r.stdout).toMatch(/^- code: ICA1007$/m);
  });

  it('reads stdin with "-"', () => {
    const yaml =
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: x}\nspec: {host: nowhere}\n';
    const r = runCli(['analyze', '-o', 'json', '-'], { input: yaml });
    expect(JSON.parse(r.stdout)).toMatchObject([{ code: 'IST0174', file: '-', line: 4 }]);
  });

  it('--outbound-mode and --no-bookinfo change the snapshot', () => {
    const vs =
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec:\n  hosts: [api.example.com]\n  http:\n  - route: [{destination: {host: api.example.com}}]\n';
    const registry = runCli(['analyze', '-o', 'json', '--outbound-mode', 'REGISTRY_ONLY', '-'], {
      input: vs,
    });
    expect((JSON.parse(registry.stdout) as { code: string }[]).map((f) => f.code)).toContain('ICA1004');
    const noModel = runCli([
      'analyze',
      '-o',
      'json',
      '--no-bookinfo',
      fx('bookinfo-samples/virtual-service-all-v1.yaml'),
    ]);
    expect(
      (JSON.parse(noModel.stdout) as { message: string }[]).some((f) => /"productpage"/.test(f.message)),
    ).toBe(true);
  });

  it('exits 2 when nothing could be read, and on usage errors, without a stack trace', () => {
    const missing = runCli(['analyze', '/no/such/file.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toMatch(/no such file or directory/);
    const usage = runCli(['analyze', '-o', 'xml', 'x.yaml']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Allowed choices are text, json, yaml/);
    expect(usage.stderr + usage.stdout).not.toMatch(/\n\s+at /);
    expect(runCli(['analyze']).code).toBe(2);
  });

  it('refuses special files and oversized standard input with a finding, at once (exit 2)', () => {
    const zero = runCli(['analyze', '/dev/zero']);
    expect(zero.code).toBe(2);
    expect(zero.stdout).toMatch(/ICA0004 Cannot read \/dev\/zero: a character device, not a regular file/);
    const zeroIn = runCli(['analyze', '-'], { stdinFile: '/dev/zero' });
    expect(zeroIn.code).toBe(2);
    expect(zeroIn.stdout).toMatch(/standard input is binary, not YAML text/);
    // a valid resource followed by more than 64 MiB: an error, not a pass on the first 64 MiB
    const dir = mkdtempSync(join(tmpdir(), 'ica-analyze-'));
    try {
      const big = join(dir, 'big.yaml');
      writeFileSync(big, readFileSync(fx('bookinfo-samples/bookinfo-gateway.yaml')));
      appendFileSync(big, Buffer.alloc(65 * 1024 * 1024, '#'));
      const over = runCli(['analyze', '-'], { stdinFile: big });
      expect(over.code).toBe(2);
      expect(over.stdout).toMatch(/standard input is larger than the 64 MiB limit/);
      const fifo = join(dir, 'x.yaml');
      execFileSync('mkfifo', [fifo]);
      const r = runCli(['analyze', fifo]);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/a FIFO \(named pipe\), not a regular file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists every code', () => {
    const r = runCli(['analyze', '--list-codes', '-o', 'json']);
    const codes = (JSON.parse(r.stdout) as { code: string }[]).map((c) => c.code);
    expect(codes).toContain('IST0101');
    expect(codes).toContain('ICA1003');
    // each with the istio.io page that covers it
    const rows = JSON.parse(r.stdout) as { code: string; docs?: string }[];
    expect(rows.filter((c) => !c.docs?.startsWith('https://istio.io/')).map((c) => c.code)).toEqual([]);
    expect(rows.find((c) => c.code === 'IST0173')?.docs).toBe(
      'https://istio.io/latest/docs/reference/config/analysis/ist0173/',
    );
  });

  it('has --help and --version', () => {
    expect(runCli(['analyze', '--help']).stdout).toMatch(/--failure-threshold/);
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
