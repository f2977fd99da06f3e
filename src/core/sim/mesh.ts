// The snapshot compiled for simulation: callers, requests, route tables per
// (routing context, host) and clusters. Immutable once built and cached per
// snapshot, so graders that simulate many times pay for compilation once.
//
// A request is HTTP, or a TLS connection (an https:// target, or a port the
// registry or the Gateway server declares TLS/HTTPS): TLS connections follow
// tls rules by SNI and port, and are forwarded unread (tcp proxy).
//
// SimMesh is the facade: callers live in callers.ts, requests and the registry
// in registry.ts, route tables and decisions in route-tables.ts; the layers that
// decide a hop besides routing (layers.ts) read this compiled form.
import { BOOKINFO_NAMESPACE } from '../config/bookinfo.ts';
import { lastPushed } from '../config/drill.ts';
import type { SidecarScope } from '../config/sidecar-scope.ts';
import type { Snapshot } from '../config/snapshot.ts';
import { Callers } from './callers.ts';
import { ClusterBuilder } from './clusters.ts';
import { HOP_LAYERS, type Hop, type HopLayer, type HopVerdict } from './layers.ts';
import * as registry from './registry.ts';
import { type Decision, RouteTables } from './route-tables.ts';
import type { CompiledRule } from './routes.ts';
import type { Caller, Endpoint, GatewayServerMatch, RouteEntry, SimRequest } from './types.ts';

export { serverMode } from './gateway-servers.ts';
export { type Decision, firstMatch } from './route-tables.ts';

export class SimMesh {
  readonly snapshot: Snapshot;
  readonly clusters: ClusterBuilder;
  private readonly callers: Callers;
  private readonly routes: RouteTables;
  private layers?: HopLayer[];
  /**
   * What an external authorizer the simulation cannot know answers a CUSTOM check
   * (simulate --ext-authz): a setting of the run, set by simulate() before it starts.
   */
  extAuthz: 'allow' | 'deny' = 'allow';

  /** the routes of proxies that missed istiod's last push (a drill): compiled from the snapshot before it */
  private oldRoutes?: RouteTables;

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    this.clusters = new ClusterBuilder(snapshot);
    this.callers = new Callers(snapshot);
    this.routes = new RouteTables(snapshot, this.clusters);
  }

  /** The route tables `caller`'s proxy has: the current ones, or those of the last push it acknowledged. */
  private routesOf(caller: Caller): RouteTables {
    if (!caller.stale) return this.routes;
    if (!this.oldRoutes) {
      const old = lastPushed(this.snapshot);
      this.oldRoutes = new RouteTables(old, new ClusterBuilder(old));
    }
    return this.oldRoutes;
  }

  /** A caller standing for the proxies of one Gateway (`ns/name`): its selector's labels, that context only. */
  gatewayCaller(ref: string): Caller {
    return this.callers.gatewayCaller(ref);
  }

  /** The gateway proxy behind a pod, when the pod is one (it routes what it receives). */
  gatewayOf(ep: Endpoint): Caller | null {
    return this.callers.gatewayOf(ep);
  }

  /** The caller named by `--from`: a workload (`name`, `ns/name`), `ingress`, or labels `k=v,...`. */
  caller(from: string | undefined, namespace: string = BOOKINFO_NAMESPACE): Caller {
    return this.callers.caller(from, namespace);
  }

  /** The sidecar of a pod, as a caller of other services. */
  podCaller(ep: Endpoint): Caller {
    return this.callers.podCaller(ep);
  }

  /**
   * A request from `caller` to `target` (`host`, `host:port`, or a URL). Short names
   * resolve in the caller's namespace, as DNS would (see registry.request).
   */
  request(
    caller: Caller,
    target: string,
    path = '/',
    headers: Record<string, string> = {},
    method = 'GET',
    inferNamespace = false,
  ): SimRequest {
    return registry.request(this.snapshot, caller, target, path, headers, method, inferNamespace);
  }

  /** The request a gateway pod's proxy receives from a cluster on `port` (a hop). */
  forwardRequest(req: SimRequest, port: number, hops: number): SimRequest {
    return registry.forwardRequest(req, port, hops);
  }

  /** Is `host:port` in the registry for this kind of traffic? */
  registered(host: string, port: number, tls: boolean): boolean {
    return registry.registered(this.snapshot, host, port, tls);
  }

  /** Is `host` something a client could resolve (a Service, ServiceEntry or VirtualService host)? */
  knownHost(caller: Caller, host: string): boolean {
    return registry.knownHost(this.snapshot, this.routesOf(caller), caller, host);
  }

  /** What the caller's proxy imports when a Sidecar resource applies to it, else undefined. */
  sidecarScope(caller: Caller): SidecarScope | undefined {
    return this.routesOf(caller).scopeOf(caller);
  }

  /** The routing decision for a request (before weights are drawn). */
  decide(caller: Caller, req: SimRequest): Decision {
    return this.routesOf(caller).decide(caller, req);
  }

  /** What the caller's proxy has for the request's host and port (computed once per request template). */
  entry(caller: Caller, req: SimRequest): RouteEntry {
    return this.routesOf(caller).entry(caller, req);
  }

  /** The template of an application's call to `service:9080` (the caller's namespace). */
  appRequest(caller: Caller, service: string, path: string, headers: Record<string, string>): SimRequest {
    const templates = (caller.templates ??= new Map());
    let byPath = templates.get(service);
    if (!byPath) templates.set(service, (byPath = new Map()));
    let t = byPath.get(path);
    if (!t) {
      t = this.request(caller, `${service}:9080`, path);
      t.route = this.routesOf(caller).entry(caller, t);
      byPath.set(path, t);
    }
    return { ...t, headers };
  }

  /** Compiled HTTP rules of the VirtualService(s) for a host in a routing context, or null. */
  table(context: string, host: string, port: number): CompiledRule[] | null {
    return this.routes.table(context, host, port);
  }

  /** Compiled tls rules for a TLS connection (SNI `sni`, arriving on `port`) in a routing context, or null. */
  tlsTable(context: string, sni: string, port: number): CompiledRule[] | null {
    return this.routes.tlsTable(context, sni, port);
  }

  /** What the layers decide for an upstream attempt (the first that stops it), or null: the application answers. */
  hop(h: Hop): HopVerdict | null {
    for (const layer of this.hopLayers()) {
      const v = layer.hop(h);
      if (v) return v;
    }
    return null;
  }

  /** What the layers decide for a request entering the mesh at a gateway caller, or null. */
  admit(caller: Caller, req: SimRequest, note?: (decision: string) => void): HopVerdict | null {
    for (const layer of this.hopLayers()) {
      const v = layer.entry?.(caller, req, note);
      if (v) return v;
    }
    return null;
  }

  private hopLayers(): HopLayer[] {
    this.layers ??= HOP_LAYERS.map((make) => make(this)).filter((l): l is HopLayer => l !== null);
    return this.layers;
  }

  /** The Gateway server of a gateway caller that accepts the request, or null. */
  gatewayServer(caller: Caller, req: SimRequest): GatewayServerMatch | null {
    return this.routesOf(caller).gatewayServer(caller, req);
  }
}

const meshes = new WeakMap<Snapshot, SimMesh>();

/**
 * The compiled mesh of a snapshot (cached): of what a cluster would run, so a resource
 * the API server would refuse (Snapshot.applied) is never simulated as applied.
 */
export function meshFor(snapshot: Snapshot): SimMesh {
  let m = meshes.get(snapshot);
  if (!m) meshes.set(snapshot, (m = new SimMesh(snapshot.applied())));
  return m;
}
