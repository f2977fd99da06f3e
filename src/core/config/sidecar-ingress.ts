// A Sidecar's ingress listeners as istiod builds the inbound side from them
// (pilot listener_inbound.go, cluster_builder.go): with any ingress listener, the
// proxy's inbound filter chains are those ports, each to its own `inbound|<port>||`
// cluster whose one endpoint is defaultEndpoint (127.0.0.1/[::1]: the loopback;
// 0.0.0.0/[::]: the pod's own IP; unix://: a socket; unset: the pod's IP on the
// listener port). A port the Service sends to that no ingress listener lists goes
// through the passthrough chain to the application on that same port.
import type { Sidecar, Snapshot, Workload } from './snapshot.ts';

export interface IngressListener {
  port: number;
  protocol?: string;
  /** where the proxy forwards: the loopback, the pod's IP, a Unix socket, or (unset) the pod's IP on `port` */
  endpoint: { kind: 'loopback' | 'pod' | 'unix'; address: string; port: number };
  /** as written, when set (not simulated: see the run's note) */
  bind?: string;
  captureMode?: string;
  /** defaultEndpoint as written ('' when unset) */
  written: string;
}

/** A defaultEndpoint parsed: `127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:8080`, `[::]:8080`, `unix:///path`. */
function endpointOf(value: string, port: number): IngressListener['endpoint'] {
  if (value.startsWith('unix://')) return { kind: 'unix', address: value, port: 0 };
  const m = /^(\[[^\]]*\]|[^:]+):(\d+)$/.exec(value);
  if (!m) return { kind: 'pod', address: '0.0.0.0', port };
  const host = m[1]!;
  const p = Number(m[2]);
  const loopback = host === '127.0.0.1' || host === '[::1]';
  return { kind: loopback ? 'loopback' : 'pod', address: host, port: p };
}

/** The ingress listeners of a Sidecar (empty: the inbound side follows the workload's Services). */
export function ingressListeners(sidecar: Sidecar | undefined): IngressListener[] {
  const out: IngressListener[] = [];
  for (const ing of sidecar?.spec.ingress ?? []) {
    const port = ing.port?.number;
    if (port === undefined) continue;
    const written = ing.defaultEndpoint ?? '';
    out.push({
      port,
      ...(ing.port?.protocol ? { protocol: ing.port.protocol } : {}),
      endpoint: endpointOf(written, port),
      ...(ing.bind ? { bind: ing.bind } : {}),
      ...(ing.captureMode ? { captureMode: ing.captureMode } : {}),
      written,
    });
  }
  return out;
}

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * The ports a workload's application listens on, as far as the inputs say: its
 * containers' declared ports, else the target ports of the Services that select it.
 * Empty when neither says (the trainer then cannot tell, and assumes it listens).
 */
export function applicationPorts(snapshot: Snapshot, w: Workload): Set<number> {
  const ports = new Set<number>();
  const spec = asRecord(w.resource.spec);
  const podSpec = w.resource.kind === 'Pod' ? spec : asRecord(asRecord(spec.template).spec);
  for (const c of Array.isArray(podSpec.containers) ? podSpec.containers : [])
    for (const p of Array.isArray(asRecord(c).ports) ? (asRecord(c).ports as unknown[]) : []) {
      const n = asRecord(p).containerPort;
      if (typeof n === 'number') ports.add(n);
    }
  if (ports.size > 0) return ports;
  // no declared container ports: the ports its Services send to
  for (const svc of snapshot.services()) {
    if (svc.namespace !== w.namespace || Object.keys(svc.selector).length === 0) continue;
    if (!Object.entries(svc.selector).every(([k, v]) => w.labels[k] === v)) continue;
    for (const p of svc.ports) ports.add(p.targetPort ?? p.port);
  }
  return ports;
}
