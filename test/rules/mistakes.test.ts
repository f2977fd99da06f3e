// Every row of the course's common-mistakes table has a fixture that triggers a
// finding tagged with that row, and a corrected twin that is clean.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MISTAKES } from '../../src/core/analysis/catalog/mistakes.ts';
import { analyzeFiles } from '../helpers/analyze.ts';

const dir = new URL('../fixtures/mistakes/', import.meta.url).pathname;

describe('common mistakes table', () => {
  for (const id of Object.keys(MISTAKES)) {
    it(`${id}: the mistake is found and explained`, async () => {
      const file = `${dir}${id}/bad.yaml`;
      expect(existsSync(file), `missing fixture ${file}`).toBe(true);
      const { findings } = await analyzeFiles([file]);
      const tagged = findings.filter((f) => f.mistake?.id === id);
      expect(tagged.length, findings.map((f) => `${f.code} ${f.message}`).join('\n')).toBeGreaterThan(0);
      for (const f of tagged) {
        expect(f.level).not.toBe('Info');
        expect(f.line).toBeGreaterThan(0);
        expect(f.explanation.length).toBeGreaterThan(20);
        expect(f.fix.length).toBeGreaterThan(10);
      }
    });
    it(`${id}: the corrected twin is clean`, async () => {
      const { findings } = await analyzeFiles([`${dir}${id}/good.yaml`]);
      expect(findings.filter((f) => f.level !== 'Info').map((f) => `${f.code} ${f.message}`)).toEqual([]);
    });
  }

  it('the war story names reviews+v2 and explains the 503s', async () => {
    const { findings } = await analyzeFiles([`${dir}subset-without-dr/bad.yaml`]);
    const f = findings.find((x) => x.code === 'IST0101');
    expect(f?.message).toContain('"reviews+v2"');
    expect(f?.explanation).toMatch(/503/);
    expect(f?.path).toBe('spec.http[0].route[0].destination.subset');
    expect(f?.origin).toBe('VirtualService default/reviews');
  });
});
