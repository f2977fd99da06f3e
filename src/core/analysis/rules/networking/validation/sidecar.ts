// Sidecar (VAL ValidateSidecar): workloadSelector, ingress listeners (port, bind,
// defaultEndpoint, tls), egress listeners (ports, the catch-all listener, hosts
// `namespace/dnsName`) and outboundTrafficPolicy (egressProxy only with ALLOW_ANY).
// IST0110/IST0111/IST0167 (which pods a Sidecar selects) are another rule's.
import type { FieldPath } from '../../../../config/resource.ts';
import type { Sidecar } from '../../../../config/snapshot.ts';
import type { Rule } from '../../../rule.ts';
import {
  fqdnProblem,
  isDns1123Label,
  isIpAddress,
  isKnownProtocol,
  isTlsProtocol,
  wildcardDomainProblem,
} from '../../shared/dns.ts';
import { type Report, reporter } from '../../shared/report.ts';
import { checkPort } from './destinations.ts';

type Port = { number?: number | undefined; protocol?: string | undefined; name?: string | undefined };

function checkSelector(report: Report, sc: Sidecar): void {
  const sel = sc.spec.workloadSelector;
  if (!sel) return;
  const labels = sel.labels ?? {};
  for (const [k, v] of Object.entries(labels)) {
    if (k === '')
      report(['spec', 'workloadSelector', 'labels'], 'sc.selector-label', {
        label: `${k}=${v}`,
        reason: 'empty key is not supported',
      });
    if (k.includes('*') || v.includes('*'))
      report(['spec', 'workloadSelector', 'labels', k], 'sc.selector-label', {
        label: `${k}=${v}`,
        reason: 'wildcard is not supported',
      });
  }
  if (Object.keys(labels).length === 0) report(['spec', 'workloadSelector'], 'sc.selector-no-labels', {});
}

/** Port name, protocol and number (a listener port; 0 only for a unix socket egress listener). */
function checkListenerPort(report: Report, at: FieldPath, port: Port, unixAllowed: boolean): void {
  if (port.name && !isDns1123Label(port.name)) report([...at, 'name'], 'sc.port-name', { name: port.name });
  if (port.protocol && !isKnownProtocol(port.protocol))
    report([...at, 'protocol'], 'sc.protocol', { value: port.protocol });
  if (!(unixAllowed && (port.number ?? 0) === 0))
    checkPort(report, port.number === undefined ? at : [...at, 'number'], 'port.number', port.number);
}

/** defaultEndpoint: unix://path, or [127.0.0.1|0.0.0.0|::1|::]:port. */
function defaultEndpointOk(value: string): boolean {
  if (value.startsWith('unix://')) return value.length > 'unix://'.length;
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(value);
  if (!m) return false;
  const host = m[1] ?? m[2] ?? '';
  if (!['', '127.0.0.1', '0.0.0.0', '::1', '::'].includes(host)) return false;
  const port = Number(m[3]);
  return port >= 1 && port <= 65535;
}

function checkIngress(report: Report, sc: Sidecar): void {
  const seen = new Set<number>();
  (sc.spec.ingress ?? []).forEach((ing, i) => {
    const at: FieldPath = ['spec', 'ingress', i];
    if (!ing.port) {
      report(at, 'sc.ingress-port-missing', {});
      return;
    }
    if (ing.port.targetPort) report([...at, 'port', 'targetPort'], 'sc.target-port', {});
    checkListenerPort(report, [...at, 'port'], ing.port, false);
    if (ing.bind && !isIpAddress(ing.bind)) report([...at, 'bind'], 'sc.bind', { value: ing.bind });
    const n = ing.port.number ?? 0;
    if (seen.has(n)) report([...at, 'port', 'number'], 'sc.port-duplicate', { number: n });
    seen.add(n);
    if (ing.defaultEndpoint && !defaultEndpointOk(ing.defaultEndpoint))
      report([...at, 'defaultEndpoint'], 'sc.default-endpoint', { value: ing.defaultEndpoint });
    const tls = ing.tls;
    if (tls) {
      const tat: FieldPath = [...at, 'tls'];
      const bad = (reason: string) => report(tat, 'sc.ingress-tls', { reason });
      if ((tls.subjectAltNames ?? []).length) bad('subjectAltNames is not supported in ingress tls');
      if (tls.httpsRedirect) bad('httpsRedirect is not supported');
      if (tls.credentialName) bad('credentialName is not currently supported');
      if ((tls.credentialNames ?? []).length) bad('credentialNames is not currently supported');
      if ((tls.tlsCertificates ?? []).length) bad('tls_certificates is not currently supported');
      if (tls.mode === 'ISTIO_MUTUAL' || tls.mode === 'AUTO_PASSTHROUGH')
        bad(`configuration is invalid: cannot set mode to ${tls.mode} in sidecar ingress tls`);
      if (!isTlsProtocol(ing.port.protocol ?? ''))
        bad('server cannot have TLS settings for non HTTPS/TLS ports');
    }
  });
}

/** One egress host `namespace/dnsName` (Istio's ValidateNamespaceSlashWildcardHostname for sidecars). */
function checkEgressHost(report: Report, at: FieldPath, host: string): void {
  const slash = host.indexOf('/');
  if (slash < 0) {
    report(at, 'sc.egress-host-form', { host });
    return;
  }
  const ns = host.slice(0, slash);
  const dns = host.slice(slash + 1);
  if (ns === '' || dns === '') {
    report(at, 'sc.egress-host-empty', { host });
    return;
  }
  if (ns !== '*' && ns !== '.' && ns !== '~' && !isDns1123Label(ns))
    report(at, 'sc.egress-namespace', { host, namespace: ns });
  if (dns !== '*') {
    const reason = wildcardDomainProblem(dns);
    if (reason) report(at, 'sc.egress-dns', { host, reason });
  }
}

function checkEgress(report: Report, sc: Sidecar): void {
  const egress = sc.spec.egress ?? [];
  const ports = new Set<number>();
  const sockets = new Set<string>();
  let catchAll = false;
  egress.forEach((e, i) => {
    const at: FieldPath = ['spec', 'egress', i];
    if (!e.port) {
      if (catchAll) {
        report(at, 'sc.catch-all-twice', {});
        return;
      }
      if (i === egress.length - 1) catchAll = true;
      else report(at, 'sc.catch-all-last', {});
    } else {
      if (e.port.targetPort) report([...at, 'port', 'targetPort'], 'sc.target-port', {});
      checkListenerPort(report, [...at, 'port'], e.port, true);
      const n = e.port.number ?? 0;
      if (n === 0) {
        if (!(e.bind ?? '').startsWith('unix://')) report([...at, 'bind'], 'sc.uds-bind', {});
        if (sockets.has(e.bind ?? '')) report([...at, 'bind'], 'sc.port-duplicate', { number: 0 });
        sockets.add(e.bind ?? '');
      } else {
        if (e.bind && !isIpAddress(e.bind)) report([...at, 'bind'], 'sc.bind', { value: e.bind });
        if (ports.has(n)) report([...at, 'port', 'number'], 'sc.port-duplicate', { number: n });
        ports.add(n);
      }
    }
    const hosts = e.hosts ?? [];
    if (hosts.length === 0) {
      report(at, 'sc.egress-no-hosts', {});
      return;
    }
    // duplicates per namespace, as the webhook counts them ("." is this namespace)
    const byNs = new Map<string, Set<string>>();
    hosts.forEach((h, j) => {
      const hat: FieldPath = [...at, 'hosts', j];
      const slash = h.indexOf('/');
      if (slash >= 0) {
        const ns = h.slice(0, slash) === '.' ? sc.namespace : h.slice(0, slash);
        const dns = h.slice(slash + 1);
        let seen = byNs.get(ns);
        if (!seen) byNs.set(ns, (seen = new Set()));
        if (dns !== '*' ? seen.has(dns) || seen.has('*') : seen.size > 0)
          report(hat, 'sc.egress-duplicate', { host: h });
        seen.add(dns);
      }
      checkEgressHost(report, hat, h);
    });
    if (byNs.get('*')?.has('*') && byNs.size !== 1) report([...at, 'hosts'], 'sc.egress-star-star', {});
  });
}

function checkOutbound(report: Report, sc: Sidecar): void {
  const tp = sc.spec.outboundTrafficPolicy;
  if (!tp?.egressProxy) return;
  const at: FieldPath = ['spec', 'outboundTrafficPolicy', 'egressProxy'];
  if ((tp.mode ?? 'REGISTRY_ONLY') !== 'ALLOW_ANY') {
    report(at, 'sc.egress-proxy-mode', {});
    return;
  }
  const host = tp.egressProxy.host ?? '';
  const reason = host === '' ? 'a host is required' : fqdnProblem(host);
  if (reason) report([...at, 'host'], 'sc.egress-proxy-host', { host, reason });
  if (!tp.egressProxy.port) {
    report(at, 'sc.egress-proxy-port', {});
    return;
  }
  checkPort(report, [...at, 'port', 'number'], 'egressProxy.port.number', tp.egressProxy.port.number);
}

export const sidecars: Rule = {
  name: 'validation.sidecar',
  description:
    'Sidecar workloadSelector, ingress and egress listeners, egress hosts (namespace/dnsName) and outboundTrafficPolicy as the validating webhook checks them.',
  reads: ['Sidecar'],
  codes: ['IST0106', 'IST0133'],
  run(ctx) {
    for (const sc of ctx.snapshot.sidecars) {
      const report = reporter(ctx, sc);
      const s = sc.spec;
      checkSelector(report, sc);
      if (!s.egress?.length && !s.ingress?.length && !s.outboundTrafficPolicy && !s.inboundConnectionPool) {
        report(['spec'], 'sc.empty', {});
        continue;
      }
      checkIngress(report, sc);
      checkEgress(report, sc);
      checkOutbound(report, sc);
    }
  },
};
