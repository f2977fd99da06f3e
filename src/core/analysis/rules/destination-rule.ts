import { isWildcard, toFqdn } from '../../config/hosts.ts';
import type { Rule } from '../rule.ts';
import { mirrorDestinations, routeDestinations } from './destinations.ts';

/** A DestinationRule's host, subsets and port-level settings against the services (istioctl's destinationrule analyzers). */
export const destinationRuleTargets: Rule = {
  name: 'destinationrule.targets',
  description:
    'A DestinationRule host names a Service or ServiceEntry (IST0174), each subset that traffic is routed to selects pods (IST0173), and portLevelSettings name ports the Service exposes (ICA1007).',
  reads: ['DestinationRule', 'Service', 'ServiceEntry', 'Pod', 'Deployment', 'VirtualService'],
  codes: ['IST0173', 'IST0174', 'ICA1007'],
  run(ctx) {
    const snap = ctx.snapshot;
    // Istio's sample "destination rule for all" defines subsets (ratings v2, details v2, ...) whose
    // pods the standard install does not run; an empty subset matters only once traffic is sent to it.
    const routed = new Set<string>();
    for (const vs of snap.virtualServices) {
      for (const d of [...routeDestinations(vs), ...mirrorDestinations(vs)]) {
        if (d.destination.host && d.destination.subset) {
          routed.add(`${toFqdn(d.destination.host, vs.namespace)}+${d.destination.subset}`);
        }
      }
    }
    for (const dr of snap.destinationRules) {
      const host = dr.spec.host;
      if (!host || isWildcard(host)) continue;
      const fqdn = toFqdn(host, dr.namespace);
      const service = snap.service(fqdn);
      const entries = service ? [] : snap.serviceEntriesFor(fqdn);
      if (!service && entries.length === 0) {
        ctx.report('IST0174', { host }, dr, ['spec', 'host']);
        continue;
      }
      const ports = service
        ? service.ports.map((p) => p.port)
        : entries.flatMap((se) => (se.spec.ports ?? []).map((p) => p.number ?? 0));
      const checkPorts = (
        settings: { port?: { number?: number | undefined } | undefined }[] | undefined,
        base: (string | number)[],
      ) => {
        (settings ?? []).forEach((s, i) => {
          const n = s?.port?.number;
          if (n !== undefined && ports.length > 0 && !ports.includes(n)) {
            ctx.report('ICA1007', { port: n, host, ports: ports.join(', ') }, dr, [
              ...base,
              i,
              'port',
              'number',
            ]);
          }
        });
      };
      checkPorts(dr.spec.trafficPolicy?.portLevelSettings, ['spec', 'trafficPolicy', 'portLevelSettings']);
      if (!service) continue;
      const all = snap.endpoints(service);
      if (all.length === 0) continue; // no pods known for this service: nothing to judge
      (dr.spec.subsets ?? []).forEach((subset, i) => {
        checkPorts(subset?.trafficPolicy?.portLevelSettings, [
          'spec',
          'subsets',
          i,
          'trafficPolicy',
          'portLevelSettings',
        ]);
        if (!subset?.name || !routed.has(`${fqdn}+${subset.name}`)) return;
        if (snap.endpoints(service, subset.labels).length === 0) {
          const labels = Object.entries(subset.labels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
          ctx.report('IST0173', { subset: subset.name, host, labels: labels || '(none)' }, dr, [
            'spec',
            'subsets',
            i,
          ]);
        }
      });
    }
  },
};
