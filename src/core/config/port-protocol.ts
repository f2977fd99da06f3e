// Which Kubernetes Service ports Istio's sidecar serves with TCP filters: the
// protocol comes from appProtocol, else from the port name's prefix
// (`tcp-admin` → tcp); an unnamed port is sniffed, which the simulator's HTTP
// requests pass as HTTP.
import type { ServicePort } from './snapshot.ts';

const HTTP = /^(http|http2|grpc|grpc-web|h2c)$/;
const TCP = /^(tcp|tls|https|mongo|mysql|redis)$/;

/** The protocol Istio selects for a Service port (lowercase), or '' when it sniffs. */
export function portProtocol(p: ServicePort): string {
  return (p.appProtocol ?? /^([a-z0-9]+(?:-web)?)(?:-|$)/i.exec(p.name ?? '')?.[1] ?? '').toLowerCase();
}

/** Is the port served by TCP filters (no HTTP attributes: methods, paths, JWTs)? */
export function isTcpPort(p: ServicePort): boolean {
  const proto = portProtocol(p);
  return !HTTP.test(proto) && TCP.test(proto);
}
