// The external authorizer a workload's CUSTOM AuthorizationPolicies name, resolved
// as istiod 1.26 does (pilot/pkg/security/authz/builder/extauthz.go getExtAuthz and
// pilot/pkg/extensionproviders LookupCluster): one provider for all of them, defined
// among meshConfig.extensionProviders as envoyExtAuthzHttp/Grpc, whose service is in
// the registry. An error here makes istiod turn the CUSTOM rules into DENY rules.
import { DEFAULT_SOURCE, type ExtAuthzProvider, type OtherProvider } from './mesh-security.ts';
import { closest } from './schemas/index.ts';
import type { AuthorizationPolicy, ServiceInfo, Snapshot } from './snapshot.ts';

export type ResolvedProvider =
  | { provider: ExtAuthzProvider; svc?: ServiceInfo; host: string }
  | { error: string };

/** The provider the workload's CUSTOM policies name, as istiod resolves it (getExtAuthz). */
export function resolveProvider(
  snapshot: Snapshot,
  custom: readonly AuthorizationPolicy[],
): ResolvedProvider {
  const mesh = snapshot.meshSecurity;
  const names = custom.map((p) => p.spec.provider?.name ?? '');
  const distinct = [...new Set(names)];
  if (distinct.length > 1)
    return {
      error: `only 1 provider can be used per workload, found multiple providers: ${distinct.join(', ')}`,
    };
  const wanted = distinct[0] ?? '';
  const p = mesh.providers.get(wanted);
  if (!p)
    return {
      error: `provider "${wanted}" is not among meshConfig.extensionProviders (${nearMiss(wanted, mesh.providers)}known: ${[...mesh.providers.keys()].join(', ')}, from ${mesh.providersSource === DEFAULT_SOURCE ? DEFAULT_SOURCE : `${mesh.providersSource} and Istio's defaults`})`,
    };
  if (p.kind === 'other')
    return {
      error: p.error
        ? `provider "${wanted}" has errors: ${p.error}`
        : `provider "${wanted}" is of type ${p.type}, not envoyExtAuthzHttp or envoyExtAuthzGrpc`,
    };
  const found = lookupService(snapshot, p.service);
  if ('error' in found) return { error: `provider "${wanted}": ${found.error}:${p.port}` };
  return { provider: p, host: found.host, ...(found.svc ? { svc: found.svc } : {}) };
}

/**
 * `did you mean "x"? ` for a name close to a defined provider: an external authorizer
 * first (a CUSTOM policy needs one), else any; names are matched exactly, case included.
 */
function nearMiss(wanted: string, providers: Map<string, ExtAuthzProvider | OtherProvider>): string {
  if (!wanted) return '';
  const names = [...providers.values()];
  const near =
    closest(
      wanted,
      names.filter((p) => p.kind !== 'other').map((p) => p.name),
    ) ?? closest(wanted, [...providers.keys()]);
  if (!near) return '';
  const caseOnly = near.toLowerCase() === wanted.toLowerCase();
  return `did you mean "${near}"?${caseOnly ? ' Names are matched case-sensitively.' : ''} `;
}

/** extensionproviders.LookupCluster: "ns/host" in that namespace, or a host registered in exactly one. */
function lookupService(
  snapshot: Snapshot,
  service: string,
): { host: string; svc?: ServiceInfo } | { error: string } {
  const slash = service.split('/');
  const [ns, host] = slash.length === 2 ? [slash[0]!, slash[1]!] : [undefined, service];
  const namespaces = new Map<string, ServiceInfo | undefined>();
  const svc = snapshot.service(host);
  if (svc) namespaces.set(svc.namespace, svc);
  for (const se of snapshot.serviceEntriesFor(host))
    if (se.spec.hosts?.includes(host) && !namespaces.has(se.namespace))
      namespaces.set(se.namespace, undefined);
  if (ns !== undefined) {
    if (namespaces.has(ns)) return { host, ...(namespaces.get(ns) ? { svc: namespaces.get(ns)! } : {}) };
  } else if (namespaces.size === 1) {
    const only = [...namespaces.values()][0];
    return { host, ...(only ? { svc: only } : {}) };
  } else if (namespaces.size > 1)
    return {
      error: `found ${service} in multiple namespaces ${[...namespaces.keys()].join(', ')}, specify the namespace explicitly in the format of <Namespace>/<Hostname>`,
    };
  return { error: `could not find service ${service}` };
}
