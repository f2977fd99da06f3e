// Walks the destinations of a VirtualService with their field paths.
import type { FieldPath } from '../../config/resource.ts';
import type { Destination } from '../../config/schemas/index.ts';
import type { VirtualService } from '../../config/snapshot.ts';

export interface RouteDestination {
  destination: Destination;
  /** path of the `destination` field */
  path: FieldPath;
  /** http, tcp or tls route index */
  protocol: 'http' | 'tcp' | 'tls';
  rule: number;
  weight: number | undefined;
}

export interface MirrorDestination {
  destination: Destination;
  path: FieldPath;
  rule: number;
}

export function routeDestinations(vs: VirtualService): RouteDestination[] {
  const out: RouteDestination[] = [];
  for (const protocol of ['http', 'tcp', 'tls'] as const) {
    (vs.spec[protocol] ?? []).forEach((rule, i) => {
      (rule?.route ?? []).forEach((rd, j) => {
        if (rd?.destination) {
          out.push({
            destination: rd.destination,
            path: ['spec', protocol, i, 'route', j, 'destination'],
            protocol,
            rule: i,
            weight: rd.weight,
          });
        }
      });
    });
  }
  return out;
}

export function mirrorDestinations(vs: VirtualService): MirrorDestination[] {
  const out: MirrorDestination[] = [];
  (vs.spec.http ?? []).forEach((rule, i) => {
    if (rule?.mirror) out.push({ destination: rule.mirror, path: ['spec', 'http', i, 'mirror'], rule: i });
    (rule?.mirrors ?? []).forEach((m, j) => {
      if (m?.destination)
        out.push({
          destination: m.destination,
          path: ['spec', 'http', i, 'mirrors', j, 'destination'],
          rule: i,
        });
    });
  });
  return out;
}
