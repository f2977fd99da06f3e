// Graders' fixed texts describe what the answer did: no "ratings now takes 7 s" when the
// delay is on reviews, no "put both faults on the same rule" when they already are.
import { describe, expect, it } from 'vitest';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';

const { exercises } = loadExercises();
const labs = new URL('../labs/', import.meta.url).pathname;
async function criterion(lab: string, variant: string, id: string) {
  const e = exercises.find((x) => x.id === lab)!;
  const r = await gradeLab(e, { dir: variant.startsWith('/') ? variant : `${labs}${lab}/${variant}` });
  return r.criteria.find((c) => c.id === id)!;
}

describe('grader texts', () => {
  it('combined-faults: faults on two rules are told to share one rule', async () => {
    const c = await criterion('combined-faults', 'wrong-two-rules', 'independent');
    expect(c.pass).toBe(false);
    expect(c.reason).toContain('the delay and the abort are on different rules');
  });

  it('combined-faults: faults already on one rule are not told to move there', async () => {
    const c = await criterion('combined-faults', 'wrong-abort-30-same-rule', 'independent');
    expect(c.pass).toBe(false);
    expect(c.reason).not.toContain('belong on the same rule');
    expect(c.reason).not.toContain('put both faults on the same rule');
    expect(c.reason).toContain('the delay and the abort are on the same rule');
  });

  it('delay-jason-only: a delay on reviews is not described as ratings taking 7 s', async () => {
    const c = await criterion('delay-jason-only', 'wrong-delay-on-reviews', 'jason-page');
    expect(c.reason).not.toContain('ratings now takes');
    if (c.pass) expect(c.reason).toContain('faults on ratings: ');
  });

  it('a client without a sidecar that is reset gets "no response", not an Envoy flag it never saw', async () => {
    const starter = new URL('../../exercises/08-security/fix-strict-legacy-caller/starter', import.meta.url)
      .pathname;
    const c = await criterion('fix-strict-legacy-caller', starter, 'legacy-details');
    expect(c.pass).toBe(false);
    expect(c.reason).toContain('from legacy/export-job: got no response (connection closed or reset) 100%');
    expect(c.reason).not.toMatch(/got 0 /);
  });

  it('an IstioOperator istioctl would refuse is named as refused, once, not as missing', async () => {
    const starter = new URL('../../exercises/09-installation/istio-operator-overlay/starter', import.meta.url)
      .pathname;
    const c = await criterion('istio-operator-overlay', starter, 'access-log');
    expect(c.pass).toBe(false);
    expect(c.reason).not.toContain('no IstioOperator');
    expect(c.reason.match(/has an Error istioctl refuses/g)).toHaveLength(1);
  });
});
