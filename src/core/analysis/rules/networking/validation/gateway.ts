// Gateway (VAL ValidateGateway, validateServer, validateTLSOptions): servers,
// hosts, ports, protocols and server TLS settings.
import type { FieldPath } from '../../../../config/resource.ts';
import type { Server } from '../../../../config/schemas/index.ts';
import type { Rule } from '../../../rule.ts';
import {
  isDns1123Label,
  isHttpProtocol,
  isIpAddress,
  isKnownProtocol,
  isTlsProtocol,
  wildcardDomainProblem,
} from '../../shared/dns.ts';
import { nonEmpty, type Report, reporter } from '../../shared/report.ts';
import { checkPort } from './destinations.ts';

type ServerTls = NonNullable<Server['tls']>;

export const SERVER_TLS_MODES: readonly string[] = [
  'PASSTHROUGH',
  'SIMPLE',
  'MUTUAL',
  'AUTO_PASSTHROUGH',
  'ISTIO_MUTUAL',
  'OPTIONAL_MUTUAL',
];

/** A server host `[namespace/]dnsName`: FQDN or "*", no partial wildcard; IPs allowed. */
export function checkServerHost(report: Report, path: FieldPath, entry: string): void {
  let host = entry;
  const slash = entry.indexOf('/');
  if (slash >= 0) {
    const namespace = entry.slice(0, slash);
    host = entry.slice(slash + 1);
    if (namespace !== '*' && namespace !== '.' && !isDns1123Label(namespace)) {
      report(path, 'gw.host-namespace', { host: entry, namespace });
      return;
    }
  }
  if (host === '') report(path, 'host.empty', { field: 'server host' });
  else if (host !== '*' && !host.includes('.')) report(path, 'gw.host-short', { host });
  else if (host.includes('*') && host !== '*' && !host.startsWith('*.'))
    report(path, 'gw.host-partial-wildcard', { host });
  else {
    const reason = wildcardDomainProblem(host);
    if (reason && !isIpAddress(host)) report(path, 'host.invalid', { field: 'server host', host, reason });
  }
}

function checkServerTls(report: Report, path: FieldPath, tls: ServerTls): void {
  const mode = tls.mode ?? 'PASSTHROUGH';
  if (!SERVER_TLS_MODES.includes(mode)) {
    report([...path, 'mode'], 'gw.tls-mode', { value: mode });
    return;
  }
  const has = {
    serverCertificate: !!tls.serverCertificate,
    privateKey: !!tls.privateKey,
    caCertificates: !!tls.caCertificates,
    tlsCertificates: nonEmpty(tls.tlsCertificates),
    credentialName: !!tls.credentialName,
    credentialNames: nonEmpty(tls.credentialNames),
  };
  if (mode === 'ISTIO_MUTUAL') {
    for (const [field, set] of Object.entries(has)) {
      if (set) report([...path, field], 'gw.istio-mutual-certs', { field });
    }
    return;
  }
  if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') {
    const first = Object.entries({ ...has, caCrl: !!tls.caCrl }).find(([, set]) => set)?.[0];
    if (first) report([...path, first], 'gw.passthrough-certs', { mode });
  }
  const sources = [
    has.serverCertificate && has.privateKey ? 'serverCertificate/privateKey' : '',
    has.credentialName ? 'credentialName' : '',
    has.credentialNames ? 'credentialNames' : '',
    has.tlsCertificates ? 'tlsCertificates' : '',
  ].filter(Boolean);
  if (sources.length > 1) report(path, 'gw.cert-sources', { sources: sources.join(', ') });
  const terminating = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  if (terminating && (has.credentialName || has.credentialNames)) return;
  if (terminating) {
    if (mode !== 'SIMPLE' && !has.caCertificates) report(path, 'gw.tls-missing-ca', { mode });
    const certs = has.tlsCertificates ? (tls.tlsCertificates ?? []) : [tls];
    certs.forEach((c, i) => {
      const missing = (['serverCertificate', 'privateKey'] as const).filter((f) => !c[f]);
      const at = has.tlsCertificates ? [...path, 'tlsCertificates', i] : path;
      if (missing.length) report(at, 'gw.tls-missing-cert', { mode, missing: missing.join(' and ') });
    });
  }
  if (tls.caCrl) {
    if (has.credentialName)
      report([...path, 'caCrl'], 'gw.ca-crl', {
        reason: 'cannot be used with credentialName: put the CRL in the Secret',
      });
    else if (mode === 'SIMPLE')
      report([...path, 'caCrl'], 'gw.ca-crl', { reason: 'is not supported with mode SIMPLE' });
  }
}

function checkServer(report: Report, base: FieldPath, server: Server): void {
  if (!nonEmpty(server.hosts)) report(base, 'gw.no-hosts', {});
  (server.hosts ?? []).forEach((h, j) => {
    checkServerHost(report, [...base, 'hosts', j], h);
  });
  if (server.tls) checkServerTls(report, [...base, 'tls'], server.tls);
  const port = server.port;
  if (!port) {
    report(base, 'gw.port-missing', {});
    return;
  }
  const at = [...base, 'port'];
  let portOk = true;
  const protocol = port.protocol ?? '';
  if (!isKnownProtocol(protocol)) {
    portOk = false;
    report(port.protocol === undefined ? at : [...at, 'protocol'], 'gw.protocol', { value: port.protocol });
  }
  const number = port.number ?? 0;
  if ((number > 0 || !(server.bind ?? '').startsWith('unix://')) && (number < 1 || number > 65535)) {
    portOk = false;
    checkPort(report, port.number === undefined ? at : [...at, 'number'], 'port.number', number);
  }
  if (port.targetPort) {
    portOk = false;
    report([...at, 'targetPort'], 'gw.target-port', { value: port.targetPort });
  }
  if (!port.name) {
    portOk = false;
    report(at, 'gw.port-name-missing', {});
  }
  if (!portOk) return;
  if (isTlsProtocol(protocol) && !server.tls) report(base, 'gw.tls-required', { protocol });
  else if (!isTlsProtocol(protocol) && server.tls) {
    const mode = server.tls.mode ?? 'PASSTHROUGH';
    const passthrough = mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH';
    const certs = server.tls.caCertificates || server.tls.privateKey || server.tls.serverCertificate;
    if (!isHttpProtocol(protocol) || !passthrough || certs)
      report([...base, 'tls'], 'gw.tls-on-plain', { protocol });
  }
}

export const gateways: Rule = {
  name: 'validation.gateway',
  description:
    'Gateway servers, hosts, ports, protocols and TLS settings as the validating webhook checks them.',
  reads: ['Gateway'],
  codes: ['IST0106', 'IST0133'],
  run(ctx) {
    for (const gw of ctx.snapshot.gateways) {
      const report = reporter(ctx, gw);
      if (!isDns1123Label(gw.name)) report(['metadata', 'name'], 'gw.name', { name: gw.name });
      const servers = gw.spec.servers ?? [];
      if (servers.length === 0) report(['spec'], 'gw.no-servers', {});
      const names = new Set<string>();
      servers.forEach((server, i) => {
        const base: FieldPath = ['spec', 'servers', i];
        checkServer(report, base, server);
        const name = server.port?.name;
        if (name) {
          if (names.has(name)) report([...base, 'port', 'name'], 'gw.port-name-duplicate', { name });
          names.add(name);
        }
        const protocol = server.port?.protocol ?? '';
        if (server.port && server.tls?.httpsRedirect && !isHttpProtocol(protocol)) {
          report([...base, 'tls', 'httpsRedirect'], 'gw.https-redirect', { protocol });
        }
      });
    }
  },
};
