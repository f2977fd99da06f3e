// The certificate a terminating Gateway server presents, when its credentialName
// Secret is among the inputs: unusable (no keys, expired: the server has nothing
// to present), not covering the SNI (a verifying client stops, curl exit 60), or,
// for MUTUAL, without the CA to check clients. The CA is where istiod looks for it
// (pilot/pkg/credentials/kube GetCaCert): a Secret <name>-cacert when there is one
// (its cacert or ca.crt; no fallback when it has neither), else ca.crt or cacert in
// the credential itself.
// A Secret that is not among the inputs is assumed valid (offline labs name it only),
// unless a cluster answered 404 for it (read by name: then the server has no certificate);
// a cluster Secret listed by name only is not judged, and one whose data the account
// may not read is not judged either, which the check says (`unchecked`).
import {
  credentialCertificate,
  credentialHasCa,
  credentialProblem,
  hasSecretData,
} from '../analysis/rules/networking/gateway-credential.ts';
import { listenerCertificateRefused } from '../config/k8s-gateway.ts';
import type { Resource } from '../config/resource.ts';
import type { Snapshot } from '../config/snapshot.ts';
import type { GatewayServerMatch } from './types.ts';

export interface CredentialCheck {
  /** why the TLS handshake fails for the SNI at this server */
  failure?: string;
  /** what could not be checked (a Secret the account may not read) */
  unchecked?: string;
}

/** Judged from its data: a file's Secret always, a cluster Secret only when its data was read. */
function judged(secret: Resource): boolean {
  return !secret.origin.cluster || hasSecretData(secret);
}

function unreadNote(secret: Resource, what: string): string {
  return `Secret ${secret.namespace}/${secret.name} could not be read (get forbidden): ${what} not checked`;
}

/** The handshake at this server for `sni`: why it fails, or what could not be checked. */
export function credentialCheck(
  snapshot: Snapshot,
  namespace: string,
  server: GatewayServerMatch,
  sni: string,
): CredentialCheck {
  // a Gateway API listener whose Secret is in another namespace, with no ReferenceGrant
  const refused = listenerCertificateRefused(snapshot, server.gateway);
  if (refused)
    return {
      failure: `${refused}: RefNotPermitted, so listener ${server.gateway} has no certificate to present: the TLS handshake fails, no HTTP status`,
    };
  const name = server.credentialName;
  if (!name) return {};
  const secret = snapshot.secret(namespace, name);
  if (!secret) {
    if (!snapshot.secretNotFound(namespace, name)) return {};
    return {
      failure: `Secret ${namespace}/${name} (credentialName of Gateway ${server.gateway}) does not exist, so the server has no certificate to present: the TLS handshake fails, no HTTP status`,
    };
  }
  if (secret.origin.unread) return { unchecked: unreadNote(secret, 'its certificate, hosts and CA were') };
  if (!judged(secret)) return {};
  const where = `Secret ${namespace}/${name} (credentialName of Gateway ${server.gateway})`;
  const problem = credentialProblem(secret);
  if (problem)
    return {
      failure: `${where}: ${problem}, so the server has no certificate to present: the TLS handshake fails, no HTTP status`,
    };
  const cert = credentialCertificate(secret);
  if (cert && !cert.checkHost(sni)) {
    const names = cert.subjectAltName ?? cert.subject.replace(/\n/g, ', ');
    return {
      failure: `the certificate in ${where} is for ${names}, not ${sni}: a client that verifies the server stops (curl exit 60, "no alternative certificate subject name matches"), no HTTP status`,
    };
  }
  if ((server.tlsMode ?? '').toUpperCase() !== 'MUTUAL') return {};
  const separate = snapshot.secret(namespace, `${name}-cacert`);
  if (separate) {
    if (separate.origin.unread)
      return { unchecked: unreadNote(separate, 'the CA partners are checked against was') };
    if (judged(separate) && !credentialHasCa(separate))
      return {
        failure: `tls.mode MUTUAL takes the CA certificate from Secret ${namespace}/${name}-cacert, which has neither cacert nor ca.crt (the gateway does not fall back to ${name}): the TLS handshake fails`,
      };
    return {};
  }
  if (!credentialHasCa(secret))
    return {
      failure: `tls.mode MUTUAL needs a CA certificate to check clients, but ${where} has no ca.crt and there is no Secret ${name}-cacert: the TLS handshake fails`,
    };
  return {};
}
