import { ISTIO_KINDS } from '../../config/resource.ts';
import type { Rule } from '../rule.ts';

/** Reports what the typed schemas found (unknown fields with a suggestion, wrong types) and resources defined twice. */
export const schemaTypes: Rule = {
  name: 'schema.types',
  description:
    'Fields the resource schema does not define, values of the wrong type, and resources defined twice.',
  reads: ISTIO_KINDS,
  perResource: true,
  codes: ['ICA0009', 'ICA0101', 'IST0106'],
  run(ctx) {
    for (const { resource, by } of ctx.snapshot.replaced) {
      const at = by.origin.file ? `${by.origin.file}:${by.origin.line ?? 1}` : 'a later definition';
      ctx.report('ICA0009', { other: at }, resource);
    }
    for (const kind of ISTIO_KINDS) {
      for (const r of ctx.snapshot.list(kind)) {
        for (const issue of ctx.snapshot.schemaIssues.get(r) ?? []) {
          const path = ['spec', ...issue.path];
          if (issue.kind === 'unknown-field') {
            const field = String(issue.path[issue.path.length - 1]);
            ctx.report(
              'ICA0101',
              { field, kind: r.kind, ...(issue.suggestion ? { suggestion: issue.suggestion } : {}) },
              r,
              path,
            );
          } else {
            ctx.report('IST0106', { detail: issue.message }, r, path);
          }
        }
      }
    }
  },
};
