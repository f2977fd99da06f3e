// Grader building blocks for the routing labs (see checks.ts for the shared ones):
// several request shapes at once, what /productpage shows, routes pinned to a
// version, Gateway servers on a gateway workload, TLS (SNI) routes and
// ServiceEntry ports. Behaviour first; the structural helpers cover what the
// simulator does not model (TLS termination and SNI routing, ServiceEntry ports).
import type { Finding } from '../analysis/finding.ts';
import { gatewayRef, hostCovers, splitGatewayHost, toFqdn } from '../config/hosts.ts';
import type { HttpMatch, Server, StringMatch, TlsRoute } from '../config/schemas/index.ts';
import { type Gateway, labelsMatch, type VirtualService, type Workload } from '../config/snapshot.ts';
import { meshFor, routeRequest, type SimResult } from '../sim/index.ts';
import {
  all,
  DEFAULT_REQUESTS,
  describeProbe,
  describeShares,
  describeStatuses,
  expectSplit,
  fail,
  type Probe,
  pass,
  round,
  run,
  versionShares,
  withFindings,
} from './checks.ts';
import type { CheckResult, GradeContext } from './types.ts';

// kept importable from here for the graders and modules that used it from this file
export { describeProbe };

/** Requests enough to tell "always" from "almost always" (a deterministic 0% / 100% split). */
const EXACT_REQUESTS = 200;

/** One request shape and how its traffic must split by version. */
export interface RouteCase {
  probe: Probe;
  /** percent per version of the service; versions not named must get nothing */
  expected: Record<string, number>;
}

/** Each finding once (combined checks attach the same findings several times). */
export function dedupeFindings(result: CheckResult): CheckResult {
  if (!result.findings?.length) return result;
  const seen = new Set<string>();
  const findings = result.findings.filter((f) => {
    const key = `${f.code}|${f.file ?? ''}|${f.line ?? ''}|${f.path ?? ''}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...result, findings };
}

/** `all` with each finding shown once. */
export function allOf(...results: CheckResult[]): CheckResult {
  return dedupeFindings(all(...results));
}

/**
 * Several request shapes at once (paths, headers): each must split by version as
 * expected. A failure lists only the shapes that went wrong.
 */
export function expectCases(
  ctx: GradeContext,
  service: string,
  cases: readonly RouteCase[],
  tolerance = 3,
): CheckResult {
  const results = cases.map((c) => {
    const exact = Object.values(c.expected).every((p) => p === 0 || p === 100);
    const probe =
      c.probe.requests === undefined
        ? { ...c.probe, requests: exact ? EXACT_REQUESTS : DEFAULT_REQUESTS }
        : c.probe;
    const r = expectSplit(ctx, probe, service, c.expected, tolerance);
    if (r.pass) return r;
    const rule = routeTaken(ctx, probe);
    return rule ? { ...r, reason: `${r.reason} (${rule})` } : r;
  });
  return dedupeFindings(all(...results));
}

function describeStringMatch(m: StringMatch | undefined): string {
  if (!m) return '';
  if (m.exact !== undefined) return `exact ${m.exact}`;
  if (m.prefix !== undefined) return `prefix ${m.prefix}`;
  if (m.regex !== undefined) return `regex ${m.regex}`;
  return 'present';
}

function describeMatch(m: HttpMatch): string {
  const parts: string[] = [];
  if (m.uri) parts.push(`uri ${describeStringMatch(m.uri)}`);
  for (const [k, v] of Object.entries(m.headers ?? {})) parts.push(`header ${k} ${describeStringMatch(v)}`);
  for (const [k, v] of Object.entries(m.queryParams ?? {}))
    parts.push(`query ${k} ${describeStringMatch(v)}`);
  if (m.method) parts.push(`method ${describeStringMatch(m.method)}`);
  if (m.authority) parts.push(`authority ${describeStringMatch(m.authority)}`);
  if (m.gateways?.length) parts.push(`gateways ${m.gateways.join(',')}`);
  if (m.port !== undefined) parts.push(`port ${m.port}`);
  if (m.sourceLabels) parts.push(`sourceLabels ${JSON.stringify(m.sourceLabels)}`);
  return parts.join(' and ') || 'everything';
}

/** `VirtualService default/reviews http[1]` with what its match asks for. */
function describeRuleAt(ctx: GradeContext, where: string): string {
  const m = /^VirtualService ([^/]+)\/(\S+) http\[(\d+)\]$/.exec(where);
  if (!m) return where;
  const vs = ctx.snapshot.virtualServices.find((v) => v.namespace === m[1] && v.name === m[2]);
  const rule = vs?.spec.http?.[Number(m[3])];
  if (!rule) return where;
  const matches = rule.match ?? [];
  return matches.length === 0
    ? `${where}, the rule without match`
    : `${where}, match ${matches.map(describeMatch).join(' or ')}`;
}

const HTTP_SERVER_PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-WEB'];

/** Why a gateway has no route for host:port: no Gateway, no server, no bound VirtualService, or no matching rule. */
function whyNoGatewayRoute(
  ctx: GradeContext,
  caller: { name: string; contexts: string[] },
  host: string,
  port: number,
): string {
  if (caller.contexts.length === 0) return `no Gateway selects the ${caller.name} pods`;
  const w = gatewayWorkload(ctx, caller.name);
  const ports = w ? serverPortsFor(ctx, w, port) : [port];
  const accepting = caller.contexts.filter((ref) =>
    ctx.snapshot
      .gateway(ref)
      ?.spec.servers?.some(
        (srv) =>
          HTTP_SERVER_PROTOCOLS.includes((srv.port?.protocol ?? 'HTTP').toUpperCase()) &&
          (srv.port?.number === undefined || ports.includes(srv.port.number)) &&
          (srv.hosts ?? []).some((h) => hostCovers(splitGatewayHost(h).host.toLowerCase(), host)),
      ),
  );
  if (accepting.length === 0)
    return `no HTTP server of Gateway ${caller.contexts.join(', ')} accepts host ${host} on port ${ports.join(' or ')}`;
  const bound = ctx.snapshot.virtualServices.filter(
    (vs) =>
      accepting.some((ref) => ctx.snapshot.gatewayRefs(vs).includes(ref)) &&
      (vs.spec.hosts ?? []).some((h) => hostCovers(toFqdn(h, vs.namespace), host)),
  );
  if (bound.length === 0)
    return `Gateway ${accepting.join(', ')} accepts the request, but no VirtualService bound to it (gateways: [...]) has host ${host}; a VirtualService without gateways: applies to sidecars only`;
  return `no rule of VirtualService ${bound.map((vs) => `${vs.namespace}/${vs.name}`).join(', ')} matches the request`;
}

/**
 * Which rule routes a request (the first match of the caller's route table), for
 * reasons: `routed by VirtualService default/reviews http[1], the rule without match`.
 */
export function routeTaken(ctx: GradeContext, probe: Probe): string | undefined {
  try {
    const mesh = meshFor(ctx.snapshot);
    const caller = mesh.caller(probe.from);
    const req = mesh.request(
      caller,
      probe.to,
      probe.path ?? '/',
      probe.headers ?? {},
      probe.method ?? 'GET',
      !probe.from,
    );
    const d = mesh.decide(caller, req);
    if (d.kind === 'route') {
      if (d.rule.where === 'PassthroughCluster') return 'passed through to the unregistered host (ALLOW_ANY)';
      if (d.rule.where !== 'default route') return `routed by ${describeRuleAt(ctx, d.rule.where)}`;
      const entries = ctx.snapshot.service(req.host) ? [] : ctx.snapshot.serviceEntriesFor(req.host);
      return entries.length
        ? `allowed by ServiceEntry ${entries.map((se) => `${se.namespace}/${se.name} (hosts ${(se.spec.hosts ?? []).join(', ')})`).join(', ')}`
        : 'routed by the default route: no VirtualService applies';
    }
    if (d.rule) return `answered by ${describeRuleAt(ctx, d.rule.where)}`;
    if (d.cluster === 'BlackHoleCluster') {
      // the simulator's own account says which ports a ServiceEntry does register
      const why = routeRequest(ctx.snapshot, {
        to: probe.to,
        ...(probe.path ? { path: probe.path } : {}),
        ...(probe.headers ? { headers: probe.headers } : {}),
        ...(probe.from ? { from: probe.from } : {}),
      }).reason;
      return why
        ? `sent to the BlackHoleCluster: ${why}`
        : `sent to the BlackHoleCluster: the mesh is REGISTRY_ONLY and no ServiceEntry registers ${req.host}`;
    }
    if (d.status !== 404) return undefined;
    return caller.gateway
      ? whyNoGatewayRoute(ctx, caller, req.host, req.port)
      : 'no rule matches the request';
  } catch {
    return undefined;
  }
}

/** What a /productpage view shows about reviews. */
export type PageLook =
  | 'no stars'
  | 'black stars'
  | 'red stars'
  | 'ratings unavailable'
  | 'reviews unavailable';

/** Percent of /productpage views per look. */
export function pageLooks(result: SimResult): Partial<Record<PageLook, number>> {
  const counts: Partial<Record<PageLook, number>> = {};
  const pages = result.records.filter((r) => r.page);
  for (const r of pages) {
    const p = r.page!;
    const look: PageLook = !p.reviews
      ? 'reviews unavailable'
      : p.ratings === false
        ? 'ratings unavailable'
        : p.stars === 'black'
          ? 'black stars'
          : p.stars === 'red'
            ? 'red stars'
            : 'no stars';
    counts[look] = (counts[look] ?? 0) + 1;
  }
  const out: Partial<Record<PageLook, number>> = {};
  for (const [k, n] of Object.entries(counts)) out[k as PageLook] = (100 * (n ?? 0)) / pages.length;
  return out;
}

function describeLooks(looks: Partial<Record<PageLook, number>>): string {
  const entries = Object.entries(looks).filter(([, p]) => (p ?? 0) > 0);
  if (entries.length === 0) return 'no page was rendered';
  return entries
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
    .map(([k, p]) => `${k} ${round(p ?? 0)}%`)
    .join(', ');
}

/**
 * /productpage views (the probe's path defaults to /productpage) look as expected:
 * percent per look (± tolerance); looks not named must not appear.
 */
export function expectPages(
  ctx: GradeContext,
  probe: Omit<Probe, 'to'> & { to?: string },
  expected: Partial<Record<PageLook, number>>,
  tolerance = 3,
  host = 'reviews',
): CheckResult {
  const exact = Object.values(expected).every((p) => p === 0 || p === 100);
  const full: Probe = {
    to: 'productpage',
    path: '/productpage',
    requests: exact ? 300 : 4000,
    ...probe,
  };
  const result = run(ctx, full);
  const looks = pageLooks(result);
  const keys = new Set<PageLook>([
    ...(Object.keys(expected) as PageLook[]),
    ...(Object.keys(looks) as PageLook[]),
  ]);
  const off = [...keys].filter((k) => Math.abs((looks[k] ?? 0) - (expected[k] ?? 0)) > tolerance + 1e-9);
  const who = full.headers?.['end-user'] ? ` for ${full.headers['end-user']}` : '';
  const want = describeLooks(expected);
  if (off.length === 0) return pass(`/productpage views${who}: ${describeLooks(looks)} (expected ${want})`);
  const errors = result.summary.statuses.some((s) => s.status >= 400)
    ? `; responses: ${describeStatuses(result)}`
    : '';
  return withFindings(
    ctx,
    fail(`/productpage views${who}: ${describeLooks(looks)}, expected ${want}${errors}`),
    host,
  );
}

/**
 * Requests to `service` reach only `version` pods, through a subset that selects
 * pods by `version: <version>`: routing is pinned, so a new version deployed later
 * gets no traffic until a route sends it some.
 */
export function expectPinned(
  ctx: GradeContext,
  service: string,
  version: string,
  probes: readonly Probe[],
): CheckResult {
  const fqdn = toFqdn(service, ctx.namespace);
  const problems = new Map<string, Probe[]>();
  const note = (probe: Probe, text: string) => {
    const list = problems.get(text);
    if (list) list.push(probe);
    else problems.set(text, [probe]);
  };
  const fine: string[] = [];
  for (const probe of probes) {
    const result = run(ctx, { requests: EXACT_REQUESTS, ...probe });
    const shares = versionShares(result, service);
    if (Math.abs((shares[version] ?? 0) - 100) > 1e-6) {
      const errors = result.summary.statuses.some((s) => s.status >= 400)
        ? `; responses: ${describeStatuses(result)}`
        : '';
      note(probe, `${describeShares(shares)}, expected ${version} 100%${errors}`);
      continue;
    }
    const subsets = new Set(result.records.map((r) => r.subset));
    if (subsets.has(undefined)) {
      note(
        probe,
        `reach ${version} only because no other version of ${service} runs today: no route sends them to a ${version} subset, so a new version would get traffic as soon as it is deployed`,
      );
      continue;
    }
    const bad: string[] = [];
    for (const name of subsets) {
      const labels = name ? ctx.snapshot.subset(fqdn, name)?.subset.labels : undefined;
      if (labels?.version !== version) {
        const text = Object.entries(labels ?? {})
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ');
        bad.push(`subset ${name} selects ${text ? `by ${text}` : 'every pod'}, not by version: ${version}`);
      }
    }
    if (bad.length) note(probe, bad.join('; '));
    else fine.push(`${service} → subset ${[...subsets].join(', ')} (${version})`);
  }
  if (problems.size === 0) return pass([...new Set(fine)].join('; '));
  const text = [...problems]
    .map(([why, list]) => {
      const more =
        list.length > 1 ? ` (and ${list.length - 1} other request shape${list.length > 2 ? 's' : ''})` : '';
      return `${describeProbe(list[0]!)}${more}: ${why}`;
    })
    .join('; ');
  return withFindings(ctx, fail(text), service);
}

/** Findings (Warning or Error) on the given resources (`Kind ns/name`), or with the given codes. */
export function findingsOn(
  ctx: GradeContext,
  origins: readonly string[],
  codes: readonly string[] = [],
): Finding[] {
  const names = new Set(origins);
  return ctx.findings.filter(
    (f) => f.level !== 'Info' && ((f.origin !== undefined && names.has(f.origin)) || codes.includes(f.code)),
  );
}

function attach(result: CheckResult, findings: readonly Finding[]): CheckResult {
  if (result.pass || findings.length === 0) return result;
  return dedupeFindings({
    ...result,
    codes: [...new Set([...(result.codes ?? []), ...findings.map((f) => f.code)])],
    findings: [...(result.findings ?? []), ...findings],
  });
}

/** A gateway workload by name (`istio-ingressgateway`, `istio-egressgateway`). */
export function gatewayWorkload(ctx: GradeContext, name: string): Workload | undefined {
  const all = ctx.snapshot.workloadsMatching({});
  // offline the model names the Deployment; on a cluster the Pods are <deployment>-<hash>-<id>
  return (
    all.find((w) => w.name === name) ??
    all.find((w) => w.resource.kind === 'Pod' && w.name.startsWith(`${name}-`))
  );
}

/** Gateways whose selector picks the pods of `workload`. */
export function gatewaysOn(ctx: GradeContext, workload: Workload): Gateway[] {
  return ctx.snapshot.gateways.filter(
    (g) =>
      g.spec.selector &&
      Object.keys(g.spec.selector).length > 0 &&
      labelsMatch(g.spec.selector, workload.labels),
  );
}

/** Server ports of a gateway workload that receive clients' connections to `clientPort` of its Service. */
export function serverPortsFor(ctx: GradeContext, workload: Workload, clientPort: number): number[] {
  const ports = new Set([clientPort]);
  for (const svc of ctx.snapshot.services()) {
    if (svc.namespace !== workload.namespace || Object.keys(svc.selector).length === 0) continue;
    if (!labelsMatch(svc.selector, workload.labels)) continue;
    for (const p of svc.ports) if (p.port === clientPort && p.targetPort) ports.add(p.targetPort);
  }
  return [...ports].sort((a, b) => a - b);
}

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
