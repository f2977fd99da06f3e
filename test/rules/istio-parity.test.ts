// Parity with istioctl analyze: each fixture under test/fixtures/istio-parity/ is our
// own rewrite of one case of Istio's pkg/config/analysis/analyzers/analyzers_test.go
// (same resource names, same behaviours). Its header names the case and lists the
// (code, resource) pairs Istio's test expects for the analyzer under test:
//   # istio case: NAME (testdata/FILE)
//   # codes: IST0101 IST0112          the codes that analyzer reports
//   # ignore-message: host+subset     findings of those codes from another istioctl analyzer
//   # expect: IST0101 VirtualService default/reviews-bogushost
//   # options: bookinfo=false
// Our findings with those codes must be exactly the expected set.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalyzeOptions } from '../../src/core/analysis/analyze.ts';
import { analyzeFiles } from '../helpers/analyze.ts';

const root = new URL('../fixtures/istio-parity/', import.meta.url).pathname;

interface ParityCase {
  file: string;
  name: string;
  codes: Set<string>;
  ignore: string[];
  expected: string[];
  options: AnalyzeOptions;
}

function parse(file: string): ParityCase {
  const c: ParityCase = { file, name: '', codes: new Set(), ignore: [], expected: [], options: {} };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^#\s*([a-z-]+( case)?):\s*(.+)$/.exec(line);
    if (!m?.[1] || !m[3]) continue;
    const value = m[3].trim();
    if (m[1] === 'istio case') c.name = value;
    if (m[1] === 'codes') for (const code of value.split(/\s+/)) c.codes.add(code);
    if (m[1] === 'ignore-message') c.ignore.push(value);
    if (m[1] === 'expect' && value !== 'none') c.expected.push(value);
    if (m[1] === 'options') {
      for (const kv of value.split(/\s+/)) {
        const [k, v] = kv.split('=');
        if (k === 'bookinfo') c.options.bookinfo = v !== 'false';
        if (k === 'outboundMode') c.options.outboundMode = v as 'REGISTRY_ONLY' | 'ALLOW_ANY';
      }
    }
  }
  return c;
}

const cases = readdirSync(root)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => parse(join(root, f)));

describe("istioctl analyze parity (Istio's analyzer test cases)", () => {
  it('every fixture names its Istio case and codes', () => {
    expect(cases.length).toBeGreaterThan(4);
    for (const c of cases) {
      expect(c.name, c.file).not.toBe('');
      expect(c.codes.size, c.file).toBeGreaterThan(0);
    }
  });
  for (const c of cases) {
    it(c.name, async () => {
      const { findings } = await analyzeFiles([c.file], c.options);
      const ours = findings.filter(
        (f) => c.codes.has(f.code) && !c.ignore.some((text) => f.message.includes(text)),
      );
      const got = [...new Set(ours.map((f) => `${f.code} ${f.origin ?? '-'}`))].sort();
      const want = [...new Set(c.expected)].sort();
      expect(got, ours.map((f) => `${f.code} ${f.origin} ${f.message}`).join('\n')).toEqual(want);
    });
  }
});
