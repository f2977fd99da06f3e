// Which Istio kinds the API server serves, and at which version: API discovery of
// networking.istio.io (required: without it there is nothing to analyse), security.istio.io
// and telemetry.istio.io (optional: a cluster without them is analysed, their kinds noted
// as not served). Shared by the live source, the watch and the cohort reader.
import { trainerCommand } from '../command-name.ts';
import {
  type IstioKind,
  type Kind,
  NETWORKING_KINDS,
  PROXY_CONFIG_KINDS,
  SECURITY_KINDS,
  TELEMETRY_KINDS,
} from '../config/resource.ts';
import { ClusterError, type Denied, ForbiddenError } from './errors.ts';
import { ApiStatusError, type KubeHttp } from './http.ts';
import type { ResolvedKubeconfig } from './kubeconfig.ts';

export const ISTIO_GROUP = 'networking.istio.io';
export const SECURITY_GROUP = 'security.istio.io';
export const TELEMETRY_GROUP = 'telemetry.istio.io';

type IstioGroups = readonly { group: string; kinds: readonly IstioKind[]; required: boolean }[];
/**
 * The Istio API groups read, each with its kinds. Only networking is required. ProxyConfig
 * is networking.istio.io too, but served at v1beta1 only: finding it costs one more GET.
 */
const ISTIO_GROUPS: IstioGroups = [
  { group: ISTIO_GROUP, kinds: [...NETWORKING_KINDS, ...PROXY_CONFIG_KINDS], required: true },
  { group: SECURITY_GROUP, kinds: SECURITY_KINDS, required: false },
  { group: TELEMETRY_GROUP, kinds: TELEMETRY_KINDS, required: false },
];

/** The API group of an Istio kind. */
export function istioGroupOf(kind: IstioKind): string {
  if ((SECURITY_KINDS as readonly string[]).includes(kind)) return SECURITY_GROUP;
  if ((TELEMETRY_KINDS as readonly string[]).includes(kind)) return TELEMETRY_GROUP;
  return ISTIO_GROUP;
}
export interface KindSpec {
  kind: Kind;
  group: string;
  version: string;
  plural: string;
  accept?: string;
}

/** Plural resource names of the Istio kinds, for notes about kinds the server does not serve. */
export const PLURALS: Record<IstioKind, string> = {
  VirtualService: 'virtualservices',
  DestinationRule: 'destinationrules',
  Gateway: 'gateways',
  ServiceEntry: 'serviceentries',
  Sidecar: 'sidecars',
  PeerAuthentication: 'peerauthentications',
  AuthorizationPolicy: 'authorizationpolicies',
  RequestAuthentication: 'requestauthentications',
  ProxyConfig: 'proxyconfigs',
  Telemetry: 'telemetries',
};

function userOf(e: ApiStatusError): string | undefined {
  return /User "([^"]+)"/.exec(e.body?.message ?? '')?.[1];
}

export function denial(e: ApiStatusError, verb: string, resource: string, namespace?: string): Denied {
  const user = userOf(e);
  return { verb, resource, ...(namespace ? { namespace } : {}), ...(user ? { user } : {}) };
}

export function isStatus(e: unknown, status: number): e is ApiStatusError {
  return e instanceof ApiStatusError && e.status === status;
}

function crdsMissing(target: ResolvedKubeconfig, detail: string): ClusterError {
  return new ClusterError(
    'crds-missing',
    `Istio's CRDs are not installed in context ${target.context}: ${detail}; install Istio (istioctl install --set profile=demo -y, or ${trainerCommand()} cluster up) and retry`,
  );
}

interface ApiGroup {
  versions?: { version: string }[];
  preferredVersion?: { version: string };
}
interface ApiResourceList {
  resources?: { name: string; kind: string; verbs?: string[] }[];
}
/** The version each kind of one group is served at (the group's preferred version first). */
async function discoverGroup(
  http: KubeHttp,
  group: string,
  kinds: readonly IstioKind[],
): Promise<Map<IstioKind, KindSpec>> {
  const info = await http.get<ApiGroup>(`/apis/${group}`);
  const versions = (info.versions ?? []).map((v) => v.version);
  const preferred = info.preferredVersion?.version ?? versions[0];
  const order = preferred ? [preferred, ...versions.filter((v) => v !== preferred)] : versions;
  const found = new Map<IstioKind, KindSpec>();
  for (const version of order) {
    if (found.size === kinds.length) break;
    let list: ApiResourceList;
    try {
      list = await http.get<ApiResourceList>(`/apis/${group}/${version}`);
    } catch (e) {
      if (isStatus(e, 404)) continue;
      throw e;
    }
    for (const r of list.resources ?? []) {
      if (
        r.name.includes('/') ||
        !(kinds as readonly string[]).includes(r.kind) ||
        found.has(r.kind as IstioKind)
      )
        continue;
      if (r.verbs && !r.verbs.includes('list')) continue;
      found.set(r.kind as IstioKind, { kind: r.kind as IstioKind, group, version, plural: r.name });
    }
  }
  return found;
}

export interface IstioDiscovery {
  /** the served kinds */
  specs: Map<IstioKind, KindSpec>;
  /** optional groups (security, telemetry.istio.io) whose discovery was forbidden: their kinds are not read */
  deniedGroups: Map<string, Denied>;
}

/**
 * Finds the version each Istio kind is served at. networking.istio.io must be served
 * (else there is nothing to analyse: crds-missing); a cluster without security.istio.io
 * still works, its kinds reported as not served by the caller.
 */
export async function discoverIstioGroups(
  http: KubeHttp,
  target: ResolvedKubeconfig,
  groups: IstioGroups = ISTIO_GROUPS,
): Promise<IstioDiscovery> {
  const specs = new Map<IstioKind, KindSpec>();
  const deniedGroups = new Map<string, Denied>();
  for (const { group, kinds, required } of groups) {
    let found: Map<IstioKind, KindSpec>;
    try {
      found = await discoverGroup(http, group, kinds);
    } catch (e) {
      if (isStatus(e, 404)) {
        if (required)
          throw crdsMissing(target, `the API server does not serve ${group} (${kinds.join(', ')})`);
        continue;
      }
      if (isStatus(e, 403)) {
        const denied = denial(e, 'get', `API discovery of ${group}`);
        if (required) throw new ForbiddenError(denied);
        deniedGroups.set(group, denied);
        continue;
      }
      throw e;
    }
    if (required && found.size === 0)
      throw crdsMissing(target, `${group} serves none of ${kinds.join(', ')}`);
    for (const [k, v] of found) specs.set(k, v);
  }
  return { specs, deniedGroups };
}

/**
 * The networking.istio.io kinds served at v1 at their served versions (what the cohort
 * reader lists; without ProxyConfig, which would cost a v1beta1 discovery GET).
 */
export async function discoverIstio(
  http: KubeHttp,
  target: ResolvedKubeconfig,
): Promise<Map<IstioKind, KindSpec>> {
  return (
    await discoverIstioGroups(http, target, [{ group: ISTIO_GROUP, kinds: NETWORKING_KINDS, required: true }])
  ).specs;
}
