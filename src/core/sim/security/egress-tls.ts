// A hop to a server outside the mesh: what it expects (TLS on its port 443 or on
// a ServiceEntry port declared HTTPS/TLS, plaintext elsewhere) against what the
// caller sends (TLS from the application for https://, TLS originated by its
// proxy for a DestinationRule tls SIMPLE/MUTUAL, plaintext otherwise). This is
// egress TLS origination: http://host on port 80, mapped to the server's 443
// (ServiceEntry targetPort) and encrypted by the sidecar.
import type { Snapshot } from '../../config/snapshot.ts';
import type { Hop, HopVerdict } from '../layers.ts';
import { TLS_PROTOCOLS } from '../registry.ts';
import { destinationTls } from './client-tls.ts';

/** The port the external server listens on for `host:port`, and whether it speaks TLS there. */
export function externalServerPort(
  snapshot: Snapshot,
  host: string,
  port: number,
  from?: string,
): { port: number; tls: boolean; why: string } {
  for (const se of snapshot.serviceEntriesFor(host, from)) {
    const p = (se.spec.ports ?? []).find((x) => x.number === port);
    if (!p) continue;
    const target = p.targetPort ?? p.number ?? port;
    const declared = TLS_PROTOCOLS.has((p.protocol ?? '').toUpperCase());
    const tls = target === 443 || declared;
    const mapped = p.targetPort !== undefined && p.targetPort !== port ? ` (targetPort ${p.targetPort})` : '';
    return {
      port: target,
      tls,
      why: `ServiceEntry ${se.namespace}/${se.name} port ${port}${mapped}${tls ? (declared ? `, protocol ${p.protocol}` : ', the HTTPS port') : ''}`,
    };
  }
  return { port, tls: port === 443, why: port === 443 ? 'port 443' : `port ${port}` };
}

export function externalHop(snapshot: Snapshot, h: Hop): HopVerdict | null {
  const { caller, cluster, req } = h;
  if (caller.sidecar === false) return null;
  const host = cluster.host;
  const server = externalServerPort(snapshot, host, cluster.port, caller.namespace);
  const set = destinationTls(snapshot, host, cluster.subset, cluster.port);
  const mode = set?.tls.mode?.toUpperCase();
  const dr = set ? `DestinationRule ${set.dr.namespace}/${set.dr.name} tls.mode ${mode}` : '';
  const where = `${host}:${server.port}`;
  if (req.tls && (mode === 'SIMPLE' || mode === 'MUTUAL'))
    return {
      kind: 'reset',
      connect: true,
      reason: `the application already speaks TLS to ${where} (https://) and ${dr} wraps it in a second TLS session: the server cannot read it and the handshake fails; set the tls on the plaintext port only (portLevelSettings)`,
    };
  if (mode === 'ISTIO_MUTUAL' && !req.tls)
    return {
      kind: 'reset',
      connect: true,
      reason: `${dr} sends Istio mTLS to ${where}, outside the mesh, which has no Istio certificate: the TLS handshake fails (503 UF)`,
    };
  const originates = !req.tls && (mode === 'SIMPLE' || mode === 'MUTUAL');
  const sendsTls = req.tls || originates;
  if (server.tls && !sendsTls)
    return {
      kind: 'reset',
      connect: false,
      reason: `${where} expects TLS (${server.why}) but ${caller.name} sends plaintext HTTP${mode === 'DISABLE' ? ` (${dr})` : ''}: the server closes the connection (503 UC); originate TLS with a DestinationRule tls.mode SIMPLE for this port, or call https://`,
    };
  if (!server.tls && originates)
    return {
      kind: 'reset',
      connect: true,
      reason: `${dr} originates TLS to ${where}, which speaks plaintext (${server.why}): the TLS handshake fails (503 UF)`,
    };
  if (originates && set) {
    const verify = set.tls.caCertificates
      ? 'the server certificate is verified against caCertificates'
      : set.tls.credentialName
        ? `the server certificate is verified with credentialName ${set.tls.credentialName}`
        : set.tls.insecureSkipVerify
          ? 'the server certificate is not verified (insecureSkipVerify)'
          : 'the server certificate is not verified: no caCertificates (IST0128/IST0129)';
    const sni = set.tls.sni ? `, SNI ${set.tls.sni}` : '';
    h.note?.(
      `TLS originated by ${caller.name}'s proxy to ${where} (${dr}${set.portLevel ? ` on port ${cluster.port}` : ''}${sni}): ${verify}`,
    );
  }
  return null;
}
