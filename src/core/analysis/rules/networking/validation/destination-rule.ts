// DestinationRule (VAL ValidateDestinationRule): host, subsets and traffic policies.
import type { Rule } from '../../../rule.ts';
import { isDns1123Label, wildcardDomainProblem } from '../../shared/dns.ts';
import { reporter } from '../../shared/report.ts';
import { checkTrafficPolicy } from './traffic-policy.ts';

export const destinationRules: Rule = {
  name: 'validation.destination-rule',
  description:
    'DestinationRule host, subset names and traffic policies (load balancer, connection pool, outlier detection, TLS) as the webhook checks them.',
  reads: ['DestinationRule'],
  codes: ['IST0106', 'IST0133'],
  run(ctx) {
    for (const dr of ctx.snapshot.destinationRules) {
      const report = reporter(ctx, dr);
      const s = dr.spec;
      if (!s.host) report(s.host === undefined ? ['spec'] : ['spec', 'host'], 'dr.host-missing', {});
      else {
        const reason = wildcardDomainProblem(s.host);
        if (reason) report(['spec', 'host'], 'host.invalid', { field: 'host', host: s.host, reason });
      }
      if (s.trafficPolicy)
        checkTrafficPolicy(report, ['spec', 'trafficPolicy'], 'trafficPolicy', s.trafficPolicy);
      const seen = new Set<string>();
      (s.subsets ?? []).forEach((subset, i) => {
        const at = ['spec', 'subsets', i];
        const name = subset.name ?? '';
        if (seen.has(name)) report([...at, 'name'], 'dr.subset-duplicate', { name });
        seen.add(name);
        if (name === '') report(at, 'dr.subset-name-missing', {});
        else if (!isDns1123Label(name)) report([...at, 'name'], 'dr.subset-name', { name });
        if (subset.trafficPolicy) {
          checkTrafficPolicy(
            report,
            [...at, 'trafficPolicy'],
            `subsets[${i}].trafficPolicy`,
            subset.trafficPolicy,
          );
        }
      });
    }
  },
};
