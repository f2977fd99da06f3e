// IST0173 (a subset that selects no pods): reported for every subset, as istioctl
// 1.28+ does, at Error level; the finding says whether a route sends traffic there,
// and only then does it fail a lab or a YAML answer. Weight 0 next to other
// destinations is no traffic (pilot drops it).
import { describe, expect, it } from 'vitest';
import { failsGrading } from '../../src/core/analysis/finding.ts';
import { analyzeText } from '../helpers/analyze.ts';

const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v9, labels: {version: v9}}
`;
const vs = (route: string) => `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
${route}`;

function subsetFinding(yaml: string) {
  const found = analyzeText(yaml).findings.filter((f) => f.code === 'IST0173');
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('IST0173 subset selects no pods', () => {
  it('is an Error that fails grading when a route sends traffic to the subset', () => {
    const f = subsetFinding(
      dr +
        vs(`    - destination: {host: reviews, subset: v1}
      weight: 80
    - destination: {host: reviews, subset: v9}
      weight: 20
`),
    );
    expect(f.level).toBe('Error');
    expect(f.path).toBe('spec.subsets[1]');
    expect(f.explanation).toContain('routed to this subset today (VirtualService default/reviews)');
    expect(f.explanation).toContain('Istio 1.26');
    expect(failsGrading(f)).toBe(true);
  });

  it('is reported but does not fail grading when no route sends traffic there', () => {
    const f = subsetFinding(dr);
    expect(f.level).toBe('Error');
    expect(f.affectsTraffic).toBe(false);
    expect(f.explanation).toMatch(/^No route sends traffic to this subset today/);
    expect(failsGrading(f)).toBe(false);
  });

  it('does not count a weight-0 destination next to others as traffic', () => {
    const f = subsetFinding(
      dr +
        vs(`    - destination: {host: reviews, subset: v1}
      weight: 100
    - destination: {host: reviews, subset: v9}
      weight: 0
`),
    );
    expect(failsGrading(f)).toBe(false);
  });

  it('counts a lone destination whatever its weight, and a mirror', () => {
    const lone = subsetFinding(
      dr +
        vs(`    - destination: {host: reviews, subset: v9}
      weight: 0
`),
    );
    expect(failsGrading(lone)).toBe(true);
    const mirror = subsetFinding(
      `${dr}${vs(`    - destination: {host: reviews, subset: v1}
`)}    mirror: {host: reviews, subset: v9}
`,
    );
    expect(failsGrading(mirror)).toBe(true);
  });
});
