// The data of the Secrets Gateways name in tls.credentialName, read for live grading:
// one targeted GET per Secret (never a LIST of Secret data), in the namespace of the
// gateway pods the Gateway selects, as istiod reads it. For a MUTUAL server also
// <name>-cacert, which istiod prefers for the CA (pilot/pkg/credentials/kube GetCaCert),
// when the metadata list shows it exists or could not tell.
//
// Key material never leaves this module: the values of every key but the certificates
// (tls.crt, cert, ca.crt, cacert and their CRLs) are replaced by a placeholder that only
// says the key is set, so the checks can tell "has a key" from "empty" and nothing can
// print or keep a private key. A GET the account may not make (RBAC) leaves the Secret
// unread: it is marked so (origin.unread), and the checks say what they could not check.

import type { Resource } from '../config/resource.ts';
import { labelsMatch } from '../config/snapshot.ts';
import type { Denied } from './errors.ts';
import type { KubeHttp } from './http.ts';
import { denial, isStatus } from './istio-discovery.ts';
import { toResource } from './to-resource.ts';

/** Keys whose values are public certificates (kept as read); every other key is redacted. */
const CERTIFICATE_KEYS: ReadonlySet<string> = new Set([
  'tls.crt',
  'cert',
  'ca.crt',
  'cacert',
  'ca.crl',
  'tls.crl',
  'crl',
]);
/** base64 of "(redacted)": a set key whose value the trainer did not keep */
export const REDACTED = Buffer.from('(redacted)').toString('base64');

/** Modes whose server terminates TLS with the credential (PASSTHROUGH and ISTIO_MUTUAL do not read it). */
const TERMINATING = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL']);

export interface CredentialRead {
  namespace: string;
  name: string;
  outcome: 'read' | 'not-found' | 'forbidden';
  denied?: Denied;
}

interface Wanted {
  namespace: string;
  name: string;
  /** a MUTUAL server names it: its -cacert Secret may hold the CA */
  mutual: boolean;
}

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The credential Secrets the Gateways among `resources` name, per gateway-pod namespace. */
export function credentialsNamed(resources: readonly Resource[]): Wanted[] {
  const pods = resources.filter((r) => r.kind === 'Pod');
  const wanted = new Map<string, Wanted>();
  for (const gw of resources) {
    if (gw.kind !== 'Gateway') continue;
    const selector = asRecord(gw.spec.selector) as Record<string, string>;
    const namespaces = new Set(pods.filter((p) => labelsMatch(selector, p.labels)).map((p) => p.namespace));
    // no gateway pod seen: where the analysis looks too (gateway-workload.ts)
    if (namespaces.size === 0) namespaces.add(gw.namespace);
    const servers = Array.isArray(gw.spec.servers) ? gw.spec.servers : [];
    for (const server of servers) {
      const tls = asRecord(asRecord(server).tls);
      const mode = String(tls.mode ?? 'SIMPLE').toUpperCase();
      if (!TERMINATING.has(mode)) continue;
      const names = [tls.credentialName, ...(Array.isArray(tls.credentialNames) ? tls.credentialNames : [])];
      for (const name of names) {
        if (typeof name !== 'string' || !name) continue;
        for (const namespace of namespaces) {
          const key = `${namespace}/${name}`;
          const prev = wanted.get(key);
          wanted.set(key, { namespace, name, mutual: (prev?.mutual ?? false) || mode !== 'SIMPLE' });
        }
      }
    }
  }
  return [...wanted.values()];
}

/** A Secret as read, its non-certificate values replaced by REDACTED (or '' when empty). */
function redacted(secret: unknown): unknown {
  const obj = asRecord(secret);
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(obj.data))) {
    const value = typeof v === 'string' ? v : '';
    data[k] = CERTIFICATE_KEYS.has(k) || value === '' ? value : REDACTED;
  }
  return { metadata: obj.metadata, type: obj.type, data };
}

/**
 * Reads the data of the credential Secrets the Gateways name into `resources` (replacing
 * their metadata-only entries), and returns what happened to each. `listed(ns)` says
 * whether the Secret LIST covered that namespace (then a -cacert Secret not in it does not
 * exist and is not asked for).
 */
export async function readCredentialSecrets(
  http: KubeHttp,
  resources: Resource[],
  context: string,
  listed: (namespace: string) => boolean,
): Promise<CredentialRead[]> {
  const known = (ns: string, name: string) =>
    resources.some((r) => r.kind === 'Secret' && r.namespace === ns && r.name === name);
  const targets: { namespace: string; name: string }[] = [];
  for (const w of credentialsNamed(resources)) {
    targets.push(w);
    const cacert = `${w.name}-cacert`;
    if (w.mutual && (!listed(w.namespace) || known(w.namespace, cacert)))
      targets.push({ namespace: w.namespace, name: cacert });
  }
  const reads = await Promise.all(
    targets.map(async ({ namespace, name }): Promise<CredentialRead & { item?: unknown }> => {
      const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`;
      try {
        return { namespace, name, outcome: 'read', item: redacted(await http.get<unknown>(path)) };
      } catch (e) {
        if (isStatus(e, 404)) return { namespace, name, outcome: 'not-found' };
        if (isStatus(e, 403))
          return {
            namespace,
            name,
            outcome: 'forbidden',
            denied: denial(e, 'get', `secrets/${name}`, namespace),
          };
        throw e;
      }
    }),
  );
  for (const read of reads) {
    const at = resources.findIndex(
      (r) => r.kind === 'Secret' && r.namespace === read.namespace && r.name === read.name,
    );
    if (read.outcome === 'read') {
      const r = toResource(read.item, 'v1', 'Secret', context, { keepData: true });
      if (!r) continue;
      if (at >= 0) resources[at] = r;
      else resources.push(r);
    } else if (read.outcome === 'forbidden') {
      // unknown whether it exists: assumed to (nothing reported missing), marked unread
      const r =
        at >= 0
          ? (resources[at] as Resource)
          : toResource({ metadata: { name: read.name, namespace: read.namespace } }, 'v1', 'Secret', context);
      if (!r) continue;
      const marked = { ...r, origin: { ...r.origin, unread: 'forbidden' as const } };
      if (at >= 0) resources[at] = marked;
      else resources.push(marked);
    }
  }
  return reads.map(({ item: _item, ...read }) => read);
}
