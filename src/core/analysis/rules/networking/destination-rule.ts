import { isWildcard, toFqdn } from '../../../config/hosts.ts';
import type { TrafficPolicy } from '../../../config/schemas/index.ts';
import type { DestinationRule } from '../../../config/snapshot.ts';
import type { Rule, RuleContext } from '../../rule.ts';
import { trafficDestinations } from './destinations.ts';

/** A DestinationRule's host, subsets and port-level settings against the services (istioctl's destinationrule analyzers). */
export const destinationRuleTargets: Rule = {
  name: 'destinationrule.targets',
  description:
    'A DestinationRule host names a Service or ServiceEntry (IST0174), each subset selects pods (IST0173, saying whether traffic is routed to it), and portLevelSettings name ports the Service exposes (ICA1007); a host only a wildcard ServiceEntry covers gets ICA1010 (the rule attaches to nothing); port-level settings that drop top-level fields get ICA1012.',
  reads: ['DestinationRule', 'Service', 'ServiceEntry', 'Pod', 'Deployment', 'VirtualService'],
  codes: ['IST0173', 'IST0174', 'ICA1007', 'ICA1010', 'ICA1012'],
  run(ctx) {
    const snap = ctx.snapshot;
    // Istio's sample "destination rule for all" defines subsets (ratings v2, details v2, ...) whose
    // pods the standard install does not run: istioctl (1.28+) reports them all, and the finding
    // says whether any route sends traffic there (only then does it fail a lab).
    // (a Set per subset: thousands of VirtualServices may route to one subset)
    const routed = new Map<string, Set<string>>();
    for (const vs of snap.virtualServices) {
      for (const d of trafficDestinations(vs)) {
        if (!d.destination.host || !d.destination.subset) continue;
        const key = `${toFqdn(d.destination.host, vs.namespace)}+${d.destination.subset}`;
        let by = routed.get(key);
        if (!by) routed.set(key, (by = new Set()));
        by.add(`VirtualService ${vs.namespace}/${vs.name}`);
      }
    }
    for (const dr of snap.destinationRules) {
      replacedByPortLevel(ctx, dr);
      const host = dr.spec.host;
      if (!host || isWildcard(host)) continue;
      const fqdn = toFqdn(host, dr.namespace);
      const service = snap.service(fqdn);
      const entries = service ? [] : snap.serviceEntriesFor(fqdn);
      if (!service && entries.length === 0) {
        ctx.report('IST0174', { host }, dr, ['spec', 'host']);
        continue;
      }
      const serviceHost = snap.serviceHost(fqdn);
      if (serviceHost !== fqdn) {
        const se = entries.find((e) =>
          (e.spec.hosts ?? []).some((h) => toFqdn(h, e.namespace) === serviceHost),
        );
        const entry = se ? `ServiceEntry ${se.namespace}/${se.name}` : 'the ServiceEntry';
        ctx.report('ICA1010', { host, serviceHost, entry }, dr, ['spec', 'host']);
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
        if (!subset?.name) return;
        if (snap.endpoints(service, subset.labels).length === 0) {
          const labels = Object.entries(subset.labels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
          const routedBy = [...(routed.get(`${fqdn}+${subset.name}`) ?? [])].join(', ');
          ctx.report('IST0173', { subset: subset.name, host, labels: labels || '(none)', routedBy }, dr, [
            'spec',
            'subsets',
            i,
          ]);
        }
      });
    }
  },
};

const POLICY_FIELDS = ['loadBalancer', 'connectionPool', 'outlierDetection', 'tls'] as const;

/** Port-level settings replace the policy above them wholesale (pilot MergeTrafficPolicy): say what they drop. */
function replacedByPortLevel(ctx: RuleContext, dr: DestinationRule): void {
  const check = (policy: TrafficPolicy | undefined, base: (string | number)[], where: string) => {
    (policy?.portLevelSettings ?? []).forEach((pl, i) => {
      const port = pl?.port?.number;
      if (port === undefined) return;
      const lost = POLICY_FIELDS.filter((f) => policy?.[f] && !pl?.[f]);
      if (lost.length === 0) return;
      ctx.report('ICA1012', { port, lost: lost.join(' and '), where }, dr, [...base, 'portLevelSettings', i]);
    });
  };
  check(dr.spec.trafficPolicy, ['spec', 'trafficPolicy'], 'top-level');
  (dr.spec.subsets ?? []).forEach((s, i) => {
    check(s?.trafficPolicy, ['spec', 'subsets', i, 'trafficPolicy'], `subset ${s?.name ?? i}'s`);
  });
}
