// The Snapshot: the resources a grader sees, with the lookups that rules, the
// simulator and graders share. Built from files (plus the Bookinfo model) or
// from a cluster; nothing below knows which. The host lookups (Services,
// ServiceEntries, DestinationRules by host) are its base class, host-registry.ts.

import { bookinfoManifests, gatewayManifests, plaintextClientManifests } from './bookinfo.ts';
import { HostRegistry } from './host-registry.ts';
import { gatewayRef } from './hosts.ts';
import type { HttpRouteObject } from './http-route.ts';
import { derivedGateways } from './k8s-gateway.ts';
import type { KubernetesGateway } from './load.ts';
import type { GatewayApiKind, GatewayApiObject } from './load-gateway-api.ts';
import type { MeshConfigChoice } from './mesh-revisions.ts';
import type { MeshSecurity } from './mesh-security.ts';
import { type MeshSettings, meshSettings } from './mesh-settings.ts';
import type { ProxyMesh } from './proxy-mesh.ts';
import type { Kind, Resource } from './resource.ts';
import { isIstioKind } from './resource.ts';
import {
  type AuthorizationPolicySpec,
  type DestinationRuleSpec,
  type GatewaySpec,
  type PeerAuthenticationSpec,
  type ProxyConfigSpec,
  parseSpec,
  type RequestAuthenticationSpec,
  type SchemaIssue,
  type ServiceEntrySpec,
  type SidecarSpec,
  type TelemetrySpec,
  type VirtualServiceSpec,
} from './schemas/index.ts';
import { builtinResource } from './snapshot-objects.ts';
import type {
  AuthorizationPolicy,
  DestinationRule,
  Gateway,
  MeshConfigInfo,
  OutboundMode,
  PeerAuthentication,
  ProxyConfig,
  RequestAuthentication,
  ServiceEntry,
  ServiceInfo,
  Sidecar,
  Telemetry,
  VirtualService,
  Workload,
} from './snapshot-types.ts';
import type { MeshTelemetry } from './telemetry-scope.ts';
import { labelsMatch, workloadsByNamespace } from './workload-index.ts';

// the shapes live in snapshot-types.ts, labelsMatch in workload-index.ts; most modules
// take them from here, with the class
export type * from './snapshot-types.ts';
export { labelsMatch } from './workload-index.ts';

export interface SnapshotInput {
  resources: Resource[];
  /** bare mesh config documents from the inputs */
  meshConfigs?: { value: Record<string, unknown>; file: string; line: number }[];
  /** include the built-in Bookinfo model (offline default) */
  bookinfo?: boolean;
  /** overrides whatever mesh config the inputs hold */
  outboundMode?: OutboundMode;
  /** Kubernetes Gateway API Gateways (VirtualServices may bind to them) */
  kubernetesGateways?: KubernetesGateway[];
  /** Gateway API HTTPRoutes (config/http-route.ts) */
  httpRoutes?: HttpRouteObject[];
  /** GRPCRoutes, TCPRoutes, TLSRoutes and ReferenceGrants (config/load-gateway-api.ts) */
  gatewayApiObjects?: GatewayApiObject[];
  /** the Gateway API kinds could not be read (LoadResult.gatewayApiUnknown) */
  gatewayApiUnknown?: boolean;
  /** `namespace/name` of Secrets known not to exist (a cluster answered 404) */
  secretsNotFound?: string[];
}

/** The parts of a snapshot that a derived view shares (specs already parsed, mesh resolved). */
interface DerivedInput {
  resources: Resource[];
  settings: MeshSettings;
  kubernetesGateways?: KubernetesGateway[];
  httpRoutes?: HttpRouteObject[];
  gatewayApiObjects?: GatewayApiObject[];
  gatewayApiUnknown?: boolean;
  secretsNotFound?: string[];
}

export class Snapshot extends HostRegistry {
  readonly resources: Resource[];
  readonly schemaIssues = new Map<Resource, SchemaIssue[]>();
  /** resources replaced by a later definition of the same kind, namespace and name (as kubectl apply would) */
  readonly replaced: { resource: Resource; by: Resource }[] = [];
  readonly mesh: MeshConfigInfo;
  /** meshConfig.trustDomain (default cluster.local): the first part of every SPIFFE principal */
  readonly trustDomain: string;
  /** access log settings of the mesh config (accessLogFile, extension providers): telemetry-scope.ts */
  readonly meshTelemetry: MeshTelemetry;
  /** external authorizers (CUSTOM) and gateway numTrustedProxies of the mesh config: mesh-security.ts */
  readonly meshSecurity: MeshSecurity;
  /**
   * The mesh ConfigMap taken (istio, or istio-<rev> for a revision's istiod), with why
   * when several revisions' exist: mesh-revisions.ts
   */
  readonly meshChoice: MeshConfigChoice | undefined;
  /** all of the above, resolved once (mesh-settings.ts) and shared with derived views */
  private readonly settings: MeshSettings;
  /**
   * The Gateway API kinds could not be read (a cluster forbade listing them): Gateways,
   * waypoints and HTTPRoutes may exist that are not here, so none may be called missing.
   */
  readonly gatewayApiUnknown: boolean;
  /**
   * Resources the API server would refuse (a schema or webhook rejection: IST0106, an
   * unknown field: ICA0101), with why. They stay visible to the analyzer but are never
   * simulated as applied (see `applied()`).
   */
  readonly rejected = new Map<Resource, string>();
  private appliedView?: Snapshot;
  /** called with the kind every accessor reads (the rule meta-tests use it) */
  onRead: ((kind: Kind) => void) | undefined;

  private readonly byKind = new Map<Kind, Resource[]>();
  private workloadsByNs?: Map<string, Workload[]>;
  private gatewaysByRef?: Map<string, Gateway>;
  /** workloads by selector: one Gateway per service shares a handful of selectors */
  private readonly matchingCache = new Map<string, Workload[]>();
  private secretKeys?: Set<string>;
  private readonly k8sGateways: Map<string, KubernetesGateway>;
  private readonly routes: HttpRouteObject[];
  private readonly gatewayApi: GatewayApiObject[];
  private readonly notFoundSecrets: Set<string>;

  constructor(input: SnapshotInput | DerivedInput) {
    super();
    this.k8sGateways = new Map((input.kubernetesGateways ?? []).map((g) => [`${g.namespace}/${g.name}`, g]));
    this.routes = input.httpRoutes ?? [];
    this.gatewayApi = input.gatewayApiObjects ?? [];
    this.gatewayApiUnknown = input.gatewayApiUnknown ?? false;
    this.notFoundSecrets = new Set(input.secretsNotFound ?? []);
    if ('settings' in input) {
      this.resources = input.resources;
      this.indexByKind();
      this.settings = input.settings;
    } else {
      this.resources = this.admit(input);
      this.indexByKind();
      this.settings = meshSettings((kind) => this.held(kind), input.meshConfigs, input.outboundMode);
    }
    ({
      mesh: this.mesh,
      trustDomain: this.trustDomain,
      meshTelemetry: this.meshTelemetry,
      meshSecurity: this.meshSecurity,
      meshChoice: this.meshChoice,
    } = this.settings);
  }

  /** The inputs as `kubectl apply` would leave them (later definitions replace earlier), specs parsed. */
  private admit(input: SnapshotInput): Resource[] {
    const byKey = new Map<string, Resource>();
    for (const r of input.resources) {
      if (isIstioKind(r.kind)) {
        const { spec, issues } = parseSpec(r.kind, r.raw.spec);
        r.spec = spec;
        if (issues.length) {
          this.schemaIssues.set(r, issues);
          // the API server's schema (and strict field validation) refuses the whole object
          this.rejected.set(r, `schema: ${issues.map((i) => i.message).join('; ')}`);
        }
      }
      const key = `${r.kind}/${r.namespace}/${r.name}`;
      const earlier = byKey.get(key);
      if (earlier) {
        this.replaced.push({ resource: earlier, by: r });
        byKey.delete(key); // keep input order: the later one takes the place at the end
      }
      byKey.set(key, r);
    }
    const resources: Resource[] = [...byKey.values()];
    const seen = new Set(byKey.keys());
    if (input.bookinfo) {
      for (const m of [...bookinfoManifests(), ...gatewayManifests(), ...plaintextClientManifests()]) {
        const r = builtinResource(m);
        if (!seen.has(`${r.kind}/${r.namespace}/${r.name}`)) resources.push(r);
      }
    }
    return resources;
  }

  /**
   * The outbound traffic policy of the proxy in `namespace` with `labels`: its revision's
   * mesh ConfigMap's when several revisions' exist (proxy-mesh.ts), else the mesh's.
   */
  outboundModeFor(namespace: string, labels: Record<string, string>): OutboundMode {
    return this.meshFor(namespace, labels)?.mesh.outboundMode ?? this.mesh.outboundMode;
  }

  /** The mesh settings of one proxy's revision, or undefined when they are the snapshot's own. */
  meshFor(namespace: string, labels: Record<string, string>): ProxyMesh | undefined {
    return this.settings.proxyMeshes?.forProxy(
      {
        workloads: (ns) => (this.workloadsByNs ??= workloadsByNamespace((k) => this.held(k))).get(ns) ?? [],
        namespaceResource: (name) => this.held('Namespace').find((r) => r.name === name),
      },
      namespace,
      labels,
    );
  }

  private indexByKind(): void {
    for (const r of this.resources) {
      let list = this.byKind.get(r.kind);
      if (!list) this.byKind.set(r.kind, (list = []));
      list.push(r);
    }
  }

  /** Records that the API server would refuse `resource` (the analyzer does, on IST0106 or ICA0101). */
  reject(resource: Resource, why: string): void {
    if (resource.origin.builtin || this.rejected.has(resource)) return;
    this.rejected.set(resource, why);
    this.appliedView = undefined;
  }

  /**
   * What a cluster would run: this snapshot without the resources the API server would
   * refuse (`kubectl apply` fails for them, so they never take effect). The simulator and
   * the graders' behaviour checks read this view.
   */
  applied(): Snapshot {
    if (this.rejected.size === 0) return this;
    if (!this.appliedView) {
      // a Gateway API object the API server refuses (a finding names it through a stand-in
      // holding its `raw`) is not applied either
      const refusedRaw = new Set([...this.rejected.keys()].map((r) => r.raw));
      const view = this.only(
        this.resources.filter((r) => !this.rejected.has(r)),
        this.gatewayApi.filter((o) => !refusedRaw.has(o.raw)),
      );
      for (const [r, why] of this.rejected) view.notApplied.set(r, why);
      this.appliedView = view;
    }
    return this.appliedView;
  }

  /** A view holding only `resources` (from this snapshot: specs and mesh settings shared). */
  only(resources: Resource[], gatewayApiObjects: GatewayApiObject[] = this.gatewayApi): Snapshot {
    return new Snapshot({
      resources,
      settings: this.settings,
      kubernetesGateways: [...this.k8sGateways.values()],
      httpRoutes: this.routes,
      gatewayApiObjects,
      gatewayApiUnknown: this.gatewayApiUnknown,
      secretsNotFound: [...this.notFoundSecrets],
    });
  }

  /** In a view from `applied()`: the resources left out, with why. */
  readonly notApplied = new Map<Resource, string>();

  protected read(kind: Kind): void {
    this.onRead?.(kind);
  }

  protected held(kind: Kind): Resource[] {
    return this.byKind.get(kind) ?? [];
  }

  list<S = Record<string, unknown>>(kind: Kind): Resource<S>[] {
    this.read(kind);
    return (this.byKind.get(kind) ?? []) as Resource<S>[];
  }

  get virtualServices(): VirtualService[] {
    return this.list<VirtualServiceSpec>('VirtualService');
  }
  get destinationRules(): DestinationRule[] {
    return this.list<DestinationRuleSpec>('DestinationRule');
  }
  get gateways(): Gateway[] {
    return this.list<GatewaySpec>('Gateway');
  }
  get serviceEntries(): ServiceEntry[] {
    return this.list<ServiceEntrySpec>('ServiceEntry');
  }
  get sidecars(): Sidecar[] {
    return this.list<SidecarSpec>('Sidecar');
  }
  get telemetries(): Telemetry[] {
    return this.list<TelemetrySpec>('Telemetry');
  }
  get proxyConfigs(): ProxyConfig[] {
    return this.list<ProxyConfigSpec>('ProxyConfig');
  }
  get peerAuthentications(): PeerAuthentication[] {
    return this.list<PeerAuthenticationSpec>('PeerAuthentication');
  }
  get authorizationPolicies(): AuthorizationPolicy[] {
    return this.list<AuthorizationPolicySpec>('AuthorizationPolicy');
  }
  get requestAuthentications(): RequestAuthentication[] {
    return this.list<RequestAuthenticationSpec>('RequestAuthentication');
  }

  // Services, ServiceEntries, DestinationRules and subsets by host: host-registry.ts

  /** Pods (and Deployment templates) in a namespace. */
  workloads(namespace: string): Workload[] {
    this.read('Pod');
    this.read('Deployment');
    this.workloadsByNs ??= workloadsByNamespace((kind) => this.held(kind));
    return this.workloadsByNs.get(namespace) ?? [];
  }

  /** The workloads behind a Service, optionally narrowed by subset labels. */
  endpoints(service: ServiceInfo, subsetLabels?: Record<string, string>): Workload[] {
    if (Object.keys(service.selector).length === 0) return [];
    return this.workloads(service.namespace).filter(
      (w) => labelsMatch(service.selector, w.labels) && labelsMatch(subsetLabels, w.labels),
    );
  }

  /** All workloads anywhere whose labels match a Gateway selector. */
  workloadsMatching(selector: Record<string, string>): Workload[] {
    const key = JSON.stringify(Object.entries(selector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const known = this.matchingCache.get(key);
    if (known) return [...known];
    this.workloads('');
    const out: Workload[] = [];
    for (const list of this.workloadsByNs?.values() ?? []) {
      for (const w of list) if (labelsMatch(selector, w.labels)) out.push(w);
    }
    this.matchingCache.set(key, out);
    return [...out];
  }

  /** The Gateway API HTTPRoutes of the inputs, as written. */
  httpRoutes(): HttpRouteObject[] {
    return this.routes;
  }

  /** The inputs' Gateway API objects of one kind (GRPCRoute, TCPRoute, TLSRoute, ReferenceGrant), as written. */
  gatewayApiObjects(kind: GatewayApiKind): GatewayApiObject[] {
    return this.gatewayApi.filter((o) => o.kind === kind);
  }

  /** Every Kubernetes Gateway API Gateway of the inputs (waypoints among them). */
  kubernetesGatewayList(): KubernetesGateway[] {
    return [...this.k8sGateways.values()];
  }

  /** A Kubernetes Gateway API Gateway by `ns/name` (VirtualServices can bind to one). */
  kubernetesGateway(ref: string): KubernetesGateway | undefined {
    return this.k8sGateways.get(ref);
  }

  /**
   * A Gateway by `ns/name`: one of the inputs, or one istiod makes of a class-`istio`
   * Gateway API Gateway's listener (config/k8s-gateway.ts; not in `gateways`).
   */
  gateway(ref: string): Gateway | undefined {
    const gateways = this.gateways;
    if (!this.gatewaysByRef)
      this.gatewaysByRef = new Map(gateways.map((g) => [`${g.namespace}/${g.name}`, g]));
    return (
      this.gatewaysByRef.get(ref) ?? (this.k8sGateways.size > 0 ? derivedGateways(this).get(ref) : undefined)
    );
  }

  /** The `ns/name` refs a VirtualService binds to (`mesh` when none are listed). */
  gatewayRefs(vs: VirtualService): string[] {
    const gws = vs.spec.gateways;
    if (!gws || gws.length === 0) return ['mesh'];
    return gws.map((g) => gatewayRef(g, vs.namespace));
  }

  /** A Secret by namespace and name (from a cluster: metadata only, no data). */
  secret(namespace: string, name: string): Resource | undefined {
    return this.list('Secret').find((s) => s.namespace === namespace && s.name === name);
  }

  /**
   * Known not to exist: a cluster answered 404 when it was read by name. (A Secret merely
   * absent from the inputs is unknown offline: labs name Secrets they do not hold.)
   */
  secretNotFound(namespace: string, name: string): boolean {
    return this.notFoundSecrets.has(`${namespace}/${name}`);
  }

  secretExists(namespace: string, name: string): boolean {
    this.secretKeys ??= new Set(this.list('Secret').map((s) => `${s.namespace}/${s.name}`));
    return this.secretKeys.has(`${namespace}/${name}`);
  }
}
