import { isWildcard, toFqdn } from '../../../config/hosts.ts';
import type { OutlierDetection } from '../../../config/schemas/index.ts';
import type { Rule } from '../../rule.ts';

/** Faults that apply to no request: Istio injects a fault only into its percentage of requests. */
export const faultsNeverFire: Rule = {
  name: 'route.faults-never-fire',
  description: 'A fault delay or abort with no percentage (or 0) never fires.',
  reads: ['VirtualService'],
  codes: ['ICA1008'],
  run(ctx) {
    for (const vs of ctx.snapshot.virtualServices) {
      (vs.spec.http ?? []).forEach((rule, i) => {
        for (const kind of ['delay', 'abort'] as const) {
          const f = rule?.fault?.[kind];
          if (!f) continue;
          const value = f.percentage?.value;
          const legacy = kind === 'delay' ? rule?.fault?.delay?.percent : undefined;
          if (value === undefined && (legacy === undefined || legacy === 0)) {
            ctx.report('ICA1008', { fault: kind, why: 'it has no percentage' }, vs, [
              'spec',
              'http',
              i,
              'fault',
              kind,
            ]);
          } else if (value === 0) {
            ctx.report('ICA1008', { fault: kind, why: 'its percentage is 0' }, vs, [
              'spec',
              'http',
              i,
              'fault',
              kind,
              'percentage',
            ]);
          }
        }
      });
    }
  },
};

/** Envoy's default maxEjectionPercent is 10%. */
const DEFAULT_MAX_EJECTION_PERCENT = 10;

/** Outlier detection that can eject nobody, given the pods of the service. */
export const outlierDetectionNeverEjects: Rule = {
  name: 'destinationrule.outlier-never-ejects',
  description:
    "Outlier detection whose maxEjectionPercent (default 10%) is less than one of the service's pods, so no pod is ever ejected.",
  reads: ['DestinationRule', 'Service', 'Pod', 'Deployment'],
  codes: ['ICA1009'],
  run(ctx) {
    const snap = ctx.snapshot;
    for (const dr of snap.destinationRules) {
      const host = dr.spec.host;
      if (!host || isWildcard(host)) continue;
      const service = snap.service(toFqdn(host, dr.namespace));
      if (!service) continue;
      const check = (
        od: OutlierDetection | undefined,
        labels: Record<string, string> | undefined,
        path: (string | number)[],
      ) => {
        if (!od) return;
        if (od.consecutive5xxErrors === 0 && od.consecutiveGatewayErrors === undefined) return; // disabled: nothing to eject
        const pods = snap.endpoints(service, labels).reduce((n, w) => n + w.replicas, 0);
        if (pods === 0) return;
        const percent = od.maxEjectionPercent ?? DEFAULT_MAX_EJECTION_PERCENT;
        if ((percent / 100) * pods < 1) ctx.report('ICA1009', { host, percent, pods }, dr, path);
      };
      const top = dr.spec.trafficPolicy?.outlierDetection;
      check(top, undefined, ['spec', 'trafficPolicy', 'outlierDetection']);
      (dr.spec.subsets ?? []).forEach((s, i) => {
        const od = s?.trafficPolicy?.outlierDetection;
        if (od)
          check({ ...top, ...od }, s?.labels, ['spec', 'subsets', i, 'trafficPolicy', 'outlierDetection']);
      });
    }
  },
};
