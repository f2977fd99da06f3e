// Table tests: every fixture under test/fixtures/rules/<rule>/ states the
// (code, resource) pairs the analyzer must report for it, in header lines:
//   # expect: IST0101 VirtualService default/reviews
//   # expect: none
//   # options: outboundMode=REGISTRY_ONLY bookinfo=false
// The set of reported pairs must equal the expected set exactly.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalyzeOptions } from '../../src/core/analysis/analyze.ts';
import { analyzeFiles, pairs } from '../helpers/analyze.ts';

const root = new URL('../fixtures/rules/', import.meta.url).pathname;

function fixtures(): { rule: string; file: string }[] {
  const out: { rule: string; file: string }[] = [];
  for (const rule of readdirSync(root).sort()) {
    const dir = join(root, rule);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) if (/\.ya?ml$/.test(f)) out.push({ rule, file: join(dir, f) });
  }
  return out;
}

function header(text: string): { expected: string[]; options: AnalyzeOptions } {
  const expected: string[] = [];
  const options: AnalyzeOptions = {};
  for (const line of text.split('\n')) {
    const m = /^#\s*expect:\s*(.+)$/.exec(line);
    if (m?.[1] && m[1].trim() !== 'none') expected.push(m[1].trim());
    const o = /^#\s*options:\s*(.+)$/.exec(line);
    if (o?.[1]) {
      for (const kv of o[1].trim().split(/\s+/)) {
        const [k, v] = kv.split('=');
        if (k === 'outboundMode') options.outboundMode = v as 'REGISTRY_ONLY' | 'ALLOW_ANY';
        if (k === 'bookinfo') options.bookinfo = v !== 'false';
      }
    }
  }
  return { expected: expected.sort(), options };
}

describe('rule fixtures', () => {
  const all = fixtures();
  it('has fixtures', () => {
    expect(all.length).toBeGreaterThan(0);
  });
  for (const { rule, file } of all) {
    const name = `${rule}/${file.split('/').pop()}`;
    it(name, async () => {
      const text = readFileSync(file, 'utf8');
      const { expected, options } = header(text);
      const { findings } = await analyzeFiles([file], options);
      expect(
        pairs(findings),
        findings.map((f) => `${f.code} ${f.path ?? ''} ${f.message}`).join('\n'),
      ).toEqual(expected);
    });
  }
});
