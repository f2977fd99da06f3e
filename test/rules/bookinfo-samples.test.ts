// Istio's own Bookinfo samples are valid: with the Bookinfo model they must give
// no Error and no Warning (each VirtualService sample is analysed together with
// the sample DestinationRules it needs).
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../helpers/analyze.ts';

const dir = new URL('../fixtures/bookinfo-samples/', import.meta.url).pathname;
const withRules = (f: string) => [`${dir}destination-rule-all.yaml`, `${dir}${f}`];

describe('Bookinfo samples', () => {
  const cases: [string, string[]][] = [
    ['destination-rule-all', [`${dir}destination-rule-all.yaml`]],
    ['virtual-service-all-v1', withRules('virtual-service-all-v1.yaml')],
    ['bookinfo-gateway', [`${dir}bookinfo-gateway.yaml`]],
    ['virtual-service-reviews-80-20', withRules('virtual-service-reviews-80-20.yaml')],
    ['virtual-service-reviews-test-v2', withRules('virtual-service-reviews-test-v2.yaml')],
    ['virtual-service-ratings-test-delay', withRules('virtual-service-ratings-test-delay.yaml')],
  ];
  for (const [name, files] of cases) {
    it(`${name} is clean`, async () => {
      const { findings, load } = await analyzeFiles(files);
      expect(load.resources.length).toBeGreaterThan(0);
      const serious = findings.filter((f) => f.level !== 'Info');
      expect(serious.map((f) => `${f.code} ${f.origin} ${f.path}: ${f.message}`)).toEqual([]);
    });
  }
});
