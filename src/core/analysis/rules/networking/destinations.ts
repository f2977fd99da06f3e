// Walks the destinations of a VirtualService with their field paths.
import type { FieldPath } from '../../../config/resource.ts';
import type { Destination } from '../../../config/schemas/index.ts';
import type { VirtualService } from '../../../config/snapshot.ts';

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

/** Per spec (a snapshot parses each spec once): several rules walk the same destinations. */
const routeDestinationsOf = new WeakMap<object, readonly RouteDestination[]>();

export function routeDestinations(vs: VirtualService): readonly RouteDestination[] {
  const known = routeDestinationsOf.get(vs.spec);
  if (known) return known;
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
  routeDestinationsOf.set(vs.spec, out);
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

/**
 * The destinations that receive traffic: a route's lone destination whatever its
 * weight, otherwise only those with a weight above 0 (pilot drops 0-weight
 * destinations when a route has several), and every mirror.
 */
export function trafficDestinations(vs: VirtualService): (RouteDestination | MirrorDestination)[] {
  const all = routeDestinations(vs);
  const perRoute = new Map<string, number>();
  for (const d of all) {
    const key = `${d.protocol}/${d.rule}`;
    perRoute.set(key, (perRoute.get(key) ?? 0) + 1);
  }
  const routed = all.filter((d) => perRoute.get(`${d.protocol}/${d.rule}`) === 1 || (d.weight ?? 0) > 0);
  return [...routed, ...mirrorDestinations(vs)];
}
