import { toFqdn } from '../../../config/hosts.ts';
import { destinationVisible, type ExportScope } from '../../../config/visibility.ts';
import type { Rule } from '../../rule.ts';
import { mirrorDestinations, routeDestinations } from './destinations.ts';

/** Destination and mirror hosts, ports and subsets must exist (istioctl's destinationhosts/destinationrules analyzers). */
export const virtualServiceReferences: Rule = {
  name: 'virtualservice.references',
  description:
    'Every destination and mirror host is a Service or ServiceEntry, its port exists, a port is given when the service has several, and every subset is defined by a DestinationRule.',
  reads: ['VirtualService', 'Service', 'ServiceEntry', 'DestinationRule'],
  codes: ['IST0101', 'IST0112'],
  run(ctx) {
    const snap = ctx.snapshot;
    for (const vs of snap.virtualServices) {
      // Whose view of the registry counts (as istioctl judges it): the namespaces the
      // VirtualService is exported to, or its own namespace when it sets no exportTo.
      const consumers: ExportScope = vs.spec.exportTo?.length ? snap.scopeOf(vs) : new Set([vs.namespace]);
      const targets = [
        ...routeDestinations(vs).map((d) => ({ ...d, mirror: false })),
        ...mirrorDestinations(vs).map((d) => ({ ...d, mirror: true })),
      ];
      for (const { destination: d, path, mirror } of targets) {
        if (!d.host || d.host === '*') continue; // reported by validation
        const fqdn = toFqdn(d.host, vs.namespace);
        const found = snap.service(fqdn);
        const service =
          found && destinationVisible(snap.scopeOf(found.resource), consumers) ? found : undefined;
        const entries = service
          ? []
          : snap.serviceEntriesFor(fqdn).filter((se) => destinationVisible(snap.scopeOf(se), consumers));
        const subsetMissing = d.subset !== undefined && d.subset !== '' && !snap.subset(fqdn, d.subset);
        const reportSubset = () =>
          ctx.report(
            'IST0101',
            { ref: mirror ? 'mirror host+subset' : 'host+subset', name: `${d.host}+${d.subset}` },
            vs,
            [...path, 'subset'],
          );
        if (!service && entries.length === 0) {
          ctx.report('IST0101', { ref: mirror ? 'mirror host' : 'host', name: d.host }, vs, [
            ...path,
            'host',
          ]);
          // istioctl also reports the subset no DestinationRule defines for the missing host
          if (subsetMissing) reportSubset();
          continue;
        }
        const ports = service
          ? service.ports.map((p) => p.port)
          : entries.flatMap((se) => (se.spec.ports ?? []).map((p) => p.number ?? 0));
        const port = d.port?.number;
        if (port !== undefined) {
          if (ports.length > 0 && !ports.includes(port)) {
            ctx.report('IST0101', { ref: 'host:port', name: `${d.host}:${port}` }, vs, [
              ...path,
              'port',
              'number',
            ]);
          }
        } else if (new Set(ports).size > 1) {
          // a sidecar takes the port the request came in on; a gateway's listener port is no port of the service
          const gateways = snap.gatewayRefs(vs).filter((g) => g !== 'mesh');
          ctx.report(
            'IST0112',
            { host: d.host, ports: ports.join(', '), gateways: gateways.join(', ') },
            vs,
            path,
          );
        }
        if (subsetMissing) reportSubset();
      }
    }
  },
};
