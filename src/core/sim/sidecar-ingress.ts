// The Sidecar ingress layer: at a pod whose Sidecar lists ingress listeners, the
// request arriving on a listed port is forwarded where defaultEndpoint says
// (127.0.0.1:PORT, the pod's IP:PORT, a Unix socket); when the application does not
// listen on that port the pod's sidecar gets a refused connection and answers 503
// itself (flag UF in its own log). A port no listener lists goes through the
// passthrough chain to the application on that same port. bind and captureMode are
// not simulated (traffic is taken to be captured by iptables), and the run says so.
import { applicationPorts, type IngressListener, ingressListeners } from '../config/sidecar-ingress.ts';
import { sidecarScope } from '../config/sidecar-scope.ts';
import type { Snapshot } from '../config/snapshot.ts';
import type { Hop, HopLayer, HopVerdict } from './layers.ts';
import type { SimMesh } from './mesh.ts';

export function sidecarIngressLayer(mesh: SimMesh): HopLayer | null {
  if (!mesh.snapshot.sidecars.some((s) => (s.spec.ingress?.length ?? 0) > 0)) return null;
  return new SidecarIngressLayer(mesh.snapshot);
}

const where = (l: IngressListener): string =>
  l.endpoint.kind === 'unix'
    ? l.endpoint.address
    : l.written
      ? `${l.written}${l.endpoint.kind === 'pod' ? ' (the pod IP)' : ''}`
      : `the pod IP:${l.port} (defaultEndpoint unset)`;

class SidecarIngressLayer implements HopLayer {
  readonly name = 'sidecar-ingress';
  private readonly snapshot: Snapshot;

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
  }

  hop(h: Hop): HopVerdict | null {
    const { cluster, endpoint: ep } = h;
    const w = ep.workload;
    if (ep.external || !w || !w.sidecar || w.dataplane !== 'sidecar' || ep.gateway) return null;
    const scope = sidecarScope(this.snapshot, ep.namespace, ep.labels);
    const listeners = ingressListeners(scope.sidecar);
    if (listeners.length === 0) return null;
    const ref = scope.ref;
    const svc = this.snapshot.service(cluster.host);
    const port = svc?.ports.find((p) => p.port === cluster.port)?.targetPort ?? cluster.port;
    const l = listeners.find((x) => x.port === port);
    const note = (n: string) => h.note?.(n);
    if (!l) {
      note(
        `Sidecar ${ref} lists no ingress port ${port} (${listeners.map((x) => x.port).join(', ')}): ${ep.pod} takes it through the inbound passthrough chain to the application on ${port}`,
      );
      return null;
    }
    if (l.bind || l.captureMode)
      note(
        `Sidecar ${ref} ingress ${port} sets ${[l.bind && `bind ${l.bind}`, l.captureMode && `captureMode ${l.captureMode}`].filter(Boolean).join(' and ')}: not simulated, the traffic is taken to be captured by iptables as usual`,
      );
    if (l.endpoint.kind === 'unix') {
      note(
        `Sidecar ${ref} ingress ${port} forwards to ${where(l)} (the application is taken to listen there)`,
      );
      return null;
    }
    const ports = applicationPorts(this.snapshot, w);
    if (ports.size > 0 && !ports.has(l.endpoint.port))
      return {
        kind: 'reply',
        status: 503,
        reason: `Sidecar ${ref} ingress ${port} forwards to ${where(l)}, but ${ep.pod} listens on ${[...ports].sort((a, b) => a - b).join(', ')}: the connection is refused, its sidecar answers 503 (flag UF in its own log)`,
      };
    note(`Sidecar ${ref} ingress ${port} forwards to ${where(l)} at ${ep.pod}`);
    return null;
  }
}
