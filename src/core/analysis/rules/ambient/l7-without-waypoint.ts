// L7 configuration that ambient workloads never get: a VirtualService, or an HTTPRoute
// whose parent is a Service, for a Service in ambient that no waypoint serves (ICA1301), and an AuthorizationPolicy
// with HTTP attributes enforced by ztunnel, because it selects ambient workloads
// instead of attaching to a waypoint with targetRefs (ICA1302).
import { ambientOf } from '../../../config/ambient.ts';
import { toFqdn } from '../../../config/hosts.ts';
import { meshRoutes } from '../../../config/http-route.ts';
import type { Kind, Resource } from '../../../config/resource.ts';
import { ROOT_NAMESPACE } from '../../../config/security-policies.ts';
import { labelsMatch, type Workload } from '../../../config/snapshot.ts';
import { httpAttributes } from '../../../config/ztunnel-authz.ts';
import type { Rule } from '../../rule.ts';

/** `reviews-v1, reviews-v2 and 1 more` */
function names(ws: Workload[]): string {
  const all = [...new Set(ws.map((w) => w.name))].sort();
  return all.length > 3 ? `${all.slice(0, 3).join(', ')} and ${all.length - 3} more` : all.join(', ');
}

export const l7WithoutWaypoint: Rule = {
  name: 'ambient.l7-without-waypoint',
  description:
    'VirtualServices, HTTPRoutes for a Service and HTTP authorization rules for ambient workloads that no waypoint applies (ztunnel is L4 only).',
  reads: ['VirtualService', 'AuthorizationPolicy', 'Service', 'Pod', 'Deployment', 'Namespace'],
  readsGatewayApi: true,
  codes: ['ICA1301', 'ICA1302'],
  run(ctx) {
    const s = ctx.snapshot;
    // both codes are about pods in ambient: with none (most inputs), nothing to look up per host
    const workloads = s.workloadsMatching({});
    if (!workloads.some((w) => w.dataplane === 'ambient')) return;
    const model = ambientOf(s);
    /** the Service's pods in ambient when no waypoint serves it (else none) */
    const unserved = (fqdn: string): Workload[] => {
      const svc = s.service(fqdn);
      if (!svc || model.serviceWaypoint(fqdn)) return [];
      return s.endpoints(svc).filter((w) => w.dataplane === 'ambient');
    };
    for (const vs of s.virtualServices) {
      if (!s.gatewayRefs(vs).includes('mesh') || (vs.spec.http?.length ?? 0) === 0) continue;
      (vs.spec.hosts ?? []).forEach((h, i) => {
        const fqdn = toFqdn(h, vs.namespace);
        const pods = unserved(fqdn);
        if (pods.length > 0)
          ctx.report('ICA1301', { kind: 'VirtualService', host: fqdn, pods: names(pods) }, vs, [
            'spec',
            'hosts',
            i,
          ]);
      });
    }
    // An HTTPRoute for a Service: one translated route per parent Service (config/http-route.ts)
    const reported = new Set<string>();
    for (const route of meshRoutes(s)) {
      if ((route.spec.http?.length ?? 0) === 0) continue;
      const fqdn = route.spec.hosts?.[0];
      const key = `${route.namespace}/${route.name} ${fqdn}`;
      if (!fqdn || reported.has(key)) continue;
      const pods = unserved(fqdn);
      if (pods.length === 0) continue;
      reported.add(key);
      // an HTTPRoute or a GRPCRoute (both translate into http rules)
      const kind = route.raw.kind === 'GRPCRoute' ? 'GRPCRoute' : 'HTTPRoute';
      const asWritten: Resource = { ...route, kind: kind as Kind };
      ctx.report('ICA1301', { kind, host: fqdn, pods: names(pods) }, asWritten, ['spec', 'parentRefs']);
    }
    for (const p of s.authorizationPolicies) {
      const action = p.spec.action ?? 'ALLOW';
      if (action !== 'ALLOW' && action !== 'DENY') continue;
      if (p.spec.targetRef || (p.spec.targetRefs?.length ?? 0) > 0) continue;
      const rules = p.spec.rules ?? [];
      const l7 = rules
        .map((r, i) => ({ i, attributes: httpAttributes(r) }))
        .filter((x) => x.attributes.length);
      if (l7.length === 0) continue;
      const selector = p.spec.selector?.matchLabels;
      const pods = workloads.filter(
        (w) =>
          w.dataplane === 'ambient' &&
          (p.namespace === ROOT_NAMESPACE || w.namespace === p.namespace) &&
          labelsMatch(selector, w.labels),
      );
      if (pods.length === 0) continue;
      const which = l7.map((x) => `rules[${x.i}]`).join(', ');
      const effect =
        action === 'DENY'
          ? `the HTTP attributes are ignored, so ${which} ${l7.length === 1 ? 'denies' : 'deny'} whole connections`
          : l7.length === rules.length
            ? 'every rule is dropped, so it allows nothing: every connection is reset'
            : `${which} ${l7.length === 1 ? 'is' : 'are'} dropped, so less is allowed than written`;
      const attributes = [...new Set(l7.flatMap((x) => x.attributes))].sort().join(', ');
      ctx.report('ICA1302', { action, attributes, pods: names(pods), effect }, p, [
        'spec',
        'rules',
        l7[0]!.i,
      ]);
    }
  },
};
