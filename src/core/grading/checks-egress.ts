// Grader building blocks for the egress labs: TLS (SNI) routes to and through the
// egress gateway, the ports ServiceEntries register, and external hosts reached
// from the mesh. Structural where the simulator does not look (TLS, ports).
import { gatewayRef, hostCovers, toFqdn } from '../config/hosts.ts';
import type { TlsRoute } from '../config/schemas/index.ts';
import type { VirtualService } from '../config/snapshot.ts';
import { describeProbe, fail, type Probe, pass } from './checks.ts';
import { expectStatus } from './checks-edge.ts';
import { attach, findingsOn } from './checks-findings.ts';
import type { CheckResult, GradeContext } from './types.ts';

/**
 * A `host` in a route destination as Istio resolves it: short names get the
 * namespace and cluster domain, names with a dot are taken as they are
 * (`istio-egressgateway.istio-system` is not expanded).
 */
export function destinationFqdn(host: string, namespace: string): string {
  return toFqdn(host, namespace);
}

export interface TlsRouteHit {
  vs: VirtualService;
  index: number;
  route: TlsRoute;
  /** `VirtualService default/x tls[1]` */
  where: string;
}

/**
 * The TLS route (first match, in VirtualService order) that a connection with SNI
 * `sni` on `port` takes in a routing context (`mesh` for sidecars, `ns/name` of a
 * Gateway). Structural: the simulator routes HTTP only.
 */
export function tlsRouteFor(
  ctx: GradeContext,
  context: string,
  sni: string,
  port: number,
): TlsRouteHit | undefined {
  for (const vs of ctx.snapshot.virtualServices) {
    if (!vs.spec.tls?.length) continue;
    if (!ctx.snapshot.gatewayRefs(vs).includes(context)) continue;
    if (!(vs.spec.hosts ?? []).some((h) => hostCovers(toFqdn(h, vs.namespace), sni))) continue;
    const rules = vs.spec.tls;
    for (let i = 0; i < rules.length; i++) {
      const route = rules[i]!;
      const matches = route.match ?? [];
      const ok =
        matches.length === 0 ||
        matches.some(
          (m) =>
            (!m.sniHosts?.length || m.sniHosts.some((h) => hostCovers(toFqdn(h, vs.namespace), sni))) &&
            (m.port === undefined || m.port === port) &&
            (!m.gateways?.length || m.gateways.some((g) => gatewayRef(g, vs.namespace) === context)),
        );
      if (ok) return { vs, index: i, route, where: `VirtualService ${vs.namespace}/${vs.name} tls[${i}]` };
    }
  }
  return undefined;
}

/**
 * TLS connections for `sni` in `context` are routed (all destinations) to `host`
 * on one of `ports`. `from` describes the caller for the reasons.
 */
export function expectTlsRoute(
  ctx: GradeContext,
  want: { context: string; from: string; sni: string; port: number; host: string; ports: readonly number[] },
): CheckResult {
  const hit = tlsRouteFor(ctx, want.context, want.sni, want.port);
  const related = () =>
    findingsOn(
      ctx,
      ctx.snapshot.virtualServices
        .filter((vs) => (vs.spec.hosts ?? []).some((h) => hostCovers(toFqdn(h, vs.namespace), want.sni)))
        .map((vs) => `VirtualService ${vs.namespace}/${vs.name}`),
    );
  if (!hit) {
    const bound = ctx.snapshot.virtualServices.filter(
      (vs) =>
        (vs.spec.tls?.length ?? 0) > 0 &&
        (vs.spec.hosts ?? []).some((h) => hostCovers(toFqdn(h, vs.namespace), want.sni)),
    );
    const why = bound.length
      ? `the tls routes for ${want.sni} (${bound.map((vs) => `${vs.namespace}/${vs.name} gateways: ${ctx.snapshot.gatewayRefs(vs).join(', ')}`).join('; ')}) have no rule that matches ${want.from} (routing context ${want.context}, sniHosts ${want.sni}, port ${want.port})`
      : `no VirtualService with tls routes has host ${want.sni}`;
    const fallback = want.context === 'mesh' ? ` (so the sidecars send them straight to ${want.sni})` : '';
    return attach(
      fail(`TLS connections for ${want.sni} from ${want.from}: no route${fallback}; ${why}`),
      related(),
    );
  }
  const dests = (hit.route.route ?? []).filter((d) => d.destination?.host);
  if (dests.length === 0) return attach(fail(`${hit.where} has no destination`), related());
  const wrong = dests.filter((d) => {
    const fq = destinationFqdn(d.destination!.host!, hit.vs.namespace);
    const p = d.destination!.port?.number;
    return fq !== want.host || p === undefined || !want.ports.includes(p);
  });
  const shown = dests
    .map(
      (d) =>
        `${d.destination!.host}${d.destination!.port?.number ? `:${d.destination!.port.number}` : ' (no port)'}`,
    )
    .join(', ');
  if (wrong.length === 0)
    return pass(`TLS connections for ${want.sni} from ${want.from} follow ${hit.where} to ${shown}`);
  return attach(
    fail(
      `TLS connections for ${want.sni} from ${want.from} follow ${hit.where} to ${shown}, expected ${want.host} port ${want.ports.join(' or ')}`,
    ),
    related(),
  );
}

/**
 * A ServiceEntry registers `host` on `port` with one of `protocols`, and the
 * registration has endpoints (resolution STATIC needs them). Structural: the
 * simulator lets any port through once a host is registered.
 */
export function expectServiceEntryPort(
  ctx: GradeContext,
  host: string,
  port: number,
  protocols: readonly string[],
): CheckResult {
  const entries = ctx.snapshot.serviceEntriesFor(host);
  const mine = ctx.snapshot.serviceEntries.filter((se) => !se.origin.builtin);
  const origins = mine.map((se) => `ServiceEntry ${se.namespace}/${se.name}`);
  if (entries.length === 0) {
    const seen = mine.flatMap((se) => se.spec.hosts ?? []);
    return attach(
      fail(
        `no ServiceEntry registers ${host}${seen.length ? ` (registered hosts: ${seen.join(', ')})` : ''}: the sidecars refuse its traffic (HTTP: 502 from their block_all route; TCP/TLS: the BlackHoleCluster)`,
      ),
      findingsOn(ctx, origins, ['ICA1004']),
    );
  }
  const ports = entries.flatMap((se) => (se.spec.ports ?? []).map((p) => ({ se, p })));
  const onPort = ports.filter(({ p }) => p.number === port);
  const names = entries.map((se) => `${se.namespace}/${se.name}`).join(', ');
  if (onPort.length === 0) {
    return attach(
      fail(
        `ServiceEntry ${names} registers ${host} on port ${ports.map(({ p }) => `${p.number ?? '?'}/${p.protocol ?? '?'}`).join(', ') || '(none)'}, not ${port}: calls to ${host}:${port} still go to the BlackHoleCluster (502)`,
      ),
      findingsOn(ctx, origins),
    );
  }
  const good = onPort.filter(({ p }) => protocols.includes((p.protocol ?? '').toUpperCase()));
  if (good.length === 0) {
    const got = onPort.map(({ p }) => p.protocol ?? '(none)').join(', ');
    return attach(
      fail(`port ${port} of ${host} is registered with protocol ${got}, expected ${protocols.join(' or ')}`),
      findingsOn(ctx, origins),
    );
  }
  const se = good[0]!.se;
  if (se.spec.resolution === 'STATIC' && !se.spec.endpoints?.length && !se.spec.workloadSelector) {
    return attach(
      fail(
        `ServiceEntry ${se.namespace}/${se.name} has resolution STATIC but no endpoints: the cluster is empty, calls get 503 (no healthy upstream); use resolution DNS`,
      ),
      findingsOn(ctx, origins),
    );
  }
  const p = good[0]!.p;
  return pass(
    `ServiceEntry ${se.namespace}/${se.name} registers ${host} on port ${port}/${(p.protocol ?? '').toUpperCase()} (resolution ${se.spec.resolution ?? 'NONE'})`,
  );
}

/** Ports that ServiceEntries register for `host` (wildcard entries included). */
export function registeredPorts(ctx: GradeContext, host: string): number[] {
  const ports = ctx.snapshot
    .serviceEntriesFor(host)
    .flatMap((se) => (se.spec.ports ?? []).map((p) => p.number))
    .filter((n): n is number => n !== undefined);
  return [...new Set(ports)].sort((a, b) => a - b);
}

/**
 * Calls from a mesh workload to an external `host` on `port` succeed (200) in a
 * REGISTRY_ONLY mesh: by behaviour, and the port must be registered too (a sidecar
 * only forwards registered host:port pairs; the simulator checks the host only).
 */
export function expectExternalReachable(
  ctx: GradeContext,
  probe: Probe,
  host: string,
  port: number,
): CheckResult {
  const behaviour = expectStatus(ctx, probe, 200, host);
  if (!behaviour.pass || ctx.snapshot.mesh.outboundMode !== 'REGISTRY_ONLY') return behaviour;
  const ports = registeredPorts(ctx, host);
  if (ports.includes(port)) return behaviour;
  return attach(
    fail(
      `${describeProbe(probe)}: ${host} is registered on port ${ports.join(', ') || '(none)'} only, so the sidecar has no route for ${host}:${port} and refuses the calls (HTTP: 502 from its block_all route; TCP/TLS: the BlackHoleCluster)`,
    ),
    findingsOn(
      ctx,
      ctx.snapshot.serviceEntriesFor(host).map((se) => `ServiceEntry ${se.namespace}/${se.name}`),
    ),
  );
}
