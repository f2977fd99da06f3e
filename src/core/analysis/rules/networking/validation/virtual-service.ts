// VirtualService structure (VAL ValidateVirtualService): hosts, gateways, at
// least one route list, TLS and TCP rules. HTTP rules: validation.http-route.
import { HostIndex } from '../../../../config/host-index.ts';
import type { FieldPath } from '../../../../config/resource.ts';
import type { VirtualService } from '../../../../config/snapshot.ts';
import type { Rule } from '../../../rule.ts';
import {
  hostSubsetOf,
  hostsMatch,
  isIpAddress,
  isIpOrCidr,
  wildcardDomainProblem,
} from '../../shared/dns.ts';
import { nonEmpty, type Report, reporter } from '../../shared/report.ts';
import { checkPort, checkRouteDestinations } from './destinations.ts';
import { checkGatewayNames } from './gateway-refs.ts';

/** Bound to the sidecars: no gateways, or gateways including "mesh". */
export function appliesToMesh(vs: VirtualService): boolean {
  const gws = vs.spec.gateways;
  return !nonEmpty(gws) || gws.includes('mesh');
}

function checkHosts(report: Report, vs: VirtualService): void {
  const hosts = vs.spec.hosts ?? [];
  let allValid = true;
  hosts.forEach((host, i) => {
    const reason = wildcardDomainProblem(host);
    if (reason && !isIpAddress(host)) {
      allValid = false;
      const at: FieldPath = ['spec', 'hosts', i];
      if (host === '') report(at, 'host.empty', { field: 'host' });
      else report(at, 'host.invalid', { field: 'host', host, reason });
    } else if (host === '*' && appliesToMesh(vs)) {
      allValid = false;
      report(['spec', 'hosts', i], 'vs.host-star-mesh', {});
    }
  });
  if (!allValid || hosts.length < 2) return; // one host cannot overlap an earlier one
  // one finding per host, against the first earlier host it overlaps (hostsMatch):
  // a few hosts are compared pair by pair, many go through an index (a
  // VirtualService may list 300,000 hosts; an index per VirtualService costs more
  // than the comparisons for the usual handful)
  if (hosts.length <= 32) {
    for (let j = 1; j < hosts.length; j++) {
      const b = hosts[j] as string;
      for (let i = 0; i < j; i++) {
        const a = hosts[i] as string;
        if (!hostsMatch(a, b)) continue;
        report(['spec', 'hosts', j], 'vs.host-duplicate', { a, b });
        break;
      }
    }
    return;
  }
  const earlier = new HostIndex<number>();
  hosts.forEach((b, j) => {
    let first = Number.POSITIVE_INFINITY;
    for (const list of earlier.overlapping(b)) first = Math.min(first, list[0] ?? first);
    const a = hosts[first];
    if (a !== undefined) report(['spec', 'hosts', j], 'vs.host-duplicate', { a, b });
    earlier.add(b, j);
  });
}

/** Is `vs` named by some root VirtualService's http[].delegate? */
function isDelegated(vs: VirtualService, all: readonly VirtualService[]): boolean {
  return all.some((root) =>
    (root.spec.http ?? []).some(
      (h) => h.delegate?.name === vs.name && (h.delegate.namespace || root.namespace) === vs.namespace,
    ),
  );
}

function checkDelegate(report: Report, vs: VirtualService, all: readonly VirtualService[]): void {
  const s = vs.spec;
  let rejected = false;
  for (const field of ['gateways', 'tls', 'tcp'] as const) {
    const list: readonly unknown[] | undefined = s[field];
    if (nonEmpty(list)) {
      report(['spec', field], 'vs.delegate-field', { field });
      rejected = true;
    }
  }
  if (!rejected && !isDelegated(vs, all)) report(['spec'], 'vs.hosts-missing', {});
}

function checkL4Match(
  report: Report,
  at: FieldPath,
  m: {
    destinationSubnets?: string[] | undefined;
    port?: number | undefined;
    gateways?: string[] | undefined;
  },
): void {
  (m.destinationSubnets ?? []).forEach((value, k) => {
    if (!isIpOrCidr(value))
      report([...at, 'destinationSubnets', k], 'address.invalid', {
        field: 'destinationSubnets',
        value,
        cidr: true,
      });
  });
  if (m.port) checkPort(report, [...at, 'port'], 'match.port', m.port);
  checkGatewayNames(report, [...at, 'gateways'], m.gateways);
}

function checkTlsRoutes(report: Report, vs: VirtualService): void {
  const hosts = vs.spec.hosts ?? [];
  (vs.spec.tls ?? []).forEach((t, i) => {
    const base: FieldPath = ['spec', 'tls', i];
    if (!nonEmpty(t.match)) report(base, 'tls.no-match', {});
    (t.match ?? []).forEach((m, j) => {
      const at = [...base, 'match', j];
      if (!nonEmpty(m.sniHosts)) report(at, 'tls.no-sni', {});
      (m.sniHosts ?? []).forEach((sni, k) => {
        const path = [...at, 'sniHosts', k];
        const reason = wildcardDomainProblem(sni);
        if (reason) {
          if (isIpAddress(sni)) report(path, 'tls.sni-ip', { sni });
          else report(path, 'host.invalid', { field: 'sniHost', host: sni, reason });
        } else if (!hosts.some((h) => hostSubsetOf(sni, h))) {
          report(path, 'tls.sni-not-in-hosts', { sni, hosts: hosts.join(', ') });
        }
      });
      checkL4Match(report, at, m);
    });
    if (!nonEmpty(t.route)) report(base, 'l4.no-route', { kind: 'tls' });
    else checkRouteDestinations(report, [...base, 'route'], t.route);
  });
}

function checkTcpRoutes(report: Report, vs: VirtualService): void {
  (vs.spec.tcp ?? []).forEach((t, i) => {
    const base: FieldPath = ['spec', 'tcp', i];
    (t.match ?? []).forEach((m, j) => {
      checkL4Match(report, [...base, 'match', j], m);
    });
    if (!nonEmpty(t.route)) report(base, 'l4.no-route', { kind: 'tcp' });
    else checkRouteDestinations(report, [...base, 'route'], t.route);
  });
}

export const virtualServices: Rule = {
  name: 'validation.virtual-service',
  description:
    'VirtualService hosts, gateways, route lists and TLS/TCP rules as the validating webhook checks them.',
  reads: ['VirtualService'],
  codes: ['IST0106', 'IST0133'],
  run(ctx) {
    const all = ctx.snapshot.virtualServices;
    for (const vs of all) {
      const report = reporter(ctx, vs);
      const s = vs.spec;
      if (!nonEmpty(s.hosts)) checkDelegate(report, vs, all);
      else checkHosts(report, vs);
      checkGatewayNames(report, ['spec', 'gateways'], s.gateways);
      if (!nonEmpty(s.http) && !nonEmpty(s.tcp) && !nonEmpty(s.tls)) report(['spec'], 'vs.no-routes', {});
      checkTlsRoutes(report, vs);
      checkTcpRoutes(report, vs);
    }
  },
};
