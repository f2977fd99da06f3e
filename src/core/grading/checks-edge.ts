// Grader building blocks for the ingress and egress labs: Gateway servers on a
// gateway workload, routes through a gateway, TLS (SNI) routes and ServiceEntry
// ports. Behaviour first; the structural helpers cover what is not simulated.
import { gatewayRef, hostCovers, splitGatewayHost, toFqdn } from '../config/hosts.ts';
import type { Server, TlsRoute } from '../config/schemas/index.ts';
import type { Gateway, VirtualService } from '../config/snapshot.ts';
import {
  describeProbe,
  describeStatuses,
  fail,
  type Probe,
  pass,
  round,
  run,
  withFindings,
} from './checks.ts';
import {
  attach,
  EXACT_REQUESTS,
  findingsOn,
  gatewaysOn,
  gatewayWorkload,
  routeTaken,
  serverPortsFor,
} from './checks-routing.ts';
import type { CheckResult, GradeContext } from './types.ts';

const gatewayName = (g: Gateway): string => `${g.namespace}/${g.name}`;

function describeServer(s: Server): string {
  return `${s.port?.number ?? '?'}/${(s.port?.protocol ?? '?').toUpperCase()}`;
}

export interface GatewayServerSpec {
  /** the gateway workload, e.g. istio-ingressgateway */
  workload: string;
  /** a host the server must accept */
  host: string;
  /** the port clients connect to on the gateway's Service (80, 443): the server may use it or its targetPort */
  clientPort: number;
  /** accepted protocols (upper case) */
  protocols: readonly string[];
  tls?: { mode: string; credentialName?: string };
}

export interface FoundServer {
  gateway: Gateway;
  server: Server;
  /** `ns/name`, the routing context of the VirtualServices bound to it */
  ref: string;
}

/**
 * A Gateway on the workload has a server for the host on the port, with the
 * protocol and TLS settings asked for. Structural: the simulator does not model
 * TLS. A failure names the closest server and what differs.
 */
export function findGatewayServer(
  ctx: GradeContext,
  want: GatewayServerSpec,
): { found?: FoundServer; result: CheckResult } {
  const w = gatewayWorkload(ctx, want.workload);
  if (!w) return { result: fail(`no ${want.workload} workload is known, so no Gateway can run on it`) };
  const labels = Object.entries(w.labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const gateways = gatewaysOn(ctx, w);
  const allGateways = ctx.snapshot.gateways.filter((g) => !g.origin.builtin);
  if (gateways.length === 0) {
    const seen = allGateways.length
      ? ` (selectors seen: ${allGateways.map((g) => `${gatewayName(g)} ${JSON.stringify(g.spec.selector ?? {})}`).join(', ')})`
      : '';
    return {
      result: attach(
        fail(
          `no Gateway selects the ${want.workload} pods (their labels: ${labels})${seen}: no proxy listens for your traffic`,
        ),
        findingsOn(
          ctx,
          allGateways.map((g) => `Gateway ${gatewayName(g)}`),
        ),
      ),
    };
  }
  const ports = serverPortsFor(ctx, w, want.clientPort);
  const portText = ports.join(' or ');
  let best: { stage: number; reason: string } = {
    stage: -1,
    reason: `no server of ${gateways.map(gatewayName).join(', ')} listens on port ${portText} (servers: ${gateways
      .flatMap((g) => (g.spec.servers ?? []).map(describeServer))
      .join(', ')})`,
  };
  for (const g of gateways) {
    for (const s of g.spec.servers ?? []) {
      const n = s.port?.number;
      if (n === undefined || !ports.includes(n)) continue;
      const where = `Gateway ${gatewayName(g)} port ${n}`;
      const hosts = (s.hosts ?? []).map((h) => splitGatewayHost(h).host.toLowerCase());
      let stage = 0;
      let reason = '';
      const protocol = (s.port?.protocol ?? '').toUpperCase();
      const mode = (s.tls?.mode ?? '').toUpperCase();
      const creds = [s.tls?.credentialName, ...(s.tls?.credentialNames ?? [])].filter(
        (c): c is string => !!c,
      );
      if (!hosts.some((h) => hostCovers(h, want.host))) {
        reason = `${where} accepts hosts ${hosts.join(', ') || '(none)'}, not ${want.host}`;
      } else if (!want.protocols.includes(protocol)) {
        stage = 1;
        reason = `${where} uses protocol ${protocol || '(none)'}, expected ${want.protocols.join(' or ')}`;
      } else if (want.tls && mode !== want.tls.mode) {
        stage = 2;
        reason = `${where} has tls.mode ${mode || '(none)'}, expected ${want.tls.mode}`;
      } else if (want.tls?.credentialName && !creds.includes(want.tls.credentialName)) {
        stage = 3;
        reason = `${where} takes its certificate from ${creds.length ? `credentialName ${creds.join(', ')}` : 'no credentialName'}, expected the Secret ${want.tls.credentialName}`;
      } else {
        const tls = want.tls ? ` tls ${mode}${creds.length ? ` (${creds.join(', ')})` : ''}` : '';
        return {
          found: { gateway: g, server: s, ref: gatewayName(g) },
          result: pass(`${where} ${protocol}${tls} for host ${want.host} on the ${want.workload} pods`),
        };
      }
      if (stage > best.stage) best = { stage, reason };
    }
  }
  return {
    result: attach(
      fail(best.reason),
      findingsOn(
        ctx,
        gateways.map((g) => `Gateway ${gatewayName(g)}`),
      ),
    ),
  };
}

export function expectGatewayServer(ctx: GradeContext, want: GatewayServerSpec): CheckResult {
  return findGatewayServer(ctx, want).result;
}

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
        `no ServiceEntry registers ${host}${seen.length ? ` (registered hosts: ${seen.join(', ')})` : ''}: the sidecars send its traffic to the BlackHoleCluster (502)`,
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

/** Every request of the probe gets `status` (100%). */
export function expectStatus(ctx: GradeContext, probe: Probe, status: number, host?: string): CheckResult {
  const result = run(ctx, { requests: EXACT_REQUESTS, ...probe });
  const ok = result.summary.statuses.filter((s) => s.status === status).reduce((a, s) => a + s.percent, 0);
  const text = `${describeProbe(probe)}: ${describeStatuses(result)}`;
  if (Math.abs(ok - 100) < 1e-6) return pass(text);
  const rule = routeTaken(ctx, probe);
  return withFindings(ctx, fail(`${text}, expected ${status} for all${rule ? ` (${rule})` : ''}`), host);
}

/** The paths that Istio's bookinfo-gateway sample exposes, one request each (all reach productpage). */
export const BOOKINFO_GATEWAY_PATHS: readonly string[] = [
  '/productpage',
  '/static/bootstrap/css/bootstrap.min.css',
  '/login',
  '/logout',
  '/api/v1/products',
  '/api/v1/products/0/reviews',
];

/** Paths that the bookinfo-gateway sample does not expose. */
export const BOOKINFO_HIDDEN_PATHS: readonly string[] = [
  '/',
  '/reviews/0',
  '/details/0',
  '/productpage/admin',
];

/**
 * Requests through a gateway workload (`ingress`) for `authority` (`bookinfo.example.com:80`)
 * and each path reach `service` (all of them, answered 200).
 */
export function expectGatewayRoutes(
  ctx: GradeContext,
  authority: string,
  paths: readonly string[],
  service: string,
  from = 'ingress',
): CheckResult {
  const failures = new Map<string, string[]>();
  const fine: string[] = [];
  for (const path of paths) {
    const probe: Probe = { to: authority, path, from, requests: 50 };
    const result = run(ctx, probe);
    const reached = result.summary.destinations
      .filter((d) => d.service === service && d.reachedPod)
      .reduce((a, d) => a + d.percent, 0);
    const ok = result.summary.statuses.filter((s) => s.status === 200).reduce((a, s) => a + s.percent, 0);
    if (Math.abs(reached - 100) < 1e-6 && Math.abs(ok - 100) < 1e-6) {
      fine.push(path);
      continue;
    }
    const rule = routeTaken(ctx, probe);
    const got = result.summary.destinations
      .filter((d) => d.reachedPod)
      .map((d) => `${d.service} ${round(d.percent)}%`)
      .join(', ');
    const why = `${got ? `reached ${got}; ` : ''}responses ${describeStatuses(result)}, expected ${service} with 200${rule ? ` (${rule})` : ''}`;
    const list = failures.get(why);
    if (list) list.push(path);
    else failures.set(why, [path]);
  }
  if (failures.size === 0) return pass(`through ${from} for ${authority}: ${fine.join(', ')} → ${service}`);
  const r = fail(
    [...failures].map(([why, list]) => `${list.join(', ')} via ${from} for ${authority}: ${why}`).join('; '),
  );
  const related = findingsOn(
    ctx,
    [
      ...ctx.snapshot.gateways
        .filter((g) => !g.origin.builtin)
        .map((g) => `Gateway ${g.namespace}/${g.name}`),
      ...ctx.snapshot.virtualServices.map((vs) => `VirtualService ${vs.namespace}/${vs.name}`),
    ],
    ['IST0101', 'IST0132', 'ICA1005', 'ICA1006', 'IST0162', 'IST0145'],
  );
  return attach(r, related);
}

/** Requests through a gateway for each path get `status` (e.g. 404: nothing else is exposed). */
export function expectGatewayStatus(
  ctx: GradeContext,
  authority: string,
  paths: readonly string[],
  status: number,
  from = 'ingress',
): CheckResult {
  const failures = new Map<string, string[]>();
  for (const path of paths) {
    const probe: Probe = { to: authority, path, from, requests: 50 };
    const result = run(ctx, probe);
    const ok = result.summary.statuses.filter((s) => s.status === status).reduce((a, s) => a + s.percent, 0);
    if (Math.abs(ok - 100) < 1e-6) continue;
    const rule = routeTaken(ctx, probe);
    const why = `${describeStatuses(result)}${rule ? ` (${rule})` : ''}`;
    const list = failures.get(why);
    if (list) list.push(path);
    else failures.set(why, [path]);
  }
  if (failures.size === 0) return pass(`through ${from} for ${authority}: ${paths.join(', ')} get ${status}`);
  return fail(
    [...failures]
      .map(([why, list]) => `${list.join(', ')} via ${from} for ${authority}: ${why}, expected ${status}`)
      .join('; '),
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
      `${describeProbe(probe)}: ${host} is registered on port ${ports.join(', ') || '(none)'} only, so the sidecar has no route for ${host}:${port} and sends the calls to the BlackHoleCluster (502)`,
    ),
    findingsOn(
      ctx,
      ctx.snapshot.serviceEntriesFor(host).map((se) => `ServiceEntry ${se.namespace}/${se.name}`),
    ),
  );
}
