// ServiceEntry (VAL ValidateServiceEntry): hosts, addresses, ports, resolution
// and endpoints. (IST0134, addresses for TCP ports, is another rule's.)
import type { FieldPath } from '../../../../config/resource.ts';
import type { ServiceEntry } from '../../../../config/snapshot.ts';
import type { Rule } from '../../../rule.ts';
import {
  fqdnProblem,
  isDns1123Label,
  isHttpProtocol,
  isIpAddress,
  isIpOrCidr,
  isKnownProtocol,
  isTlsProtocol,
  wildcardDomainProblem,
} from '../../shared/dns.ts';
import { type Report, reporter } from '../../shared/report.ts';
import { checkPort } from './destinations.ts';

function checkHosts(report: Report, se: ServiceEntry): void {
  const hosts = se.spec.hosts ?? [];
  if (hosts.length === 0) report(['spec'], 'se.no-hosts', {});
  hosts.forEach((host, i) => {
    const at: FieldPath = ['spec', 'hosts', i];
    const reason = wildcardDomainProblem(host);
    if (host === '*') report(at, 'se.host-star', {});
    else if (host === '') report(at, 'host.empty', { field: 'host' });
    else if (reason) report(at, 'host.invalid', { field: 'host', host, reason });
    else if (host.includes('*') && !host.startsWith('*.')) report(at, 'se.host-partial-wildcard', { host });
  });
}

function checkAddresses(report: Report, se: ServiceEntry, resolution: string): void {
  (se.spec.addresses ?? []).forEach((value, i) => {
    const at: FieldPath = ['spec', 'addresses', i];
    if (!isIpOrCidr(value)) report(at, 'address.invalid', { field: 'address', value, cidr: true });
    else if (value.includes('/') && resolution !== 'NONE' && resolution !== 'STATIC') {
      report(at, 'se.cidr-resolution', { value, resolution });
    }
  });
}

function checkPorts(report: Report, se: ServiceEntry): Set<string> {
  const names = new Set<string>();
  const numbers = new Set<number>();
  (se.spec.ports ?? []).forEach((p, i) => {
    const at: FieldPath = ['spec', 'ports', i];
    const name = p.name ?? '';
    if (names.has(name)) report([...at, 'name'], 'se.port-name-duplicate', { name });
    else if (!isDns1123Label(name))
      report(p.name === undefined ? at : [...at, 'name'], 'se.port-name', { name });
    names.add(name);
    const number = p.number ?? 0;
    if (numbers.has(number)) report([...at, 'number'], 'se.port-number-duplicate', { number });
    else checkPort(report, p.number === undefined ? at : [...at, 'number'], 'port.number', number);
    numbers.add(number);
    if (p.targetPort) checkPort(report, [...at, 'targetPort'], 'port.targetPort', p.targetPort);
    if (p.protocol && !isKnownProtocol(p.protocol))
      report([...at, 'protocol'], 'se.protocol', { value: p.protocol });
  });
  return names;
}

function checkEndpoints(report: Report, se: ServiceEntry, resolution: string, portNames: Set<string>): void {
  const s = se.spec;
  const endpoints = s.endpoints ?? [];
  if (resolution === 'NONE') {
    if (endpoints.length) report(['spec', 'endpoints'], 'se.none-endpoints', {});
    if (s.workloadSelector) report(['spec', 'workloadSelector'], 'se.none-selector', {});
    return;
  }
  if (resolution !== 'STATIC' && endpoints.length === 0) {
    (s.hosts ?? []).forEach((host, i) => {
      if (host !== '*' && !wildcardDomainProblem(host) && fqdnProblem(host)) {
        report(['spec', 'hosts', i], 'se.dns-wildcard-host', { host, resolution });
      }
    });
  }
  if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) {
    report(['spec', 'endpoints'], 'se.dns-rr-endpoints', { count: endpoints.length });
  }
  endpoints.forEach((e, i) => {
    const at: FieldPath = ['spec', 'endpoints', i];
    const address = e.address ?? '';
    if (resolution === 'STATIC') {
      if (address === '') {
        if (!e.network) report(at, 'se.endpoint-address-missing', {});
      } else if (!address.startsWith('unix://') && !isIpAddress(address)) {
        report([...at, 'address'], 'se.static-address', { address });
      }
    } else if (!isIpAddress(address) && fqdnProblem(address)) {
      report(e.address === undefined ? at : [...at, 'address'], 'se.endpoint-address', { address });
    }
    for (const [name, port] of Object.entries(e.ports ?? {})) {
      if (!portNames.has(name)) report([...at, 'ports', name], 'se.endpoint-port', { name });
      else checkPort(report, [...at, 'ports', name], `endpoint port ${name}`, port);
    }
  });
}

export const serviceEntries: Rule = {
  name: 'validation.service-entry',
  description:
    'ServiceEntry hosts, addresses, ports, resolution and endpoints as the validating webhook checks them.',
  reads: ['ServiceEntry'],
  codes: ['IST0106', 'IST0133'],
  run(ctx) {
    for (const se of ctx.snapshot.serviceEntries) {
      const report = reporter(ctx, se);
      const s = se.spec;
      const resolution = s.resolution ?? 'NONE';
      if (s.workloadSelector && s.endpoints) report(['spec', 'endpoints'], 'se.selector-and-endpoints', {});
      checkHosts(report, se);
      checkAddresses(report, se, resolution);
      const portNames = checkPorts(report, se);
      checkEndpoints(report, se, resolution, portNames);
      if (resolution !== 'NONE' && (s.hosts ?? []).length > 1) {
        const i = (s.ports ?? []).findIndex(
          (p) => !isHttpProtocol(p.protocol ?? '') && !isTlsProtocol(p.protocol ?? ''),
        );
        const p = s.ports?.[i];
        if (p)
          report(['spec', 'ports', i], 'se.multi-host-tcp', { port: `${p.number ?? '?'}/${p.name ?? ''}` });
      }
    }
  },
};
