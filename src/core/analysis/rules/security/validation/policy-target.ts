// The selector checks every security policy gets (Istio's validateWorkloadSelector
// and validateOneOfSelectorType).
import type { FieldPath } from '../../../../config/resource.ts';
import type { PolicyTargetReference } from '../../../../config/schemas/index.ts';
import type { Report } from '../../shared/report.ts';

interface Targeted {
  selector?: { matchLabels?: Record<string, string> | undefined } | undefined;
  targetRef?: PolicyTargetReference | undefined;
  targetRefs?: PolicyTargetReference[] | undefined;
}

export function checkPolicyTarget(report: Report, spec: Targeted): void {
  const set = [spec.selector !== undefined, spec.targetRef !== undefined, (spec.targetRefs?.length ?? 0) > 0];
  if (set.filter(Boolean).length > 1) report(['spec'], 'policy.selector-and-target', {});
  const sel = spec.selector;
  if (!sel) return;
  const at: FieldPath = ['spec', 'selector'];
  const labels = sel.matchLabels ?? {};
  for (const [k, v] of Object.entries(labels)) {
    const label = `${k}=${v}`;
    if (k === '')
      report([...at, 'matchLabels'], 'policy.selector-label', {
        label,
        reason: 'empty key is not supported',
      });
    if (k.includes('*') || v.includes('*'))
      report([...at, 'matchLabels', k], 'policy.selector-label', {
        label,
        reason: 'wildcard is not supported',
      });
  }
  if (Object.keys(labels).length === 0) report(at, 'policy.selector-no-labels', {});
}
