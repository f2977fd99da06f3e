// Which Gateway servers a VirtualService host can bind to.
import { hostsOverlap, splitGatewayHost, toFqdn } from '../../../config/hosts.ts';
import type { Gateway, VirtualService } from '../../../config/snapshot.ts';

/** Does the Gateway server host entry (`[ns/]host`) admit this VS host? */
export function serverHostAdmits(entry: string, gw: Gateway, vs: VirtualService, vsHost: string): boolean {
  const { namespace, host } = splitGatewayHost(entry);
  if (namespace !== '*' && !(namespace === '.' ? gw.namespace === vs.namespace : namespace === vs.namespace))
    return false;
  return hostsOverlap(host, toFqdn(vsHost, vs.namespace));
}

/** Server host entries of a Gateway (all servers). */
export function gatewayHosts(gw: Gateway): { entry: string; server: number; index: number }[] {
  const out: { entry: string; server: number; index: number }[] = [];
  (gw.spec.servers ?? []).forEach((s, i) => {
    (s?.hosts ?? []).forEach((h, j) => {
      out.push({ entry: h, server: i, index: j });
    });
  });
  return out;
}

export function gatewayKey(gw: Gateway): string {
  return `${gw.namespace}/${gw.name}`;
}
