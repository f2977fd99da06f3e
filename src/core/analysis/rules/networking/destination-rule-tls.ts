// istioctl's CaCertificateAnalyzer: TLS origination (SIMPLE/MUTUAL) without
// caCertificates verifies no server certificate (IST0128 for the rule's policy,
// IST0129 per port). credentialName with a workloadSelector counts as verified.
import type { Rule } from '../../rule.ts';

export const destinationRuleCaCertificates: Rule = {
  name: 'destinationrule.ca-certificates',
  description:
    'DestinationRule TLS origination (SIMPLE or MUTUAL) without caCertificates, as istioctl reports it.',
  reads: ['DestinationRule'],
  codes: ['IST0128', 'IST0129'],
  run(ctx) {
    for (const dr of ctx.snapshot.destinationRules) {
      const selector = dr.spec.workloadSelector !== undefined;
      const unverified = (
        tls: { mode?: string; caCertificates?: string; credentialName?: string } | undefined,
      ) =>
        (tls?.mode === 'SIMPLE' || tls?.mode === 'MUTUAL') &&
        !tls.caCertificates &&
        !(tls.credentialName && selector);
      const tp = dr.spec.trafficPolicy;
      const base = { name: `${dr.namespace}/${dr.name}`, namespace: dr.namespace, host: dr.spec.host ?? '' };
      if (unverified(tp?.tls))
        ctx.report('IST0128', { ...base, mode: tp?.tls?.mode ?? '' }, dr, ['spec', 'trafficPolicy', 'tls']);
      (tp?.portLevelSettings ?? []).forEach((pl, i) => {
        if (unverified(pl.tls))
          ctx.report(
            'IST0129',
            { ...base, mode: pl.tls?.mode ?? '', port: String(pl.port?.number ?? '') },
            dr,
            ['spec', 'trafficPolicy', 'portLevelSettings', i, 'tls'],
          );
      });
    }
  },
};
