// The plain-YAML reader (yaml-plain.ts) gives exactly what reading js-yaml's events
// gives whenever it reads a document itself: the same values (key order included),
// sizes, starts, errors and warnings, and the same position for every field path. It
// is checked on every YAML file of the repository, on the bench's shapes, and on
// random and mutated YAML, where it must give up rather than read anything differently.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { gatewayHeavyYaml, hostsHeavyYaml, meshYaml } from '../../bench/generate.ts';
import { offsetOfPath, parseYamlStream, type YamlDocument } from '../../src/core/config/yaml.ts';
import { readPlainDocument } from '../../src/core/config/yaml-plain.ts';
import { newTrace } from '../../src/core/config/yaml-trace.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

/** Every field path in a value, and beside each some that do not exist. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix, [...prefix, 'missing'], [...prefix, 1]);
  if (Array.isArray(v)) for (const [i, x] of v.entries()) paths(x, [...prefix, i], out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

/** Deep equality that also compares the order of fields and own `__proto__` keys. */
function sameInOrder(a: unknown, b: unknown): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  return (
    ka.join('\0') === kb.join('\0') &&
    ka.every((k) =>
      sameInOrder((a as Record<string, unknown>)[k as string], (b as Record<string, unknown>)[k as string]),
    )
  );
}

function comparable(d: YamlDocument) {
  return {
    index: d.index,
    start: d.start,
    size: d.size,
    error: d.error,
    warnings: d.warnings,
    traced: !!d.trace,
  };
}

/** Reads `text` both ways and expects the same documents; returns how many the plain reader read. */
function compare(text: string): number {
  const plain = parseYamlStream(text);
  const events = parseYamlStream(text, { plainReader: false });
  expect(plain.map(comparable)).toEqual(events.map(comparable));
  for (const [i, d] of plain.entries()) {
    const e = events[i] as YamlDocument;
    expect(sameInOrder(d.value, e.value)).toBe(true);
    if (d.value === undefined || d.value === null) continue;
    const ps = paths(d.value);
    expect(ps.map((p) => offsetOfPath(d, p))).toEqual(ps.map((p) => offsetOfPath(e, p)));
  }
  return plain.length;
}

/** How many documents of `text` the plain reader reads itself (the others go to js-yaml's events). */
function readPlainly(text: string): number {
  let n = 0;
  for (const chunk of text.split(/^---$/m)) if (readPlainDocument(chunk, 0, newTrace())) n++;
  return n;
}

describe('the plain YAML reader', () => {
  it("reads every YAML file of the repository as js-yaml's events do (or leaves it to them)", () => {
    const files = ['test', 'exercises', 'quizzes', 'graders'].flatMap((d) => {
      try {
        return yamlFiles(join(ROOT, d));
      } catch {
        return [];
      }
    });
    expect(files.length).toBeGreaterThan(300);
    let docs = 0;
    let plain = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      docs += compare(text);
      plain += readPlainly(text);
    }
    // most of them are plain: the reader is really exercised
    expect(plain).toBeGreaterThan(docs / 2);
  });

  it('reads the bench shapes itself, every document', () => {
    for (const text of [meshYaml(40), gatewayHeavyYaml(40), hostsHeavyYaml(80)]) {
      const n = compare(text);
      expect(readPlainly(text)).toBe(n);
    }
  });

  const scalar = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom(
      'true',
      'null',
      '~',
      '1.0',
      '0x1F',
      '-1',
      '.inf',
      'a: b',
      'a #b',
      'x:y',
      "it's",
      '"q"',
      '*a',
      '&a',
      '- a',
      '[a]',
      '{a}',
      '#',
      '',
    ),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(
        fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a', 'b', '1', 'null', '__proto__', 'a b')),
        tie('node'),
        { maxKeys: 4 },
      ),
    ),
  })).node;

  it('reads random documents as js-yaml does, in every style js-yaml writes', () => {
    let docs = 0;
    let plain = 0;
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 3 }),
        fc.record({
          flowLevel: fc.integer({ min: -1, max: 3 }),
          indent: fc.integer({ min: 1, max: 4 }),
          seqNoIndent: fc.boolean(),
          seqInlineFirst: fc.boolean(),
          flowBracketPadding: fc.boolean(),
          flowSkipCommaSpace: fc.boolean(),
          lineWidth: fc.constantFrom(10, 80, -1),
        }),
        (values, options) => {
          const text = values.map((v) => dump(v, options)).join('---\n');
          docs += compare(text);
          plain += readPlainly(text);
        },
      ),
      { numRuns: 500 },
    );
    // a good share of them are read without events: the comparison means something
    expect(plain).toBeGreaterThan(docs / 4);
  });

  it('refuses a lone dash in a flow collection as js-yaml does (found by the mutation test, seed 197748603)', () => {
    for (const item of ['-', '-,', '-]', '-}', '-[', '-{']) {
      const text = `a:\n  e: [f, {h: ${item}}]\n`;
      compare(text);
      expect(parseYamlStream(text)[0]?.error, text).toBeDefined();
    }
    // a dash before a character safe in flow starts a plain scalar
    compare('a: [-1, -x, {h: -y}]\n');
    expect(readPlainly('a: [-1, -x, {h: -y}]\n')).toBe(1);
  });

  it('reads mutated documents as js-yaml does, or leaves them to it (errors keep their lines)', () => {
    const seeds = [
      meshYaml(1),
      hostsHeavyYaml(3),
      gatewayHeavyYaml(1),
      'a:\n- b\n- c: d\n  e: [f, "g", {h: i}]\n"j": \'k\'\nl:\n  m: # note\n    n: 1\n',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom(
              '',
              ':',
              '-',
              ' ',
              '  ',
              '\n',
              '{',
              '[',
              ']',
              '}',
              ',',
              '"',
              "'",
              '*a',
              '&a ',
              '#',
              ' #',
              '\t',
              '0',
              'x',
              '---\n',
              '? ',
              '|',
              '\\',
            ),
            fc.nat(3),
          ),
          { maxLength: 5 },
        ),
        (seed, edits) => {
          let text = seed;
          for (const [p, ins, del] of edits) {
            const at = p % (text.length + 1);
            text = text.slice(0, at) + ins + text.slice(at + del);
          }
          compare(text);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
