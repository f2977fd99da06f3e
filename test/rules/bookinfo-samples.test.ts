// Istio's own Bookinfo samples are valid: with the Bookinfo model they must give
// no Warning and no Error that fails grading (each VirtualService sample is analysed
// together with the sample DestinationRules it needs). The sample DestinationRules
// define subsets whose pods Bookinfo does not run (ratings v2, details v2, ...):
// istioctl 1.28+ reports those as IST0173, and so do we, marked as reached by no traffic.
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
      const serious = findings.filter((f) => f.level !== 'Info' && f.affectsTraffic !== false);
      expect(serious.map((f) => `${f.code} ${f.origin} ${f.path}: ${f.message}`)).toEqual([]);
    });
  }

  it("reports the sample DestinationRules' subsets without pods as istioctl 1.28 does, none routed", async () => {
    const { findings } = await analyzeFiles(withRules('virtual-service-all-v1.yaml'));
    const empty = findings.filter((f) => f.code === 'IST0173');
    expect(empty.map((f) => `${f.origin} ${f.path}`).sort()).toEqual([
      'DestinationRule default/details spec.subsets[1]',
      'DestinationRule default/ratings spec.subsets[1]',
      'DestinationRule default/ratings spec.subsets[2]',
      'DestinationRule default/ratings spec.subsets[3]',
    ]);
    for (const f of empty) {
      expect(f.level).toBe('Error');
      expect(f.affectsTraffic).toBe(false);
      expect(f.explanation).toMatch(/^No route sends traffic to this subset today/);
    }
  });
});
