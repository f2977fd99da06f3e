import { labelsMatch } from '../../../config/snapshot.ts';
import type { Rule } from '../../rule.ts';
import { credentialProblem } from './gateway-credential.ts';

/** A Gateway's selector, ports and TLS secrets against the gateway workload (istioctl's gateway analyzers). */
export const gatewayWorkload: Rule = {
  name: 'gateway.workload',
  description:
    "A Gateway's selector matches gateway pods (IST0101), its ports are exposed by their Service (IST0162), and its credentialName Secrets exist in the gateway pods' namespace (IST0101) and hold a valid certificate (IST0161).",
  reads: ['Gateway', 'Pod', 'Deployment', 'Service', 'Secret'],
  codes: ['IST0101', 'IST0161', 'IST0162'],
  run(ctx) {
    const snap = ctx.snapshot;
    const gateways = snap.gateways;
    if (gateways.length === 0) return;
    // Without any known workloads (--no-bookinfo and no pods in the input) selectors cannot be judged.
    const anyWorkloads = snap.list('Pod').length > 0 || snap.list('Deployment').length > 0;
    // Secrets are usually created with kubectl, not YAML: judge them only when some are known.
    const secretsKnown = snap.list('Secret').length > 0;
    // Gateways share a few selectors (one Gateway per service, all on the ingress
    // gateway): the exposed ports are worked out once per selector, not per Gateway.
    const portsBySelector = new Map<string, Set<number>>();
    const exposedPorts = (selectorText: string, pods: ReturnType<typeof snap.workloadsMatching>) => {
      let ports = portsBySelector.get(selectorText);
      if (ports) return ports;
      ports = new Set<number>();
      for (const svc of snap.services()) {
        if (Object.keys(svc.selector).length === 0) continue;
        if (!pods.some((p) => p.namespace === svc.namespace && labelsMatch(svc.selector, p.labels))) continue;
        // The proxy listens on the Service's targetPort; Istio also maps a Service port to its targetPort.
        for (const p of svc.ports) {
          ports.add(p.port);
          if (p.targetPort) ports.add(p.targetPort);
        }
      }
      portsBySelector.set(selectorText, ports);
      return ports;
    };
    for (const gw of gateways) {
      const selector = gw.spec.selector ?? {};
      const selectorText = Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const pods = snap.workloadsMatching(selector);
      if (anyWorkloads && pods.length === 0) {
        ctx.report('IST0101', { ref: 'selector', name: selectorText || '(empty)' }, gw, ['spec', 'selector']);
        continue;
      }
      if (pods.length > 0) {
        const ports = exposedPorts(selectorText, pods);
        (gw.spec.servers ?? []).forEach((server, i) => {
          const n = server?.port?.number;
          if (n !== undefined && ports.size > 0 && !ports.has(n)) {
            ctx.report('IST0162', { port: n, gateway: selectorText }, gw, [
              'spec',
              'servers',
              i,
              'port',
              'number',
            ]);
          }
        });
      }
      if (!secretsKnown) continue;
      const namespaces = new Set(pods.map((p) => p.namespace));
      if (namespaces.size === 0) namespaces.add(gw.namespace);
      (gw.spec.servers ?? []).forEach((server, i) => {
        const names = [server?.tls?.credentialName, ...(server?.tls?.credentialNames ?? [])].filter(
          (n): n is string => !!n,
        );
        for (const name of names) {
          const path = ['spec', 'servers', i, 'tls', 'credentialName'];
          const found = [...namespaces].map((ns) => snap.secret(ns, name)).find((s) => s !== undefined);
          if (!found) {
            ctx.report('IST0101', { ref: 'credentialName', name }, gw, path);
            continue;
          }
          const detail = credentialProblem(found);
          if (detail)
            ctx.report(
              'IST0161',
              { gateway: gw.name, namespace: found.namespace, secret: name, detail },
              gw,
              path,
            );
        }
      });
    }
  },
};
