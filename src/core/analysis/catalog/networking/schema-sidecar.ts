// The webhook's checks on Sidecars (VAL ValidateSidecar), one table beside the other
// networking kinds'.
import { check, LABEL_RULE, q } from '../schema-entry.ts';

const EGRESS_HOST_FORM =
  'Write each host as namespace/dnsName: "./*" (this namespace), "istio-system/*", "*/reviews.default.svc.cluster.local", "~/*" (no namespace); dnsName is "*", "*.example.com" or a full host name.';

export const SIDECAR_CHECKS = {
  'sc.selector-label': check<{ label: string; reason: string }>({
    level: 'error',
    detail: (p) => `workloadSelector ${q(p.label)}: ${p.reason}`,
    fix: 'Use exact label values (app: productpage); a selector has no wildcards.',
  }),
  'sc.selector-no-labels': check({
    level: 'warning',
    detail: () => 'workload selector specified without labels, will be applied to all services in namespace',
    why: 'An empty workloadSelector selects nothing in particular: Istio treats the Sidecar as the namespace default, which may clash with the namespace default you already have (IST0111).',
    fix: 'Give workloadSelector.labels (e.g. app: productpage), or remove workloadSelector to write the namespace default on purpose.',
  }),
  'sc.empty': check({
    level: 'error',
    detail: () =>
      'empty configuration provided: a Sidecar needs egress, ingress, outboundTrafficPolicy or inboundConnectionPool',
    fix: 'Add egress hosts (e.g. egress: [{hosts: ["./*", "istio-system/*"]}]) or delete the Sidecar.',
  }),
  'sc.ingress-port-missing': check({
    level: 'error',
    detail: () => 'port is required for ingress listeners',
    fix: 'Add port: {number: 9080, protocol: HTTP, name: http} (the port the application listens on).',
  }),
  'sc.target-port': check({
    level: 'error',
    detail: () => 'targetPort has no impact on Sidecars',
    fix: 'Remove targetPort; for an ingress listener, defaultEndpoint names where the traffic goes (e.g. 127.0.0.1:8080).',
  }),
  'sc.port-name': check<{ name: string }>({
    level: 'error',
    detail: (p) => `port name ${q(p.name)} is invalid (${LABEL_RULE})`,
  }),
  'sc.protocol': check<{ value: string }>({
    level: 'error',
    detail: (p) => `${q(p.value)} is not a valid protocol`,
    fix: 'Use HTTP, HTTPS, HTTP2, GRPC, TCP, TLS or MONGO/MYSQL/REDIS (uppercase), or leave protocol out to let Istio sniff it.',
  }),
  'sc.bind': check<{ value: string }>({
    level: 'error',
    detail: (p) => `bind ${q(p.value)} is not an IP address`,
    fix: 'Use an IP address (e.g. 127.0.0.1 or 0.0.0.0), or remove bind.',
  }),
  'sc.port-duplicate': check<{ number: number }>({
    level: 'error',
    detail: (p) => `ports on IP bound listeners must be unique: port ${p.number} is used twice`,
    fix: 'Give each listener its own port, or merge the two listeners.',
  }),
  'sc.default-endpoint': check<{ value: string }>({
    level: 'error',
    detail: (p) =>
      `defaultEndpoint ${q(p.value)} must be of form 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:port, [::]:port, unix://filepath or unset`,
    why: 'The ingress listener forwards to the application on the pod itself: only a loopback or wildcard address (or a unix socket) with a port is accepted.',
    fix: 'Write e.g. 127.0.0.1:8080 (the port the application listens on), or remove defaultEndpoint.',
  }),
  'sc.ingress-tls': check<{ reason: string }>({
    level: 'error',
    detail: (p) => p.reason,
    fix: 'An ingress listener TLS setting takes mode SIMPLE or MUTUAL with serverCertificate/privateKey files on a HTTPS or TLS port.',
  }),
  'sc.catch-all-last': check({
    level: 'error',
    detail: () => 'the egress listener with empty port should be the last listener in the list',
    fix: 'Move the listener without port to the end: listeners with a port apply to their port, the last one to every other.',
  }),
  'sc.catch-all-twice': check({
    level: 'error',
    detail: () => 'egress can have only one listener with empty port',
    fix: 'Merge the hosts of the listeners without port into one.',
  }),
  'sc.uds-bind': check({
    level: 'error',
    detail: () => 'ports with 0 value must have a unix domain socket bind address',
  }),
  'sc.egress-no-hosts': check({
    level: 'error',
    detail: () => 'egress listener must contain at least one host',
    fix: 'Add hosts, e.g. ["./*", "istio-system/*"].',
  }),
  'sc.egress-host-form': check<{ host: string }>({
    level: 'error',
    detail: (p) => `egress host ${q(p.host)}: host must be of form namespace/dnsName`,
    why: 'A Sidecar imports services by the namespace they live in: the namespace part is required, even for "*" (write "*/*" or "./*").',
    fix: EGRESS_HOST_FORM,
  }),
  'sc.egress-host-empty': check<{ host: string }>({
    level: 'error',
    detail: (p) => `egress host ${q(p.host)}: config namespace and dnsName in host entry cannot be empty`,
    fix: EGRESS_HOST_FORM,
  }),
  'sc.egress-namespace': check<{ host: string; namespace: string }>({
    level: 'error',
    detail: (p) =>
      `egress host ${q(p.host)}: namespace ${q(p.namespace)} is not "*", ".", "~" or a namespace name (${LABEL_RULE})`,
    fix: EGRESS_HOST_FORM,
  }),
  'sc.egress-dns': check<{ host: string; reason: string }>({
    level: 'error',
    detail: (p) => `egress host ${q(p.host)}: ${p.reason}`,
    fix: EGRESS_HOST_FORM,
  }),
  'sc.egress-duplicate': check<{ host: string }>({
    level: 'warning',
    detail: (p) => `duplicated egress host: ${p.host}`,
    why: 'The host is already imported by another entry of this listener (the same one, or "ns/*" for its namespace): the entry changes nothing.',
    fix: 'Remove the duplicate entry.',
  }),
  'sc.egress-star-star': check({
    level: 'warning',
    detail: () => '`*/*` host select all resources, no other hosts can be added',
    why: '"*/*" imports every namespace already: the other hosts of the listener add nothing, and the Sidecar limits nothing.',
    fix: 'Keep "*/*" alone, or replace it by the namespaces the workload calls ("./*", "istio-system/*", ...).',
  }),
  'sc.egress-proxy-mode': check({
    level: 'error',
    detail: () => 'egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode',
    fix: 'Set outboundTrafficPolicy.mode: ALLOW_ANY, or remove egressProxy (under REGISTRY_ONLY unknown hosts are blocked, not proxied).',
  }),
  'sc.egress-proxy-host': check<{ host: string; reason: string }>({
    level: 'error',
    detail: (p) => `egressProxy.host ${q(p.host)}: ${p.reason}`,
    fix: 'Name the egress proxy by its full host name, e.g. istio-egressgateway.istio-system.svc.cluster.local.',
  }),
  'sc.egress-proxy-port': check({
    level: 'error',
    detail: () => 'egress_proxy port must be non-nil',
    fix: 'Add egressProxy.port.number (e.g. 80).',
  }),
};
