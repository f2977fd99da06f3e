// An IstioOperator as `istioctl install` reads it: the fields it refuses
// (unknown, with "did you mean"; wrong types; removed fields), a profile it
// does not have, and mesh config fields it drops (ICA1103). Reported with the schema codes the other kinds use, so a lab's
// "valid" criterion fails on what istioctl would refuse.
import { istioOperatorOf } from '../../../config/install/index.ts';
import type { Rule } from '../../rule.ts';

// No API server or webhook sees an IstioOperator since Istio 1.24 (no in-cluster operator):
// istioctl itself refuses it.
const WHY =
  'istioctl install (and manifest generate) refuses the IstioOperator: nothing is installed or changed.';

export const istioOperator: Rule = {
  name: 'install.istio-operator',
  description:
    'IstioOperator fields istioctl refuses (unknown, wrongly typed or removed) and unknown profiles.',
  reads: ['IstioOperator'],
  codes: ['ICA0101', 'ICA1103', 'IST0106'],
  run(ctx) {
    for (const r of ctx.snapshot.list('IstioOperator')) {
      const model = istioOperatorOf(r);
      for (const issue of model.issues) {
        const path = ['spec', ...issue.path];
        if (issue.dropped) {
          ctx.report(
            'ICA1103',
            {
              field: issue.path.slice(1).map(String).join('.'),
              where: 'spec.meshConfig',
              ...(issue.suggestion ? { suggestion: issue.suggestion } : {}),
            },
            r,
            path,
          );
        } else if (issue.kind === 'unknown-field' && !issue.message.startsWith('field "')) {
          const field = String(issue.path[issue.path.length - 1]);
          ctx.report(
            'ICA0101',
            { field, kind: r.kind, ...(issue.suggestion ? { suggestion: issue.suggestion } : {}) },
            r,
            path,
          );
        } else ctx.report('IST0106', { detail: issue.message, why: WHY }, r, path);
      }
      if (model.profileError)
        ctx.report('IST0106', { detail: model.profileError, why: WHY }, r, ['spec', 'profile']);
    }
  },
};
