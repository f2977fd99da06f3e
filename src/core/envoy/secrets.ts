// SDS as a proxy holds it: the workload certificate and root CA every proxy
// gets from istiod, plus a gateway's credentialName certificates (WARMING
// when the Secret is missing: Envoy waits for it and the server does not serve;
// missing means absent while other Secrets are among the inputs, or on the cluster).
import type { ProxyTarget } from './proxy.ts';
import type { EnvoyView } from './view.ts';

export interface SecretEntry {
  name: string;
  type: 'Cert Chain' | 'CA';
  status: 'ACTIVE' | 'WARMING';
  valid: boolean;
  serial: string;
  notAfter: string;
  notBefore: string;
}

/** A stable pseudo serial number per name (the offline model has no certificates). */
function serial(name: string): string {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return `${h.toString(16).padStart(8, '0')}${(h ^ 0x5bd1e995).toString(16).padStart(8, '0')}`;
}

const NOT_BEFORE = '2026-01-01T00:00:00Z';
const NOT_AFTER = '2026-01-02T00:00:00Z';
const ROOT_NOT_AFTER = '2036-01-01T00:00:00Z';

export function secrets(view: EnvoyView, proxy: ProxyTarget): SecretEntry[] {
  const out: SecretEntry[] = [
    {
      name: 'default',
      type: 'Cert Chain',
      status: 'ACTIVE',
      valid: true,
      serial: serial(proxy.pod),
      notAfter: NOT_AFTER,
      notBefore: NOT_BEFORE,
    },
    {
      name: 'ROOTCA',
      type: 'CA',
      status: 'ACTIVE',
      valid: true,
      serial: serial('istio-ca-root'),
      notAfter: ROOT_NOT_AFTER,
      notBefore: NOT_BEFORE,
    },
  ];
  if (!proxy.gateway) return out;
  const seen = new Set<string>();
  // With no Secret among the inputs (a lab names credentials, kubectl creates them) the
  // Secrets are not modelled: assume them present, as simulate and analyze do.
  const secretsKnown = view.snapshot.list('Secret').length > 0;
  for (const ref of proxy.caller.contexts) {
    const gw = view.snapshot.gateway(ref);
    for (const srv of gw?.spec.servers ?? []) {
      const cred = srv.tls?.credentialName;
      if (!cred || seen.has(cred)) continue;
      seen.add(cred);
      // credentialName Secrets are read in the gateway pod's namespace
      const exists = !secretsKnown || view.snapshot.secretExists(proxy.namespace, cred);
      out.push({
        name: `kubernetes://${cred}`,
        type: 'Cert Chain',
        status: exists ? 'ACTIVE' : 'WARMING',
        valid: exists,
        serial: exists ? serial(cred) : '',
        notAfter: exists ? NOT_AFTER : '',
        notBefore: exists ? NOT_BEFORE : '',
      });
    }
  }
  return out;
}
