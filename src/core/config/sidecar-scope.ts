// What a workload's proxy imports, as a Sidecar resource scopes it (Istio's
// SidecarScope): which Sidecar applies (one whose workloadSelector matches the pod,
// else the namespace's selector-less one, else the root namespace's selector-less
// one), which Services, ServiceEntries and VirtualServices its egress hosts
// `namespace/dnsName` import, and its outbound traffic policy (the Sidecar's
// overrides the mesh's). One place, read by the simulator, proxy-config and the
// analyzer. Gateways are never scoped by a Sidecar.
import { hostCovers, hostsOverlap, toFqdn } from './hosts.ts';
import { oldestFirst } from './oldest-first.ts';
import { ROOT_NAMESPACE } from './security-policies.ts';
import {
  labelsMatch,
  type OutboundMode,
  type Sidecar,
  type Snapshot,
  type VirtualService,
} from './snapshot.ts';

/** An egress host `namespace/dnsName`, its namespace resolved (`.` -> the proxy's namespace). */
export interface EgressHost {
  /** `*` (every namespace), a namespace name, or `~` (none) */
  namespace: string;
  /** `*`, `*.example.com` or a host name, lowercase */
  host: string;
  /** as written */
  text: string;
}

interface EgressListener {
  /** the listener's port; undefined for the catch-all listener */
  port?: number;
  hosts: EgressHost[];
}

/** Does the Sidecar select particular pods (a workloadSelector with labels)? */
export function hasWorkloadSelector(s: Sidecar): boolean {
  return Object.keys(s.spec.workloadSelector?.labels ?? {}).length > 0;
}

/**
 * The Sidecar that configures a proxy in `namespace` with `labels`: one whose
 * workloadSelector matches, else the namespace's selector-less Sidecar, else the root
 * namespace's (istio-system). When several qualify (IST0110, IST0111) the API leaves it
 * undefined; istiod 1.26 takes the oldest (getSidecarScope: Sidecars sorted by creation
 * time), so do we: by creationTimestamp, else input order.
 */
export function sidecarFor(
  snapshot: Snapshot,
  namespace: string,
  labels: Record<string, string>,
): Sidecar | undefined {
  const all = snapshot.sidecars;
  if (all.length === 0) return undefined;
  const local = oldestFirst(all.filter((s) => s.namespace === namespace));
  return (
    local.find((s) => hasWorkloadSelector(s) && labelsMatch(s.spec.workloadSelector?.labels, labels)) ??
    local.find((s) => !hasWorkloadSelector(s)) ??
    oldestFirst(all).find((s) => s.namespace === ROOT_NAMESPACE && !hasWorkloadSelector(s))
  );
}

/** Parses an egress host; `.` is the proxy's namespace (for a root-namespace default too). */
export function egressHost(text: string, proxyNamespace: string): EgressHost | undefined {
  const slash = text.indexOf('/');
  if (slash <= 0) return undefined;
  const ns = text.slice(0, slash);
  const host = text.slice(slash + 1).toLowerCase();
  if (!host) return undefined;
  return { namespace: ns === '.' ? proxyNamespace : ns, host, text };
}

const nsMatches = (h: EgressHost, namespace: string) =>
  h.namespace !== '~' && (h.namespace === '*' || h.namespace === namespace);

/** What one proxy imports. Without a Sidecar it imports everything exported to its namespace. */
export class SidecarScope {
  readonly sidecar: Sidecar | undefined;
  /** the Sidecar's outboundTrafficPolicy.mode, else the mesh's */
  readonly outboundMode: OutboundMode;
  /** where the mode came from */
  readonly outboundSource: string;
  /** `namespace|ns/name` of the Sidecar: scopes with the same key import the same */
  readonly key: string;
  /** `ns/name` of the Sidecar, or '' */
  readonly ref: string;
  readonly namespace: string;
  /**
   * outboundTrafficPolicy.egressProxy (host as an FQDN), when the mode is ALLOW_ANY:
   * what istiod sends unknown hosts to instead of PassthroughCluster. Under
   * REGISTRY_ONLY unknown hosts stay blocked (pilot reads it only with ALLOW_ANY).
   */
  readonly egressProxy: { host: string; subset?: string; port?: number } | undefined;
  private readonly snapshot: Snapshot;
  private readonly listeners: EgressListener[];
  private readonly ports: Set<number>;

  constructor(
    snapshot: Snapshot,
    namespace: string,
    sidecar: Sidecar | undefined,
    /** the proxy's revision's outbound mode, when it differs from the snapshot's (proxy-mesh.ts) */
    meshMode: OutboundMode = snapshot.mesh.outboundMode,
  ) {
    this.snapshot = snapshot;
    this.namespace = namespace;
    this.sidecar = sidecar;
    this.ref = sidecar ? `${sidecar.namespace}/${sidecar.name}` : '';
    this.key = `${namespace}|${this.ref}`;
    const mode = sidecar?.spec.outboundTrafficPolicy?.mode;
    this.outboundMode = mode ?? meshMode;
    this.outboundSource = mode ? `Sidecar ${sidecar!.namespace}/${sidecar!.name}` : 'mesh';
    const proxy = sidecar?.spec.outboundTrafficPolicy?.egressProxy;
    this.egressProxy =
      proxy?.host && this.outboundMode === 'ALLOW_ANY'
        ? {
            host: toFqdn(proxy.host.toLowerCase(), sidecar!.namespace),
            ...(proxy.subset ? { subset: proxy.subset } : {}),
            ...(proxy.port?.number ? { port: proxy.port.number } : {}),
          }
        : undefined;
    const egress = sidecar?.spec.egress ?? [];
    this.listeners =
      egress.length === 0
        ? [{ hosts: [{ namespace: '*', host: '*', text: '*/*' }] }]
        : egress.map((e) => ({
            ...(e.port?.number ? { port: e.port.number } : {}),
            hosts: (e.hosts ?? [])
              .map((h) => egressHost(h, namespace))
              .filter((h): h is EgressHost => h !== undefined),
          }));
    this.ports = new Set(this.listeners.flatMap((l) => (l.port === undefined ? [] : [l.port])));
  }

  /** True when no Sidecar narrows what the proxy imports (no Sidecar, or egress `*\/*`). */
  get importsAll(): boolean {
    return this.listeners.every((l) => l.hosts.some((h) => h.namespace === '*' && h.host === '*'));
  }

  /** The egress hosts that apply on `port`: its own listener's, else the catch-all listener's. */
  hostsOn(port: number): EgressHost[] {
    const own = this.ports.has(port)
      ? this.listeners.filter((l) => l.port === port)
      : this.listeners.filter((l) => l.port === undefined);
    return own.flatMap((l) => l.hosts);
  }

  /** Every egress host of the Sidecar (all listeners). */
  get egressHosts(): EgressHost[] {
    return this.listeners.flatMap((l) => l.hosts);
  }

  /**
   * Does the proxy import the registry host `host` (an FQDN) on `port`: a Service or
   * a ServiceEntry exported to its namespace, declared in a namespace an egress host
   * names, with a dnsName covering `host`?
   */
  importsService(host: string, port: number): boolean {
    const hosts = this.hostsOn(port);
    if (hosts.length === 0) return false;
    const svc = this.snapshot.serviceVisible(host, this.namespace);
    if (svc && hosts.some((h) => nsMatches(h, svc.namespace) && hostCovers(h.host, host))) return true;
    return this.snapshot
      .serviceEntriesFor(host, this.namespace)
      .some((se) => hosts.some((h) => nsMatches(h, se.namespace) && hostCovers(h.host, host)));
  }

  /** Does the proxy import this VirtualService on `port` (its namespace and one of its hosts)? */
  importsVirtualService(vs: VirtualService, port: number): boolean {
    if (this.importsAll) return true;
    const hosts = this.hostsOn(port);
    return (vs.spec.hosts ?? []).some((vh) => {
      const fq = toFqdn(vh.toLowerCase(), vs.namespace);
      return hosts.some((h) => nsMatches(h, vs.namespace) && hostsOverlap(h.host, fq));
    });
  }

  /** Is `namespace` visible through some egress host (any dnsName)? */
  importsNamespace(namespace: string): boolean {
    return this.egressHosts.some((h) => nsMatches(h, namespace));
  }
}

const scopes = new WeakMap<Snapshot, Map<string, SidecarScope>>();

/** The scope of a sidecar proxy in `namespace` with `labels` (cached per snapshot and Sidecar). */
export function sidecarScope(
  snapshot: Snapshot,
  namespace: string,
  labels: Record<string, string>,
): SidecarScope {
  let byKey = scopes.get(snapshot);
  if (!byKey) scopes.set(snapshot, (byKey = new Map()));
  const sidecar = sidecarFor(snapshot, namespace, labels);
  // with several control plane revisions, the proxy's own revision's mesh config
  const own = snapshot.meshFor(namespace, labels);
  const key = `${namespace}|${sidecar ? `${sidecar.namespace}/${sidecar.name}` : ''}|${own?.revision ?? ''}`;
  let scope = byKey.get(key);
  if (!scope)
    byKey.set(key, (scope = new SidecarScope(snapshot, namespace, sidecar, own?.mesh.outboundMode)));
  return scope;
}
