// Route destinations, weights and ports (VAL validateDestination,
// validateHTTPRouteDestinations, validateRouteDestinations).
import type { FieldPath } from '../../../../config/resource.ts';
import type { Destination } from '../../../../config/schemas/index.ts';
import { isDns1123Label, wildcardDomainProblem } from '../../shared/dns.ts';
import type { Report } from '../../shared/report.ts';

export function checkPort(report: Report, path: FieldPath, field: string, value: number | undefined): void {
  const n = value ?? 0;
  if (n < 1 || n > 65535) report(path, 'port.range', { field, value: n });
}

/** destination.host (required, not "*"), subset (a DNS-1123 label) and port.number. */
export function checkDestination(
  report: Report,
  path: FieldPath,
  d: Destination,
  field = 'destination.host',
): void {
  const host = d.host ?? '';
  if (host === '*') report([...path, 'host'], 'destination.host-star', { field });
  else if (host === '') report(d.host === undefined ? path : [...path, 'host'], 'host.empty', { field });
  else {
    const reason = wildcardDomainProblem(host);
    if (reason) report([...path, 'host'], 'host.invalid', { field, host, reason });
  }
  if (d.subset !== undefined && d.subset !== '' && !isDns1123Label(d.subset)) {
    report([...path, 'subset'], 'destination.subset', { subset: d.subset });
  }
  if (d.port) checkPort(report, [...path, 'port', 'number'], 'destination.port.number', d.port.number);
}

/** A route list (http/tcp/tls): each entry needs a destination; weights >= 0, several must not total 0. */
export function checkRouteDestinations(
  report: Report,
  path: FieldPath,
  route: readonly { destination?: Destination | undefined; weight?: number | undefined }[],
): void {
  let total = 0;
  route.forEach((entry, i) => {
    const at = [...path, i];
    if (!entry.destination) report(at, 'destination.missing', {});
    else checkDestination(report, [...at, 'destination'], entry.destination);
    const w = entry.weight ?? 0;
    if (w < 0) report([...at, 'weight'], 'route.weight-negative', { value: w });
    total += w;
  });
  if (route.length > 1 && total === 0) report(path, 'route.weights-zero', { count: route.length });
}
