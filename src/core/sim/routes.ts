// VirtualService HTTP rules compiled for the router: matches, weighted
// destinations (normalized as Istio does), faults, timeouts, retries, mirrors.
import { toFqdn } from '../config/hosts.ts';
import type { HttpRoute } from '../config/schemas/index.ts';
import type { Snapshot, VirtualService } from '../config/snapshot.ts';
import type { ClusterBuilder } from './clusters.ts';
import { compileRuleMatch, type RequestPredicate } from './match.ts';
import {
  compileFault,
  compileRetry,
  durationOrZero,
  type FaultPolicy,
  fraction,
  type RetryPolicy,
} from './route-policy.ts';
import { compileTransform, type RequestTransform } from './transform.ts';
import { type Cluster, F } from './types.ts';

export interface Mirror {
  cluster: Cluster;
  /** 0..1 */
  fraction: number;
}

export interface CompiledRule {
  /** `VirtualService default/reviews http[0]` (or `default route` when no VirtualService applies) */
  where: string;
  match: RequestPredicate | undefined;
  action: 'route' | 'local' | 'delegate';
  /** the status of a redirect or direct response */
  status: number;
  /** response flags of a local reply (NC for a rule without destinations) */
  localFlags: number;
  clusters: Cluster[];
  /** cumulative normalized weights, last one 1 */
  cumulative: number[];
  fault: FaultPolicy | undefined;
  timeoutMs: number;
  retry: RetryPolicy | null;
  mirrors: Mirror[];
  delegate?: CompiledRule[];
  /** rewrite and request header changes, when the rule has any */
  transform?: RequestTransform;
}

export function compileVirtualService(
  vs: VirtualService,
  snapshot: Snapshot,
  clusters: ClusterBuilder,
  port: number,
  depth = 0,
): CompiledRule[] {
  const out: CompiledRule[] = [];
  (vs.spec.http ?? []).forEach((r, i) => {
    out.push(
      compileRule(
        r,
        `VirtualService ${vs.namespace}/${vs.name} http[${i}]`,
        vs,
        snapshot,
        clusters,
        port,
        depth,
      ),
    );
  });
  return out;
}

function compileRule(
  r: HttpRoute,
  where: string,
  vs: VirtualService,
  snapshot: Snapshot,
  clusters: ClusterBuilder,
  port: number,
  depth: number,
): CompiledRule {
  const rule: CompiledRule = {
    where,
    match: compileRuleMatch(r.match, vs.namespace),
    action: 'route',
    status: 0,
    localFlags: 0,
    clusters: [],
    cumulative: [],
    fault: compileFault(r.fault),
    timeoutMs: durationOrZero(r.timeout),
    retry: compileRetry(r.retries),
    mirrors: [],
  };
  if (r.redirect) {
    rule.action = 'local';
    rule.status = r.redirect.redirectCode ?? 301;
    return rule;
  }
  if (r.directResponse) {
    rule.action = 'local';
    rule.status = r.directResponse.status ?? 200;
    return rule;
  }
  if (r.delegate) {
    rule.action = 'delegate';
    const ns = r.delegate.namespace ?? vs.namespace;
    const target = snapshot.virtualServices.find((v) => v.name === r.delegate?.name && v.namespace === ns);
    rule.delegate =
      target && depth < 4 ? compileVirtualService(target, snapshot, clusters, port, depth + 1) : [];
    return rule;
  }
  const dests = (r.route ?? []).filter((d) => d.destination?.host);
  const resolve = (host: string, subset: string | undefined, p: number | undefined): Cluster => {
    const fqdn = toFqdn(host, vs.namespace);
    const svc = snapshot.service(fqdn);
    const chosen =
      p ??
      (svc && svc.ports.length > 0 && !svc.ports.some((x) => x.port === port) ? svc.ports[0]?.port : port);
    return clusters.cluster(fqdn, subset, chosen);
  };
  // A lone destination gets all traffic whatever its weight; otherwise 0-weight ones are
  // dropped and each other one gets weight/sum (pilot route.go applyHTTPRouteDestination).
  let weighted = dests.length === 1 ? dests : dests.filter((d) => (d.weight ?? 0) > 0);
  if (weighted.length === 0) weighted = dests.slice(0, 1);
  const total = weighted.length === 1 ? 1 : weighted.reduce((s, d) => s + (d.weight ?? 0), 0);
  let acc = 0;
  for (const d of weighted) {
    const dest = d.destination!;
    rule.clusters.push(resolve(dest.host!, dest.subset, dest.port?.number));
    acc += weighted.length === 1 ? 1 : (d.weight ?? 0) / total;
    rule.cumulative.push(acc);
  }
  const transform = compileTransform(
    r,
    weighted.map((d) => d.headers),
    vs.namespace,
  );
  if (transform) rule.transform = transform;
  if (rule.cumulative.length > 0) rule.cumulative[rule.cumulative.length - 1] = 1;
  else {
    rule.action = 'local';
    rule.status = 503;
    rule.localFlags = F.NC;
  }
  if (r.mirror?.host) {
    // mirrorPercentage absent = 100%, an explicit 0 turns mirroring off
    const f = r.mirrorPercentage ? fraction(r.mirrorPercentage.value ?? 0) : 1;
    rule.mirrors.push({
      cluster: resolve(r.mirror.host, r.mirror.subset, r.mirror.port?.number),
      fraction: f,
    });
  }
  for (const m of r.mirrors ?? []) {
    const d = m.destination;
    if (!d?.host) continue;
    const f = m.percentage ? fraction(m.percentage.value ?? 0) : 1;
    rule.mirrors.push({ cluster: resolve(d.host, d.subset, d.port?.number), fraction: f });
  }
  return rule;
}

/** The route Istio generates for a host without a VirtualService (default retry policy). */
export function defaultRule(cluster: Cluster, where = 'default route'): CompiledRule {
  return {
    where,
    match: undefined,
    action: 'route',
    status: 0,
    localFlags: 0,
    clusters: [cluster],
    cumulative: [1],
    fault: undefined,
    timeoutMs: 0,
    retry: compileRetry(undefined),
    mirrors: [],
  };
}

/** Picks a destination by normalized weight (its index in `rule.clusters`). */
export function pickIndex(rule: CompiledRule, u: number): number {
  const cum = rule.cumulative;
  for (let i = 0; i < cum.length - 1; i++) if (u < cum[i]!) return i;
  return cum.length - 1;
}

/** Picks a destination by normalized weight. */
export function pickCluster(rule: CompiledRule, u: number): Cluster {
  return rule.clusters[pickIndex(rule, u)]!;
}
