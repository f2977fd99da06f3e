// What a caller's proxy sends to an upstream: Istio mTLS (auto mTLS, or a
// DestinationRule ISTIO_MUTUAL), plaintext, or TLS of its own (a DestinationRule
// SIMPLE/MUTUAL: TLS origination). The DestinationRule's tls is looked up as
// Envoy's cluster gets it: the subset's policy over the rule's, port-level
// settings over the policy's own tls.
import type { TrafficPolicy } from '../../config/schemas/index.ts';
import type { DestinationRule, Snapshot } from '../../config/snapshot.ts';
import type { Caller } from '../types.ts';

export type ClientTls = 'mtls' | 'plaintext' | 'tls';

/**
 * What ztunnel sends for an ambient client to a pod with a sidecar: HBONE (mTLS with
 * the client's identity) when the sidecar accepts HBONE, else plaintext (Istio 1.26).
 */
export function ambientToSidecar(hbone: string | undefined): { tls: ClientTls; why: string; hbone?: true } {
  return hbone
    ? {
        tls: 'mtls',
        hbone: true,
        why: `ztunnel sends HBONE (mTLS with the client's identity): the sidecar accepts HBONE, by ${hbone}`,
      }
    : {
        tls: 'plaintext',
        why: 'ztunnel sends plaintext: the sidecar was injected without ISTIO_META_ENABLE_HBONE (the ambient profile sets it), so it has no HBONE listener',
      };
}

/** The DestinationRule tls settings for a host, subset and port, with the rule that sets them. */
export function destinationTls(
  snapshot: Snapshot,
  host: string,
  subset: string | undefined,
  port: number,
): { dr: DestinationRule; tls: NonNullable<TrafficPolicy['tls']>; portLevel: boolean } | undefined {
  for (const dr of snapshot.destinationRulesFor(host)) {
    const policies: (TrafficPolicy | undefined)[] = [
      subset ? dr.spec.subsets?.find((s) => s.name === subset)?.trafficPolicy : undefined,
      dr.spec.trafficPolicy,
    ];
    for (const tp of policies) {
      const pl = tp?.portLevelSettings?.find((s) => s.port?.number === port)?.tls;
      const tls = pl ?? tp?.tls;
      if (tls?.mode) return { dr, tls, portLevel: pl !== undefined };
    }
  }
  return undefined;
}

/** Auto mTLS unless a DestinationRule sets tls (subset over port over the rule's own policy). */
export function clientTls(
  snapshot: Snapshot,
  caller: Caller,
  host: string,
  subset: string | undefined,
  port: number,
  serverSidecar: boolean,
  serverMode: string | undefined,
): { tls: ClientTls; why: string } {
  if (caller.sidecar === false) return { tls: 'plaintext', why: 'a client without a sidecar' };
  const set = destinationTls(snapshot, host, subset, port);
  if (set) {
    const mode = set.tls.mode;
    const why = `DestinationRule ${set.dr.namespace}/${set.dr.name} tls.mode ${mode}`;
    if (mode === 'ISTIO_MUTUAL') return { tls: 'mtls', why };
    if (mode === 'DISABLE') return { tls: 'plaintext', why };
    return { tls: 'tls', why };
  }
  if (serverSidecar && serverMode !== 'DISABLE') return { tls: 'mtls', why: 'auto mTLS' };
  return {
    tls: 'plaintext',
    why: serverSidecar ? 'auto mTLS, mTLS disabled at the server' : 'auto mTLS, no sidecar at the server',
  };
}
