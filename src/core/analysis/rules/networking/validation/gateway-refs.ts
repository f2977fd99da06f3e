// VirtualService gateway references (VSV validateGatewayNames): "name",
// "namespace/name" or "mesh"; the legacy "name.namespace" form warns.
import type { FieldPath } from '../../../../config/resource.ts';
import { fqdnProblem, isDns1123Label } from '../../shared/dns.ts';
import type { Report } from '../../shared/report.ts';

export function checkGatewayNames(
  report: Report,
  path: FieldPath,
  names: readonly string[] | undefined,
): void {
  (names ?? []).forEach((name, i) => {
    const at = [...path, i];
    const slash = name.indexOf('/');
    if (slash < 0) {
      if (name.includes('.')) {
        const [gw = '', ns = ''] = name.split('.');
        report(at, 'vs.gateway-legacy', { name, recommended: `${ns}/${gw}` });
      }
      const reason = fqdnProblem(name);
      if (reason) report(at, 'vs.gateway-invalid', { name, reason });
      return;
    }
    const ns = name.slice(0, slash);
    const gw = name.slice(slash + 1);
    if (ns === '' || gw === '')
      report(at, 'vs.gateway-invalid', { name, reason: 'the namespace and the name cannot be empty' });
    else if (!isDns1123Label(ns))
      report(at, 'vs.gateway-invalid', { name, reason: `namespace "${ns}" is not a valid namespace name` });
    else if (!isDns1123Label(gw))
      report(at, 'vs.gateway-invalid', { name, reason: `"${gw}" is not a valid Gateway name` });
  });
}
