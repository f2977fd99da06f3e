// Grader building blocks for the routing labs (see checks.ts for the shared ones,
// checks-edge.ts for gateways, TLS routes and ServiceEntries): several request
// shapes at once, what /productpage shows, routes pinned to a version.
import type { Finding } from '../analysis/finding.ts';
import { hostCovers, splitGatewayHost, toFqdn } from '../config/hosts.ts';
import type { HttpMatch, StringMatch } from '../config/schemas/index.ts';
import { type Gateway, labelsMatch, type Workload } from '../config/snapshot.ts';
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
import { describeMargin, shareMargin, withinShare } from './margin.ts';
import type { CheckResult, GradeContext } from './types.ts';

// kept importable from here for the graders and modules that used it from this file
export { describeProbe };

/** Requests enough to tell "always" from "almost always" (a deterministic 0% / 100% split). */
export const EXACT_REQUESTS = 200;

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

/** Requests to `service` for each path (no headers) must all reach the versions in `expected`. */
export function expectPaths(
  ctx: GradeContext,
  service: string,
  paths: readonly string[],
  expected: Record<string, number>,
): CheckResult {
  return expectCases(
    ctx,
    service,
    paths.map((path) => ({ probe: { to: service, path }, expected })),
  );
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
/**
 * The subsets of `fqdn` the probe's requests were sent to: as the simulated
 * requests went, or, for measured traffic (whose records name no Envoy cluster),
 * as the configuration routes them.
 */
function subsetsTaken(
  ctx: GradeContext,
  probe: Probe,
  result: SimResult,
  fqdn: string,
): Set<string | undefined> {
  if (result.records.some((r) => r.cluster !== undefined))
    return new Set(result.records.map((r) => r.subset));
  try {
    const routed = routeRequest(ctx.snapshot, {
      to: probe.to,
      namespace: ctx.namespace,
      ...(probe.path ? { path: probe.path } : {}),
      ...(probe.headers ? { headers: probe.headers } : {}),
      ...(probe.from ? { from: probe.from } : {}),
    });
    return new Set(routed.destinations.filter((d) => d.host === fqdn && d.share > 0).map((d) => d.subset));
  } catch {
    return new Set([undefined]);
  }
}

export function routeTaken(ctx: GradeContext, probe: Probe): string | undefined {
  try {
    const mesh = meshFor(ctx.snapshot);
    const caller = mesh.caller(probe.from, ctx.namespace);
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
  const n = result.records.filter((r) => r.page).length;
  const margin = (k: PageLook) => shareMargin(expected[k] ?? 0, n, tolerance);
  const off = [...keys].filter((k) => !withinShare(looks[k] ?? 0, expected[k] ?? 0, n, tolerance));
  const who = full.headers?.['end-user'] ? ` for ${full.headers['end-user']}` : '';
  const want = `${describeLooks(expected)}${describeMargin(Math.max(0, ...[...keys].map(margin)), n, tolerance)}`;
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
    const subsets = subsetsTaken(ctx, probe, result, fqdn);
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

export function attach(result: CheckResult, findings: readonly Finding[]): CheckResult {
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
