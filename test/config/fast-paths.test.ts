// The analyzer's fast paths give what the slow ones give: a finding's position from
// the positions recorded while loading is the one re-reading the document finds, and
// a spec copied by the fast parser is the one zod returns (field order included).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastParse } from '../../src/core/config/schemas/fast-parse.ts';
import { SPEC_SCHEMAS } from '../../src/core/config/schemas/index.ts';
import { offsetOfPath, parseYamlStream, type YamlDocument } from '../../src/core/config/yaml.ts';

const FIXTURES = new URL('../fixtures/rules/', import.meta.url).pathname;

function fixtureTexts(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const dir of readdirSync(FIXTURES)) {
    for (const f of readdirSync(join(FIXTURES, dir))) {
      if (f.endsWith('.yaml'))
        out.push({ file: `${dir}/${f}`, text: readFileSync(join(FIXTURES, dir, f), 'utf8') });
    }
  }
  return out;
}

/** Every field path in a value, and beside each some that do not exist. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix, [...prefix, 'missing'], [...prefix, 3], [...prefix, '0']);
  if (Array.isArray(v)) for (const [i, x] of v.entries()) paths(x, [...prefix, i], out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function reReadOffsets(doc: YamlDocument, ps: (string | number)[][]): number[] {
  const trace = doc.trace;
  doc.trace = undefined; // what offsetOfPath does without recorded positions
  try {
    return ps.map((p) => offsetOfPath(doc, p));
  } finally {
    doc.trace = trace;
  }
}

describe('positions recorded while loading', () => {
  it('point where re-reading the document points, for every path of every rule fixture', () => {
    let traced = 0;
    for (const { text } of fixtureTexts()) {
      for (const doc of parseYamlStream(text)) {
        if (doc.error || doc.value == null) continue;
        if (doc.trace) traced++;
        const ps = paths(doc.value);
        expect(ps.map((p) => offsetOfPath(doc, p))).toEqual(reReadOffsets(doc, ps));
      }
    }
    expect(traced).toBeGreaterThan(100);
  });

  it('handle duplicate keys (the last wins) and flow collections; aliases, merges and collection keys are re-read', () => {
    const text = [
      'a: 1\na: {x: 2, y: [1, 2]}\n"quoted": 3\n1.0: f\nlist:\n- - nested\n  - {m: 1}\n- x',
      'base: &b {k: 1, j: 2}\nuse: *b\nm:\n  <<: *b\n  k: 3',
      'a: 1\n? [complex, key]\n: value\nb: [2]',
    ].join('\n---\n');
    const [plain, aliased, complex] = parseYamlStream(text) as [YamlDocument, YamlDocument, YamlDocument];
    expect(plain.trace).toBeDefined();
    expect(aliased.trace).toBeUndefined();
    expect(complex.trace).toBeUndefined();
    for (const doc of [plain, aliased, complex]) {
      const ps = paths(doc.value);
      expect(ps.map((p) => offsetOfPath(doc, p))).toEqual(reReadOffsets(doc, ps));
    }
    expect(offsetOfPath(plain, ['a', 'y', 1])).toBe(text.indexOf('2]}'));
  });

  it('point where re-reading points in long lists and mappings (found through an index of their items)', () => {
    const items = Array.from({ length: 300 }, (_, i) =>
      i % 7 ? `  - h${i}.example.com` : `  - {n: ${i}, m: [a, b]}`,
    );
    const keys = Array.from({ length: 300 }, (_, i) => `  k${i % 250}: ${i % 5 ? i : '{x: [1, 2]}'}`);
    const text = `list:\n${items.join('\n')}\nmap:\n${keys.join('\n')}\nflow: [${items.map((_, i) => i).join(', ')}]\n`;
    for (const doc of parseYamlStream(text)) {
      expect(doc.trace).toBeDefined();
      const ps = paths(doc.value);
      expect(ps.map((p) => offsetOfPath(doc, p))).toEqual(reReadOffsets(doc, ps));
      // the last of a repeated key, as loading kept its value
      expect(offsetOfPath(doc, ['map', 'k3'])).toBe(text.indexOf('k3: 253'));
      expect(offsetOfPath(doc, ['list', 299])).toBe(text.indexOf('h299.example.com'));
    }
  });
});

/** Small deterministic changes to a spec: unknown fields, wrong types, removed fields. */
function* variants(spec: unknown, seed: number): Generator<unknown> {
  let s = seed;
  const next = (n: number) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
  const leaves = [1, -1, 1.5, 'x', 'HTTP', true, null, [], {}, ['a'], { a: 'b' }, 2 ** 60, 0];
  const change = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const c = [...v];
      if (c.length && next(3)) c[next(c.length)] = change(c[next(c.length)]);
      else c.push(leaves[next(leaves.length)]);
      return c;
    }
    if (v && typeof v === 'object') {
      const c: Record<string, unknown> = { ...(v as Record<string, unknown>) };
      const keys = Object.keys(c);
      const r = next(5);
      if (r === 0 || keys.length === 0) c.unknownField = 1;
      else if (r === 1) delete c[keys[next(keys.length)] as string];
      else {
        const k = keys[next(keys.length)] as string;
        c[k] = next(3) ? change(c[k]) : leaves[next(leaves.length)];
      }
      return c;
    }
    return next(2) ? leaves[next(leaves.length)] : v;
  };
  for (let i = 0; i < 20; i++) yield change(spec);
}

/** Deep equality that also compares the order of fields. */
function sameInOrder(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.join('\0') === kb.join('\0') &&
    ka.every((k) => sameInOrder((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

describe('the fast spec parser', () => {
  it("returns zod's result whenever it answers, and answers for the valid fixtures", () => {
    let answered = 0;
    let checked = 0;
    for (const { text } of fixtureTexts()) {
      for (const doc of parseYamlStream(text)) {
        const r = doc.value as { kind?: string; spec?: unknown } | null;
        const schema = r && SPEC_SCHEMAS[r.kind as keyof typeof SPEC_SCHEMAS];
        if (!schema || r.spec == null) continue;
        for (const spec of [r.spec, ...variants(r.spec, checked + 1)]) {
          checked++;
          const fast = fastParse(schema, spec);
          if (fast === undefined) continue;
          answered++;
          const zod = schema.safeParse(spec);
          expect(zod.success).toBe(true);
          expect(sameInOrder(fast, zod.data)).toBe(true);
        }
      }
    }
    expect(answered).toBeGreaterThan(500);
    expect(checked - answered).toBeGreaterThan(500); // the invalid ones went to zod
  });
});
