// An IstioOperator as `istioctl install` reads it: the fields it refuses
// (unknown, with "did you mean"; wrong types; removed fields), a profile it
// does not have, and mesh config fields it drops (ICA1103). Reported with the schema codes the other kinds use, so a lab's
// "valid" criterion fails on what istioctl would refuse.
import { istioOperatorOf } from '../../../config/install/index.ts';
import type { SchemaIssue } from '../../../config/schemas/index.ts';
import type { Rule } from '../../rule.ts';

// No API server or webhook sees an IstioOperator since Istio 1.24 (no in-cluster operator):
// istioctl itself refuses it.
const WHY =
  'istioctl install (and manifest generate) refuses the IstioOperator: nothing is installed or changed.';

/** Why istioctl refuses it; for spec.values, also where free-form values go. */
function reasonOf(issue: SchemaIssue): { why: string; fix?: string } {
  if (issue.path[0] !== 'values') return { why: WHY };
  return {
    why: 'istioctl reads spec.values into its Values proto (jsonpb) and refuses the IstioOperator when that fails: istioctl install and manifest generate stop before anything is applied (unless --force).',
    fix:
      issue.kind === 'unknown-field'
        ? 'Correct the key as the message says; a value the Values proto does not list goes under spec.unvalidatedValues.'
        : 'Give the field a value of its type.',
  };
}

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
        } else if (
          issue.kind === 'unknown-field' &&
          !issue.message.startsWith('field "') &&
          // an unknown spec.values key fails istioctl's values validation: IST0106 with its reason
          issue.path[0] !== 'values'
        ) {
          const field = String(issue.path[issue.path.length - 1]);
          ctx.report(
            'ICA0101',
            { field, kind: r.kind, ...(issue.suggestion ? { suggestion: issue.suggestion } : {}) },
            r,
            path,
          );
        } else ctx.report('IST0106', { detail: issue.message, ...reasonOf(issue) }, r, path);
      }
      if (model.profileError)
        ctx.report('IST0106', { detail: model.profileError, why: WHY }, r, ['spec', 'profile']);
    }
  },
};
