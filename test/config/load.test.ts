import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readStreamBounded } from '../../src/core/config/bounded-read.ts';
import { loadPaths, MAX_FILE_BYTES } from '../../src/core/config/load.ts';
import { analyzeFiles, analyzeText } from '../helpers/analyze.ts';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ica-load-'));
}

const VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v2
`;

describe('loading YAML', () => {
  it('unpacks a kind: List (kubectl get -o yaml) into its items, each with its own line', () => {
    const list = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      ...VS.trimEnd()
        .split('\n')
        .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)),
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata: {name: extra}',
      '  spec: {ports: [{port: 80}]}',
    ].join('\n');
    const { findings, load } = analyzeText(list, {}, 'list.yaml');
    expect(load.resources.map((r) => `${r.kind}/${r.name}`)).toEqual([
      'VirtualService/reviews',
      'Service/extra',
    ]);
    expect(load.resources[0]?.origin).toMatchObject({ file: 'list.yaml', line: 4 });
    expect(load.resources[1]?.origin).toMatchObject({ file: 'list.yaml', line: 16 });
    // the missing subset is found at its line inside the List
    const f = findings.find((x) => x.code === 'IST0101');
    expect(f).toMatchObject({ file: 'list.yaml', line: 15 });
    expect(findings.some((x) => x.code === 'ICA0003')).toBe(false);
  });
  it('keeps the file, line and column of resources and fields', () => {
    const { findings, load } = analyzeText(`# leading comment\n---\n${VS}`, {}, 'war.yaml');
    expect(load.resources[0]?.origin).toMatchObject({ file: 'war.yaml', line: 3, column: 1, document: 0 });
    const f = findings.find((x) => x.code === 'IST0101');
    expect(f).toMatchObject({
      file: 'war.yaml',
      line: 14,
      column: 9,
      path: 'spec.http[0].route[0].destination.subset',
    });
  });

  it('reads multi-document streams, flow style and all three API versions', () => {
    const text = ['v1', 'v1beta1', 'v1alpha3']
      .map(
        (v, i) =>
          `{apiVersion: networking.istio.io/${v}, kind: DestinationRule, metadata: {name: dr${i}}, spec: {host: ratings}}`,
      )
      .join('\n---\n');
    const { load, findings } = analyzeText(text);
    expect(load.resources.map((r) => r.name)).toEqual(['dr0', 'dr1', 'dr2']);
    expect(load.resources[1]?.origin.line).toBe(3);
    expect(findings.filter((f) => f.level === 'Error')).toEqual([]);
  });

  it('reports a syntax error with its position and still analyses the other documents', () => {
    const text = `${VS}---\napiVersion: v1\nkind: Service\nmetadata: {name: x\n---\n${VS.replace('reviews\nspec', 'reviews2\nspec')}`;
    const { load, findings } = analyzeText(text, {}, 'mixed.yaml');
    expect(load.resources.map((r) => r.name)).toEqual(['reviews', 'reviews2']);
    const syntax = findings.find((f) => f.code === 'ICA0001');
    expect(syntax).toMatchObject({ level: 'Error', file: 'mixed.yaml' });
    expect(syntax?.line).toBeGreaterThanOrEqual(15);
    expect(syntax?.line).toBeLessThanOrEqual(17);
  });

  it('explains documents that are not resources', () => {
    const { findings } = analyzeText('- a\n- b\n---\njust a string\n---\nkind: VirtualService\n---\n42\n');
    expect(findings.map((f) => f.code)).toEqual(['ICA0002', 'ICA0002', 'ICA0002', 'ICA0002']);
    expect(findings[0]?.message).toMatch(/list/);
    expect(findings[2]?.message).toMatch(/apiVersion/);
  });

  it('skips kinds it does not analyse with an Info finding, and rejects unknown API versions', () => {
    const { findings } = analyzeText(
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n---\napiVersion: networking.istio.io/v2\nkind: VirtualService\nmetadata: {name: b}\n',
    );
    expect(findings.map((f) => [f.code, f.level])).toEqual([
      ['ICA0003', 'Info'],
      ['ICA0005', 'Error'],
    ]);
    expect(findings[1]?.message).toContain('networking.istio.io/v1');
  });

  it("skips the Kubernetes Gateway API's Gateway (another group, same kind name) as not analysed", () => {
    const { findings } = analyzeText(
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec: {gatewayClassName: istio}\n',
    );
    expect(findings.map((f) => [f.code, f.level])).toEqual([['ICA0003', 'Info']]);
  });

  it('reports duplicate keys', () => {
    const { findings } = analyzeText('apiVersion: v1\nkind: Service\nmetadata: {name: a}\nkind: Service\n');
    expect(findings.map((f) => [f.code, f.line])).toEqual([['ICA0006', 4]]);
  });

  it('refuses alias bombs quickly', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
    const { findings, load } = analyzeText(text);
    expect(load.resources).toEqual([]);
    expect(findings.map((f) => f.code)).toEqual(['ICA0004']);
    expect(findings[0]?.message).toMatch(/alias/);
  });

  it('reads directories recursively, only *.yaml and *.yml, and stdin for "-"', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'a.yaml'), VS);
    writeFileSync(join(dir, 'nested', 'b.yml'), VS.replace('name: reviews', 'name: other'));
    writeFileSync(join(dir, 'notes.txt'), 'not yaml');
    const load = await loadPaths([dir, '-'], {
      stdin: async () => VS.replace('name: reviews', 'name: piped'),
    });
    expect(load.resources.map((r) => r.name).sort()).toEqual(['other', 'piped', 'reviews']);
    expect(load.resources.find((r) => r.name === 'piped')?.origin.file).toBe('-');
  });

  it('handles empty, binary, missing and oversized inputs without throwing', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'empty.yaml'), '# nothing here\n');
    writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    const big = join(dir, 'big.yaml');
    writeFileSync(big, Buffer.alloc(65 * 1024 * 1024, '#'));
    const { findings, load } = await analyzeFiles([
      join(dir, 'empty.yaml'),
      join(dir, 'binary.yaml'),
      join(dir, 'missing.yaml'),
      big,
    ]);
    const byFile = Object.fromEntries(
      findings.map((f) => [f.file?.split('/').pop(), `${f.code} ${f.message}`]),
    );
    expect(byFile['empty.yaml']).toMatch(/^ICA0007/);
    expect(byFile['binary.yaml']).toMatch(/^ICA0004 .*binary/);
    expect(byFile['missing.yaml']).toMatch(/^ICA0004 .*no such file/);
    expect(byFile['big.yaml']).toMatch(/^ICA0004 .*limit/);
    expect(load.filesRead).toBe(1);
  });

  it('reads only regular files: a FIFO named *.yaml (given or in a directory) and a device get a finding, not a hang', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.yaml'), VS);
    const fifo = join(dir, 'x.yaml');
    execFileSync('mkfifo', [fifo]);
    const inDir = await loadPaths([dir]);
    expect(inDir.resources.map((r) => r.name)).toEqual(['reviews']);
    expect(inDir.problems.map((p) => [p.file, p.params.detail])).toEqual([
      [fifo, 'a FIFO (named pipe), not a regular file: only regular files are read'],
    ]);
    const given = await loadPaths([fifo, '/dev/zero']);
    expect(given.problems.map((p) => [p.code, p.params.detail])).toEqual([
      ['ICA0004', 'a FIFO (named pipe), not a regular file: only regular files are read'],
      ['ICA0004', 'a character device, not a regular file: only regular files are read'],
    ]);
    expect(given.filesRead).toBe(0);
  });

  it('a NUL anywhere in a file makes it binary, not only in its first bytes', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'late.yaml'),
      Buffer.concat([Buffer.from(VS), Buffer.alloc(3 << 20, ' '), Buffer.from([0])]),
    );
    const load = await loadPaths([dir]);
    expect(load.resources).toEqual([]);
    expect(load.problems[0]?.params.detail).toMatch(/binary/);
  });

  it('standard input over the limit is an error, never a cut analysis; binary input stops at once', async () => {
    const overLimit = Readable.from(
      (function* () {
        yield Buffer.from(VS);
        for (let i = 0; i < 65; i++) yield Buffer.alloc(1 << 20, '#');
      })(),
    );
    const over = await loadPaths(['-'], { stdin: () => readStreamBounded(overLimit, MAX_FILE_BYTES) });
    expect(over.resources).toEqual([]);
    expect(over.problems.map((p) => [p.code, p.params.detail])).toEqual([
      ['ICA0004', 'standard input is larger than the 64 MiB limit'],
    ]);
    let chunks = 0;
    const zeros = Readable.from(
      (function* () {
        for (;;) {
          chunks++;
          yield Buffer.alloc(65536);
        }
      })(),
    );
    const zero = await loadPaths(['-'], { stdin: () => readStreamBounded(zeros, MAX_FILE_BYTES) });
    expect(zero.problems.map((p) => p.params.detail)).toEqual(['standard input is binary, not YAML text']);
    expect(chunks).toBeLessThan(3);
  });

  it('applies the default namespace and resolves short hosts in the resource namespace', () => {
    const text = VS.replace('name: reviews\n', 'name: reviews\n  namespace: other\n');
    const { findings } = analyzeText(text);
    // reviews in namespace "other" is not the Bookinfo service in "default"
    expect(findings.find((f) => f.code === 'IST0101')?.message).toContain('host');
    const { findings: fq } = analyzeText(
      text.replace(/host: reviews/, 'host: reviews.default.svc.cluster.local'),
    );
    expect(fq.find((f) => f.code === 'IST0101')?.message).toContain('reviews.default.svc.cluster.local+v2');
  });
});
