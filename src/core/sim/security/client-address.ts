// The client address a gateway's Envoy trusts (remote.ip, remoteIpBlocks), as Istio
// configures it (use_remote_address: true on gateways, xff_num_trusted_hops from
// gatewayTopology.numTrustedProxies) and Envoy computes it: with N = 0 (the default) the
// connection's peer, whatever X-Forwarded-For says; with N > 0 the Nth address from the
// right of the X-Forwarded-For the request arrived with, or the peer when it lists fewer
// than N. source.ip (ipBlocks) is always the peer. Behind the gateway a sidecar reads the
// last X-Forwarded-For entry, the peer the gateway appended: there remote.ip is the
// gateway's peer (a load balancer in front of it, when one is), not the trusted address.
import { gatewayTrustedProxies } from '../../config/mesh-security.ts';
import type { Snapshot } from '../../config/snapshot.ts';
import { asRecord } from '../../config/snapshot-objects.ts';
import type { Caller } from '../types.ts';

export interface GatewayClient {
  /** remote.ip at the gateway */
  remoteIp: string;
  /** how it was chosen, when X-Forwarded-For or numTrustedProxies had a say; else undefined */
  why?: string;
}

export function gatewayClient(
  snapshot: Snapshot,
  gateway: Caller,
  peer: string,
  headers: Record<string, string>,
): GatewayClient {
  const xff = (headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const n = gatewayTrustedProxies(snapshot.meshSecurity, podAnnotations(snapshot, gateway));
  const by = `numTrustedProxies ${n.value}${n.value > 0 || xff.length > 0 ? `, from ${n.source}` : ''}`;
  if (n.value === 0)
    return xff.length > 0
      ? {
          remoteIp: peer,
          why: `remote.ip ${peer} is the connection's peer: X-Forwarded-For is not trusted (${by})`,
        }
      : { remoteIp: peer };
  if (xff.length < n.value)
    return {
      remoteIp: peer,
      why: `remote.ip ${peer} is the connection's peer: X-Forwarded-For lists ${xff.length} address${xff.length === 1 ? '' : 'es'}, fewer than ${by}`,
    };
  const remoteIp = xff[xff.length - n.value]!;
  return {
    remoteIp,
    why: `remote.ip ${remoteIp} is the ${ordinal(n.value)} X-Forwarded-For address from the right (${by}); source.ip is the peer ${peer}`,
  };
}

/** The gateway pods' annotations: a Pod's own, a Deployment's pod template's. */
function podAnnotations(snapshot: Snapshot, gateway: Caller): Record<string, unknown> | undefined {
  const w = snapshot.workloads(gateway.namespace).find((x) => x.name === gateway.name);
  if (!w) return undefined;
  const raw = w.resource.raw;
  const own = asRecord(asRecord(raw.metadata).annotations);
  const template = asRecord(asRecord(asRecord(asRecord(raw.spec).template).metadata).annotations);
  return w.resource.kind === 'Pod' ? own : template;
}

const ordinal = (n: number) => (n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`);
