// Grader building blocks: reading the configuration to explain a failed behaviour check.
import { toFqdn } from '../config/hosts.ts';
import type { HttpRoute } from '../config/schemas/index.ts';
import type { DestinationRule, VirtualService } from '../config/snapshot.ts';
import { round } from './checks.ts';
import type { GradeContext } from './types.ts';

// ---------------------------------------------------------------- the configuration, to explain failures

/** An HTTP rule of a VirtualService that sidecars apply to `host`. */
export interface MeshRoute {
  vs: VirtualService;
  index: number;
  rule: HttpRoute;
  /** `VirtualService default/ratings http[0]` */
  where: string;
}

/** The HTTP rules of the mesh-bound VirtualServices whose hosts include `host` (short name or FQDN). */
export function meshRoutes(ctx: GradeContext, host: string): MeshRoute[] {
  const fqdn = toFqdn(host, ctx.namespace);
  const out: MeshRoute[] = [];
  for (const vs of ctx.snapshot.virtualServices) {
    if (!ctx.snapshot.gatewayRefs(vs).includes('mesh')) continue;
    if (!(vs.spec.hosts ?? []).some((h) => toFqdn(h, vs.namespace) === fqdn)) continue;
    (vs.spec.http ?? []).forEach((rule, index) => {
      if (rule)
        out.push({ vs, index, rule, where: `VirtualService ${vs.namespace}/${vs.name} http[${index}]` });
    });
  }
  return out;
}

export function matchText(rule: HttpRoute): string {
  const parts: string[] = [];
  for (const m of rule.match ?? []) {
    const one: string[] = [];
    for (const [name, sm] of Object.entries(m?.headers ?? {})) {
      const [kind, value] = Object.entries(sm ?? {})[0] ?? ['?', ''];
      one.push(`header ${name} ${kind} "${value}"`);
    }
    if (m?.uri) {
      const [kind, value] = Object.entries(m.uri)[0] ?? ['?', ''];
      one.push(`uri ${kind} "${value}"`);
    }
    if (m?.sourceLabels)
      one.push(
        `from pods ${Object.entries(m.sourceLabels)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}`,
      );
    if (one.length === 0) one.push('a match');
    parts.push(one.join(' and '));
  }
  return parts.length ? ` (only for requests with ${parts.join(' or ')})` : '';
}

function percentNote(value: number | undefined, legacy?: number): string {
  if (value === undefined && legacy === undefined)
    return ' with no percentage, so it never fires (an omitted percentage means 0%)';
  const v = value ?? legacy ?? 0;
  if (v === 0) return ' at 0%, so it never fires';
  if (v < 1) return ` at ${v}% (percentage.value is a percent from 0 to 100, not a fraction)`;
  return ` for ${v}% of requests`;
}

/** One line per fault on the routes for `host`, noting faults that can never fire. */
export function describeFaults(ctx: GradeContext, host: string): string {
  const routes = meshRoutes(ctx, host);
  if (routes.length === 0) {
    const elsewhere = faultsElsewhere(ctx, host);
    return `no VirtualService for ${host} exists, so nothing injects faults into its requests${elsewhere}`;
  }
  const lines: string[] = [];
  for (const r of routes) {
    const f = r.rule.fault;
    if (!f) continue;
    const parts: string[] = [];
    if (f.delay)
      parts.push(
        `delay ${f.delay.fixedDelay ?? '(no fixedDelay)'}${percentNote(f.delay.percentage?.value, f.delay.percent)}`,
      );
    if (f.abort)
      parts.push(
        `abort ${f.abort.httpStatus ?? f.abort.grpcStatus ?? '(no status)'}${percentNote(f.abort.percentage?.value)}`,
      );
    lines.push(`${r.where}: ${parts.join('; ')}${matchText(r.rule)}`);
  }
  if (lines.length === 0)
    return `no rule of ${[...new Set(routes.map((r) => `VirtualService ${r.vs.namespace}/${r.vs.name}`))].join(', ')} has a fault${faultsElsewhere(ctx, host)}`;
  return lines.join('; ');
}

function faultsElsewhere(ctx: GradeContext, host: string): string {
  const fqdn = toFqdn(host, ctx.namespace);
  const other = ctx.snapshot.virtualServices.filter(
    (vs) =>
      !(vs.spec.hosts ?? []).some((h) => toFqdn(h, vs.namespace) === fqdn) &&
      (vs.spec.http ?? []).some((r) => r?.fault),
  );
  if (other.length === 0) return '';
  return ` (faults are configured for ${other.map((vs) => (vs.spec.hosts ?? []).join(', ')).join('; ')} instead: a fault applies to requests for the hosts of its own VirtualService)`;
}

type PolicyField = 'outlierDetection' | 'connectionPool';

/** The DestinationRules whose host is `host` (short name or FQDN). */
export function destinationRules(ctx: GradeContext, host: string): DestinationRule[] {
  return ctx.snapshot.destinationRulesFor(toFqdn(host, ctx.namespace));
}

/**
 * Where the DestinationRules for `host` set a policy field: at the top, for a port,
 * or on subsets (and whether any route uses those subsets). For failing reasons.
 */
export function describePolicy(ctx: GradeContext, host: string, field: PolicyField): string {
  const fqdn = toFqdn(host, ctx.namespace);
  const drs = destinationRules(ctx, host);
  const label = field === 'outlierDetection' ? 'outlier detection' : 'a connection pool';
  const others = ctx.snapshot.destinationRules.filter(
    (dr) =>
      !dr.origin.builtin &&
      !drs.includes(dr) &&
      (dr.spec.trafficPolicy?.[field] || (dr.spec.subsets ?? []).some((s) => s?.trafficPolicy?.[field])),
  );
  const elsewhere = others.length
    ? ` (the DestinationRule${others.length > 1 ? 's' : ''} with ${label}: ${others.map((d) => `${d.namespace}/${d.name} for host ${d.spec.host}`).join(', ')}; a DestinationRule applies to its own host only)`
    : '';
  if (drs.length === 0) return `no DestinationRule for ${host} sets ${label}${elsewhere}`;
  const ports = ctx.snapshot.service(fqdn)?.ports.map((p) => p.port) ?? [];
  const used = usedSubsets(ctx, host);
  const lines: string[] = [];
  for (const dr of drs) {
    const name = `DestinationRule ${dr.namespace}/${dr.name}`;
    const tp = dr.spec.trafficPolicy;
    if (tp?.[field]) {
      // port-level settings replace the whole top-level policy on their port (pilot does not merge)
      const replaced = (tp.portLevelSettings ?? [])
        .filter((pl) => pl?.port?.number !== undefined && !pl[field])
        .map((pl) => pl?.port?.number as number)
        .filter((n) => ports.length === 0 || ports.includes(n));
      lines.push(
        replaced.length
          ? `${name} sets ${label}${settings(tp[field])} at the top level, but its portLevelSettings for port ${replaced.join(', ')} replace the whole top-level trafficPolicy on that port (Istio does not merge them) and set no ${label}: requests to ${host} on port ${replaced.join(', ')} get none`
          : `${name} sets ${label}${settings(tp[field])} for every request to ${host}`,
      );
    }
    for (const pl of tp?.portLevelSettings ?? []) {
      if (!pl?.[field]) continue;
      const n = pl.port?.number;
      lines.push(
        n !== undefined && ports.length && !ports.includes(n)
          ? `${name} sets ${label} for port ${n}, but ${host} listens on ${ports.join(', ')}: the setting never applies`
          : `${name} sets ${label} for port ${n ?? '?'}`,
      );
    }
    for (const s of dr.spec.subsets ?? []) {
      if (!s?.trafficPolicy?.[field]) continue;
      lines.push(
        used.has(s.name ?? '')
          ? `${name} sets ${label} on subset ${s.name} only`
          : `${name} sets ${label} on subset ${s.name} only, and no route sends traffic to that subset: the setting never applies`,
      );
    }
  }
  if (lines.length === 0) return `no DestinationRule for ${host} sets ${label}${elsewhere}`;
  if (field === 'outlierDetection') {
    const off = drs.some((dr) =>
      [
        dr.spec.trafficPolicy?.outlierDetection,
        ...(dr.spec.trafficPolicy?.portLevelSettings ?? []).map((p) => p?.outlierDetection),
      ].some(
        (od) => od && od.consecutive5xxErrors === 0 && !od.consecutiveGatewayErrors && !od.consecutiveErrors,
      ),
    );
    if (off)
      lines.push(
        'consecutive5xxErrors 0 turns the detection of 5xx errors off, so no pod is ever ejected for them',
      );
    const pods = podCount(ctx, host);
    const limits = drs.flatMap((dr) =>
      [
        dr.spec.trafficPolicy?.outlierDetection,
        ...(dr.spec.trafficPolicy?.portLevelSettings ?? []).map((p) => p?.outlierDetection),
        ...(dr.spec.subsets ?? []).map((x) => x?.trafficPolicy?.outlierDetection),
      ]
        .filter((od) => od !== undefined && od !== null)
        .map((od) => od?.maxEjectionPercent),
    );
    if (pods > 0 && limits.length > 0 && limits.every((m) => (m ?? 10) < 100 / pods))
      lines.push(
        `maxEjectionPercent ${limits.some((m) => m === undefined) ? 'is not set, so Envoy uses 10%' : `${limits[0]}%`}: ${host} has ${pods} pods, so ejecting even one (${round(100 / pods)}%) is over the limit and Envoy (1.28 and later) ejects none`,
      );
  }
  if (field === 'connectionPool') {
    const pools = drs.flatMap((dr) => [
      dr.spec.trafficPolicy?.connectionPool,
      ...(dr.spec.trafficPolicy?.portLevelSettings ?? []).map((p) => p?.connectionPool),
      ...(dr.spec.subsets ?? []).map((s) => s?.trafficPolicy?.connectionPool),
    ]);
    const rejects = pools.some((p) => p?.http?.http1MaxPendingRequests || p?.http?.http2MaxRequests);
    if (!rejects)
      lines.push(
        'with neither http1MaxPendingRequests nor http2MaxRequests, extra requests wait in the queue for a connection instead of being rejected',
      );
  }
  return lines.join('; ');
}

/** ` (maxConnections 1, http1MaxPendingRequests 1)`: the numeric and duration settings of a policy. */
function settings(policy: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') out.push(`${k} ${x}`);
      else walk(x);
    }
  };
  walk(policy);
  return out.length ? ` (${out.join(', ')})` : '';
}

/** Pods behind the Service `host` (replicas of its workloads). */
function podCount(ctx: GradeContext, host: string): number {
  const svc = ctx.snapshot.service(toFqdn(host, ctx.namespace));
  if (!svc) return 0;
  return ctx.snapshot
    .endpoints(svc)
    .reduce((n, w) => n + (w.resource.kind === 'Pod' ? 1 : Math.max(0, w.replicas)), 0);
}

/**
 * Subsets of `host` that some route sends traffic to: a route's lone destination, or one
 * with a weight above 0 (pilot drops 0-weight destinations when a route has several).
 */
export function usedSubsets(ctx: GradeContext, host: string): Set<string> {
  const fqdn = toFqdn(host, ctx.namespace);
  const out = new Set<string>();
  for (const vs of ctx.snapshot.virtualServices) {
    for (const r of vs.spec.http ?? []) {
      const route = (r?.route ?? []).filter((d) => d?.destination?.host);
      for (const d of route) {
        const dest = d?.destination;
        if (route.length > 1 && (d?.weight ?? 0) <= 0) continue;
        if (dest?.host && dest.subset && toFqdn(dest.host, vs.namespace) === fqdn) out.add(dest.subset);
      }
    }
  }
  return out;
}
