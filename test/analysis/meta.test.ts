// Meta-tests: every rule is registered, uniquely named, described, reports only
// catalogued codes, and reads only the kinds it declares.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/core/analysis/analyze.ts';
import { CATALOG } from '../../src/core/analysis/catalog/index.ts';
import { RULES } from '../../src/core/analysis/rules/index.ts';
import type { Kind } from '../../src/core/config/resource.ts';
import { Snapshot } from '../../src/core/config/snapshot.ts';
import { analyzeFiles } from '../helpers/analyze.ts';

const rulesDir = new URL('../../src/core/analysis/rules/', import.meta.url).pathname;
const fixturesDir = new URL('../fixtures/rules/', import.meta.url).pathname;

describe('rule registry', () => {
  it('names are unique, kebab-case and sorted', () => {
    const names = RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z]+(?:[.-][a-z0-9]+)*$/);
    expect([...names].sort((a, b) => a.localeCompare(b))).toEqual(names);
  });

  it('every rule is described and declares what it reads and reports', () => {
    for (const r of RULES) {
      expect(r.description.length, r.name).toBeGreaterThan(20);
      expect(r.reads.length, r.name).toBeGreaterThan(0);
      expect(r.codes.length, r.name).toBeGreaterThan(0);
      for (const c of r.codes) expect(Object.keys(CATALOG), `${r.name} reports ${c}`).toContain(c);
    }
  });

  it('every exported rule in the rules folder is registered', async () => {
    const files = readdirSync(rulesDir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('index.ts'),
    );
    const registered = new Set(RULES);
    for (const f of files) {
      const mod = (await import(`${rulesDir}${f}`)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (value && typeof value === 'object' && 'run' in value && 'reads' in value) {
          expect(registered.has(value as (typeof RULES)[number]), `${f}: ${name} is not registered`).toBe(
            true,
          );
        }
      }
    }
  });

  it('every rule has fixtures and each of its codes is produced by some fixture', () => {
    const dirs = new Set(readdirSync(fixturesDir));
    const expectations = new Map<string, string>();
    for (const d of dirs) {
      for (const f of readdirSync(`${fixturesDir}${d}`)) {
        expectations.set(`${d}/${f}`, readFileSync(`${fixturesDir}${d}/${f}`, 'utf8'));
      }
    }
    for (const r of RULES) {
      expect(dirs.has(r.name), `no fixtures for ${r.name}`).toBe(true);
      const texts = [...expectations.entries()].filter(([k]) => k.startsWith(`${r.name}/`)).map(([, t]) => t);
      expect(
        texts.some((t) => /#\s*expect:\s*none/.test(t)),
        `${r.name} has no clean fixture`,
      ).toBe(true);
      for (const code of r.codes) {
        expect(
          texts.some((t) => new RegExp(`#\\s*expect:\\s*${code}\\b`).test(t)),
          `${r.name}: no bad fixture expects ${code}`,
        ).toBe(true);
      }
    }
  });

  it('every catalog code is reported by some rule, the loader, the live source or the Helm plan check', () => {
    const loaderCodes = [
      'ICA0201', // src/core/cluster/findings.ts: what a live read had to skip
      'ICA1104', // src/core/config/install/helm/plan.ts: a Helm install plan's order (a script, not a resource)
      'ICA0001',
      'ICA0002',
      'ICA0003',
      'ICA0004',
      'ICA0005',
      'ICA0006',
      'ICA0007',
      'ICA0008',
    ];
    const ruleCodes = new Set(RULES.flatMap((r) => r.codes));
    for (const code of Object.keys(CATALOG)) {
      expect(ruleCodes.has(code as never) || loaderCodes.includes(code), code).toBe(true);
    }
  });

  it('catalog entries are sorted by code and complete', () => {
    const codes = Object.keys(CATALOG);
    expect([...codes].sort()).toEqual(codes);
    for (const [code, e] of Object.entries(CATALOG)) {
      expect(e.code).toBe(code);
      expect(e.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(e.description.length).toBeGreaterThan(10);
    }
  });

  it('rules read only the kinds they declare', async () => {
    const dirs = readdirSync(fixturesDir);
    const files = dirs.flatMap((d) =>
      readdirSync(`${fixturesDir}${d}`).map((f) => `${fixturesDir}${d}/${f}`),
    );
    const { load } = await analyzeFiles(files);
    for (const rule of RULES) {
      const snapshot = new Snapshot({
        resources: load.resources,
        meshConfigs: load.meshConfigs,
        bookinfo: true,
      });
      const touched = new Set<Kind>();
      snapshot.onRead = (k) => touched.add(k);
      const findings = runRules(snapshot, [rule]);
      expect(
        findings.filter((f) => f.code === 'ICA0008'),
        rule.name,
      ).toEqual([]);
      for (const k of touched) expect(rule.reads, `${rule.name} reads ${k}`).toContain(k);
    }
  });
});
