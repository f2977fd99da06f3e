// What a proxy does with a request no VirtualService routes: a client without a
// sidecar (or ztunnel without a waypoint) goes to the Service or host directly; a
// sidecar sends a registry host to its own cluster, and a host it does not know to
// PassthroughCluster (ALLOW_ANY) or BlackHoleCluster (REGISTRY_ONLY).
import type { SidecarScope } from '../config/sidecar-scope.ts';
import type { OutboundMode, Snapshot } from '../config/snapshot.ts';
import type { ClusterBuilder } from './clusters.ts';
import { registered } from './registry.ts';
import type { Decision } from './route-tables.ts';
import { defaultRule } from './routes.ts';
import { F, type SimRequest } from './types.ts';

/** The fallback decisions of one mesh, made once per host, port and mode. */
export class Fallbacks {
  private readonly snapshot: Snapshot;
  private readonly clusters: ClusterBuilder;
  private readonly defaults = new Map<string, Decision>();

  constructor(snapshot: Snapshot, clusters: ClusterBuilder) {
    this.snapshot = snapshot;
    this.clusters = clusters;
  }

  /**
   * A client without a sidecar: no VirtualService, DestinationRule policy or retries
   * apply; the Service's cluster IP spreads its connections over every pod.
   */
  direct(req: SimRequest, ztunnel = false): Decision {
    const key = `${ztunnel ? 'ztunnel' : 'direct'}|${req.host}:${req.port}`;
    let d = this.defaults.get(key);
    if (!d) {
      const tls = req.tls;
      const how = ztunnel ? 'ambient, no waypoint: ztunnel to' : 'no sidecar:';
      if (this.snapshot.service(req.host)) {
        // no client proxy: none of the DestinationRule's policy either
        const rule = defaultRule(this.clusters.plain(req.host, req.port), `${how} the Service directly`, tls);
        rule.retry = null;
        if (ztunnel) rule.l4 = true;
        d = { kind: 'route', rule };
      } else {
        const rule = defaultRule(
          this.clusters.passthrough(req.host, req.port),
          `${how} the host directly`,
          tls,
        );
        rule.retry = null;
        if (ztunnel) rule.l4 = true;
        d = { kind: 'route', rule };
      }
      this.defaults.set(key, d);
    }
    return d;
  }

  /**
   * A host:port without VirtualService rules: its own cluster when the registry has
   * it, else PassthroughCluster (ALLOW_ANY) or BlackHoleCluster (REGISTRY_ONLY:
   * 502 for HTTP; a TLS connection is closed, flag UH, as the cluster has no endpoints).
   */
  registryOrUnknown(
    req: SimRequest,
    tls: boolean,
    from: string,
    mode: OutboundMode,
    scope?: SidecarScope,
  ): Decision {
    const key = `${tls ? 'tls' : 'http'}|${req.host}:${req.port}|${from}|${mode}|${scope?.egressProxy ? scope.key : ''}`;
    let d = this.defaults.get(key);
    if (!d) {
      d = registered(this.snapshot, req.host, req.port, tls, from)
        ? {
            kind: 'route',
            rule: defaultRule(this.clusters.cluster(req.host, undefined, req.port), undefined, tls),
          }
        : this.unknown(req, tls, mode, scope);
      this.defaults.set(key, d);
    }
    return d;
  }

  /**
   * A host the proxy does not know (not in the registry, or not imported by its Sidecar):
   * BlackHoleCluster under REGISTRY_ONLY, else PassthroughCluster to the original
   * destination (a Service's pods, with none of its routing rules or policies), or the
   * egress proxy its Sidecar names (outboundTrafficPolicy.egressProxy, ALLOW_ANY only).
   */
  unknown(req: SimRequest, tls: boolean, mode: OutboundMode, scope?: SidecarScope): Decision {
    const proxy = mode === 'ALLOW_ANY' ? scope?.egressProxy : undefined;
    const key = `unknown|${tls ? 'tls' : 'http'}|${req.host}:${req.port}|${mode}|${proxy ? scope!.key : ''}`;
    let d = this.defaults.get(key);
    if (!d) {
      if (proxy) {
        // pilot names the cluster outbound|<port>|<subset>|<host>; it exists only when the
        // Sidecar imports that host (else Envoy has no such cluster: 503 NC)
        const imported = scope!.importsAll || scope!.importsService(proxy.host, proxy.port ?? 0);
        const cluster = imported
          ? this.clusters.cluster(proxy.host, proxy.subset, proxy.port)
          : this.clusters.absent(
              proxy.host,
              proxy.subset,
              proxy.port,
              `Sidecar ${scope!.ref} names egressProxy ${proxy.host} but its egress hosts do not import it`,
            );
        const rule = defaultRule(cluster, `egressProxy of Sidecar ${scope!.ref}`, tls);
        rule.retry = null;
        d = { kind: 'route', rule };
      } else if (mode === 'REGISTRY_ONLY') {
        d = tls
          ? { kind: 'local', status: 0, flags: F.UH, cluster: 'BlackHoleCluster' }
          : { kind: 'local', status: 502, flags: 0, cluster: 'BlackHoleCluster' };
      } else {
        const rule = defaultRule(this.clusters.passthrough(req.host, req.port), 'PassthroughCluster', tls);
        rule.retry = null;
        d = { kind: 'route', rule };
      }
      this.defaults.set(key, d);
    }
    return d;
  }
}
