// The deprecated integer mirror percent (`mirrorPercent`, or the proto's own spelling
// `mirror_percent`): in Istio 1.26's CRD and honoured by pilot after mirrorPercentage,
// so it loads, is simulated, and gets the webhook's deprecation Warning (IST0133)
// naming mirrorPercentage, not ICA0101 "unknown field".
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/core/sim/index.ts';
import { analyzeText } from '../helpers/analyze.ts';
import { reviewsVs } from './yaml.ts';

const mirrored = (percent: string) =>
  reviewsVs(`  - route:
    - destination: {host: reviews, subset: v1}
    mirror: {host: reviews, subset: v2}
${percent}`);

function copies(yaml: string): number {
  const { snapshot } = analyzeText(yaml);
  return simulate(snapshot, { to: 'reviews', requests: 1000, from: 'productpage-v1', bookinfoApps: false })
    .summary.mirrored.copies;
}

describe('deprecated mirror percent', () => {
  for (const field of ['mirror_percent', 'mirrorPercent']) {
    it(`${field} loads with a deprecation Warning naming mirrorPercentage`, () => {
      const { findings } = analyzeText(mirrored(`    ${field}: 50`));
      expect(
        findings.filter((f) => f.level !== 'Info' && f.code !== 'IST0173').map((f) => `${f.code} ${f.path}`),
      ).toEqual([`IST0133 spec.http[0].${field}`]);
      const warning = findings.find((f) => f.code === 'IST0133')!;
      expect(warning.message).toContain(
        `using deprecated setting "${field}", use "mirrorPercentage" instead`,
      );
      expect(warning.fix).toBe(`Replace ${field}: 50 with mirrorPercentage: {value: 50}.`);
    });

    it(`${field} is honoured by the simulator`, () => {
      const half = copies(mirrored(`    ${field}: 50`));
      expect(half).toBeGreaterThan(400);
      expect(half).toBeLessThan(600);
      expect(copies(mirrored(`    ${field}: 0`))).toBe(0);
    });
  }

  it('mirrorPercentage wins over the deprecated field, as in pilot', () => {
    expect(copies(mirrored('    mirrorPercentage: {value: 0}\n    mirrorPercent: 100'))).toBe(0);
  });

  it('no percent at all mirrors everything', () => {
    expect(copies(mirrored(''))).toBe(1000);
  });

  it('over 100 is rejected by the webhook (IST0106)', () => {
    const { findings } = analyzeText(mirrored('    mirror_percent: 150'));
    expect(findings.some((f) => f.code === 'IST0106' && f.path === 'spec.http[0].mirror_percent')).toBe(true);
  });
});
