// Is a Gateway's credentialName Secret usable? As istiod reads it
// (pilot/pkg/credentials/kube ExtractCertInfo, then xds.ValidateCertificate):
// keys `cert`+`key` or `tls.crt`+`tls.key`, non-empty; the certificate parses and
// is valid now. Checked with node's X509Certificate.
import { X509Certificate } from 'node:crypto';
import type { Resource } from '../../../config/resource.ts';

function secretData(secret: Resource): Map<string, string> | undefined {
  const raw = secret.raw;
  const data = raw.data;
  const stringData = raw.stringData;
  if (data === undefined && stringData === undefined) return undefined;
  const out = new Map<string, string>();
  if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data))
      out.set(k, typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : '');
  }
  if (stringData && typeof stringData === 'object') {
    for (const [k, v] of Object.entries(stringData)) out.set(k, typeof v === 'string' ? v : '');
  }
  return out;
}

/** Does the Secret carry data (a cluster Secret listed by name only does not)? */
export function hasSecretData(secret: Resource): boolean {
  return secretData(secret) !== undefined;
}

/**
 * Why the Secret cannot serve as a gateway certificate, or undefined when it can.
 * A Secret read from a cluster carries no data (the trainer lists Secrets as
 * metadata only): it is not judged, `undefined`.
 */
export function credentialProblem(secret: Resource, now: Date = new Date()): string | undefined {
  const data = secretData(secret);
  if (!data) return secret.origin.cluster ? undefined : 'it has no data';
  const has = (k: string) => (data.get(k) ?? '') !== '';
  let cert: string;
  if (has('cert') && has('key')) cert = data.get('cert')!;
  else if (has('tls.crt') && has('tls.key')) cert = data.get('tls.crt')!;
  else {
    const found = [...data.keys()].sort().join(', ') || 'none';
    return `it has neither the keys tls.crt and tls.key nor cert and key (found: ${found})`;
  }
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(cert)?.[0];
  if (!pem) return 'its certificate is not PEM (no BEGIN CERTIFICATE block)';
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(pem);
  } catch {
    return 'its certificate does not parse';
  }
  if (now > x509.validToDate) return `its certificate expired on ${x509.validToDate.toISOString()}`;
  if (now < x509.validFromDate)
    return `its certificate is not valid before ${x509.validFromDate.toISOString()}`;
  return undefined;
}

/** The certificate a usable credential Secret holds (tls.crt or cert), parsed; undefined otherwise. */
export function credentialCertificate(secret: Resource): X509Certificate | undefined {
  const data = secretData(secret);
  const cert = data?.get('tls.crt') || data?.get('cert');
  const pem = cert
    ? /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(cert)?.[0]
    : undefined;
  if (!pem) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** Does the credential Secret carry a CA certificate for client verification (ca.crt or cacert)? */
export function credentialHasCa(secret: Resource): boolean {
  const data = secretData(secret);
  return !!(data?.get('ca.crt') || data?.get('cacert'));
}
