// The certificate a terminating Gateway server presents, when its credentialName
// Secret is among the inputs: unusable (no keys, expired: the server has nothing
// to present), not covering the SNI (a verifying client stops, curl exit 60), or,
// for MUTUAL, without the CA to check clients (ca.crt in it, or <name>-cacert).
// A Secret that is not among the inputs is assumed valid (offline labs name it only).
import {
  credentialCertificate,
  credentialHasCa,
  credentialProblem,
} from '../analysis/rules/networking/gateway-credential.ts';
import type { Snapshot } from '../config/snapshot.ts';
import type { GatewayServerMatch } from './types.ts';

/** Why the TLS handshake fails for `sni` at this server, or undefined. */
export function credentialFailure(
  snapshot: Snapshot,
  namespace: string,
  server: GatewayServerMatch,
  sni: string,
): string | undefined {
  const name = server.credentialName;
  if (!name) return undefined;
  const secret = snapshot.secret(namespace, name);
  if (!secret || secret.origin.cluster) return undefined;
  const where = `Secret ${namespace}/${name} (credentialName of Gateway ${server.gateway})`;
  const problem = credentialProblem(secret);
  if (problem)
    return `${where}: ${problem}, so the server has no certificate to present: the TLS handshake fails, no HTTP status`;
  const cert = credentialCertificate(secret);
  if (cert && !cert.checkHost(sni)) {
    const names = cert.subjectAltName ?? cert.subject.replace(/\n/g, ', ');
    return `the certificate in ${where} is for ${names}, not ${sni}: a client that verifies the server stops (curl exit 60, "no alternative certificate subject name matches"), no HTTP status`;
  }
  const mode = (server.tlsMode ?? '').toUpperCase();
  if (mode === 'MUTUAL' && !credentialHasCa(secret) && !snapshot.secret(namespace, `${name}-cacert`))
    return `tls.mode MUTUAL needs a CA certificate to check clients, but ${where} has no ca.crt and there is no Secret ${name}-cacert: the TLS handshake fails`;
  return undefined;
}
