// Grader building blocks: which rule routes a request, in words, for failing
// reasons (the VirtualService rule and its match, the default route, a
// ServiceEntry, the BlackHoleCluster, or why a gateway has no route).
import { hostCovers, splitGatewayHost, toFqdn } from '../config/hosts.ts';
import type { HttpMatch, StringMatch } from '../config/schemas/index.ts';
import { meshFor, routeRequest } from '../sim/index.ts';
import type { Probe } from './checks.ts';
import { gatewayWorkload, serverPortsFor } from './checks-gateways.ts';
import type { GradeContext } from './types.ts';

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
      if (d.rule.where === 'PassthroughCluster') {
        const sc = mesh.entry(caller, req).sidecar;
        return sc?.hides
          ? `passed through: Sidecar ${sc.ref} does not import ${req.host}, and unknown hosts pass through (ALLOW_ANY)`
          : 'passed through to the unregistered host (ALLOW_ANY)';
      }
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
        ? `refused by the sidecar: ${why}`
        : `refused by the sidecar: the mesh is REGISTRY_ONLY and no ServiceEntry registers ${req.host}`;
    }
    if (d.refused)
      return routeRequest(ctx.snapshot, {
        to: probe.to,
        ...(probe.path ? { path: probe.path } : {}),
        ...(probe.from ? { from: probe.from } : {}),
      }).reason;
    if (d.status !== 404) return undefined;
    return caller.gateway
      ? whyNoGatewayRoute(ctx, caller, req.host, req.port)
      : 'no rule matches the request';
  } catch {
    return undefined;
  }
}
