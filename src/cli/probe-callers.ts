// Which security checks live probes can measure. Probes send from the fortio client
// (its own sidecar, its own identity, in the lab namespace) and count what that
// sidecar saw (istio_requests_total: 200, 403 RBAC, 401 JWT, 503 with flags). So:
//   - a caller without a sidecar (the plaintext legacy/curl) cannot be stood in for:
//     fortio's requests are mTLS, and nothing counts the legacy client's requests;
//   - a caller whose identity an AuthorizationPolicy on the destination looks at
//     (principals, namespaces, service accounts, IP blocks, source.* conditions)
//     cannot either: fortio is not that workload;
//   - a destination in ambient cannot either: fortio's sidecar bypasses the waypoint;
//   - a caller whose proxy another Sidecar resource configures (its egress hosts, its
//     outbound policy) than fortio's cannot either: fortio's proxy knows other hosts;
//   - anything else (JWTs in headers, paths, methods, mTLS between sidecars) is
//     measured from fortio, which is treated as the caller would be.
// What cannot be measured is answered by the simulator on the cluster's
// configuration, and the criterion says so.

import { FORTIO } from '../core/cluster/manifests.ts';
import { LEGACY_NAMESPACE } from '../core/config/bookinfo.ts';
import { CLUSTER_DOMAIN, toFqdn } from '../core/config/hosts.ts';
import { SecurityPolicies } from '../core/config/security-policies.ts';
import { sidecarFor } from '../core/config/sidecar-scope.ts';
import type { AuthorizationPolicy, Snapshot } from '../core/config/snapshot.ts';
import type { SimulateOptions } from '../core/sim/index.ts';

/** Source fields that name the caller's identity or address (requestPrincipals come from the JWT fortio sends). */
const IDENTITY_FIELDS = [
  'principals',
  'notPrincipals',
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
  'ipBlocks',
  'notIpBlocks',
  'remoteIpBlocks',
  'notRemoteIpBlocks',
] as const;

/** `when` keys about the caller's identity or address. */
const IDENTITY_KEYS = /^(source\.(principal|namespace|ip|serviceAccount)|remote\.ip|connection\.)/;

/** The field of `policy` that looks at the caller's identity, if any (`principals`, `when source.namespace`). */
export function identityField(policy: AuthorizationPolicy): string | undefined {
  for (const rule of policy.spec.rules ?? []) {
    for (const f of rule?.from ?? []) {
      const source = f?.source ?? {};
      const field = IDENTITY_FIELDS.find((k) => (source[k]?.length ?? 0) > 0);
      if (field) return field;
    }
    const when = (rule?.when ?? []).find((c) => IDENTITY_KEYS.test(c?.key ?? ''));
    if (when) return `when ${when.key}`;
  }
  return undefined;
}

function hostOf(to: string): string {
  return /^https?:\/\//i.test(to) ? new URL(to).hostname : (to.split(':')[0] ?? to);
}

/** The caller's workload, when `from` names one in the snapshot (ns/name, name, a Pod of a Deployment). */
function callerWorkload(snapshot: Snapshot, from: string, namespace: string) {
  const [ns, name] = from.includes('/') ? from.split('/', 2) : [undefined, from];
  if (!name || from.includes('=')) return undefined;
  const all = snapshot.workloadsMatching({});
  const inNs = (w: { namespace: string }) =>
    ns === undefined ? w.namespace === namespace : w.namespace === ns;
  return (
    all.find((w) => inNs(w) && w.name === name) ??
    all.find((w) => inNs(w) && w.name.startsWith(`${name}-`)) ??
    (ns === undefined ? all.find((w) => w.name === name) : undefined)
  );
}

/**
 * Why a live probe cannot measure what this caller gets from the security layer, or
 * undefined when fortio can stand in for it.
 */
export function securityUnprobeable(
  snapshot: Snapshot,
  o: SimulateOptions,
  namespace: string,
): string | undefined {
  if (o.from) {
    const [ns] = o.from.includes('/') ? o.from.split('/', 1) : [undefined];
    const w = callerWorkload(snapshot, o.from, namespace);
    if (ns === LEGACY_NAMESPACE || (w && !w.sidecar))
      return `${o.from} has no sidecar: its plaintext requests cannot be sent from the fortio client (whose sidecar speaks mTLS), and no istio_requests_total counts them`;
  }
  const host = hostOf(o.to);
  // `tcp-echo.default` names a Service by name and namespace, as the simulator reads it
  const svc =
    snapshot.service(toFqdn(host, namespace)) ??
    (host.split('.').length === 2 ? snapshot.service(`${host}.svc.${CLUSTER_DOMAIN}`) : undefined);
  if (!svc) return undefined;
  // Istio 1.26: a sidecar client routes by itself and sends to ambient pods directly
  // (HBONE), never through their waypoint, so fortio measures neither the waypoint's
  // routes nor its L7 policies, nor what ztunnel does for an ambient caller
  if (snapshot.endpoints(svc).some((w) => w.dataplane === 'ambient'))
    return `the pods of ${svc.name} are in ambient: the fortio client has a sidecar, which routes by itself and sends to them directly, not through a waypoint, so it cannot stand in for an ambient caller`;
  const policies = new SecurityPolicies(snapshot);
  for (const w of snapshot.endpoints(svc)) {
    const p = policies.forWorkload(w.namespace, w.labels);
    for (const policy of [...p.custom, ...p.deny, ...p.allow]) {
      const field = identityField(policy);
      if (field)
        return `AuthorizationPolicy ${policy.namespace}/${policy.name} tells callers of ${svc.name} apart by ${field}, and live probes send as ${FORTIO.deployment} (service account ${FORTIO.serviceAccount}), not as ${o.from ?? "the check's client"}`;
    }
  }
  return undefined;
}

/**
 * Why fortio's proxy cannot stand in for the caller's: a different Sidecar resource (or
 * one against none) configures them, so they import other hosts or block unknown ones
 * differently. Undefined: the same Sidecar, or none, applies to both.
 */
export function sidecarUnprobeable(
  snapshot: Snapshot,
  o: SimulateOptions,
  namespace: string,
): string | undefined {
  if (!o.from) return undefined;
  const w = callerWorkload(snapshot, o.from, namespace);
  if (!w?.sidecar) return undefined;
  const caller = sidecarFor(snapshot, w.namespace, w.labels);
  const fortio = sidecarFor(snapshot, namespace, { app: FORTIO.app });
  if (caller === fortio) return undefined;
  const name = (s: typeof caller) => (s ? `Sidecar ${s.namespace}/${s.name}` : 'no Sidecar');
  return `${name(caller)} configures ${o.from}'s proxy and ${name(fortio)} the fortio client's, so live probes from ${FORTIO.deployment} would not see what ${o.from}'s proxy imports or blocks`;
}
