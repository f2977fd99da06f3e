// Instructor alerts: Istio resources one learner published that reach into another
// learner's namespace (a host of their Service, an exportTo naming their namespace, a
// Gateway of theirs to bind to). Such a resource can change the other learner's traffic
// on a shared cluster, so their lab may pass or fail for someone else's doing.
import { gatewayRef, splitServiceFqdn, toFqdn } from '../config/hosts.ts';
import type { Resource } from '../config/resource.ts';
import type { LearnerLoad } from './source.ts';

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Every host a resource names (its own hosts and its routes' destinations). */
function hostsOf(r: Resource): { field: string; host: string }[] {
  const spec = r.spec as Record<string, unknown>;
  const out: { field: string; host: string }[] = [];
  for (const h of strings(spec.hosts)) out.push({ field: 'hosts', host: h });
  if (typeof spec.host === 'string') out.push({ field: 'host', host: spec.host });
  for (const kind of ['http', 'tcp', 'tls'] as const) {
    const rules = Array.isArray(spec[kind]) ? (spec[kind] as Record<string, unknown>[]) : [];
    for (const rule of rules) {
      const routes = Array.isArray(rule?.route) ? (rule.route as Record<string, unknown>[]) : [];
      for (const route of routes) {
        const host = (route?.destination as { host?: unknown } | undefined)?.host;
        if (typeof host === 'string') out.push({ field: `${kind}[].route[].destination.host`, host });
      }
      const mirror = (rule?.mirror as { host?: unknown } | undefined)?.host;
      if (typeof mirror === 'string') out.push({ field: `${kind}[].mirror.host`, host: mirror });
    }
  }
  return out;
}

/** One line per resource that reaches into another learner's namespace. */
export function crossLearnerAlerts(learners: readonly LearnerLoad[]): string[] {
  const owner = new Map(learners.map((l) => [l.namespace, l.id]));
  const alerts: string[] = [];
  for (const learner of learners) {
    for (const r of learner.istio) {
      const what = `${r.kind} ${r.namespace}/${r.name} of ${learner.id}`;
      const reached = new Set<string>();
      const into = (ns: string | undefined, how: string) => {
        const other = ns === undefined ? undefined : owner.get(ns);
        if (other === undefined || ns === learner.namespace || reached.has(`${ns} ${how}`)) return;
        reached.add(`${ns} ${how}`);
        alerts.push(`${what} ${how}, in ${other}'s namespace ${ns}`);
      };
      for (const { field, host } of hostsOf(r)) {
        into(splitServiceFqdn(toFqdn(host, r.namespace))?.namespace, `names host ${host} (${field})`);
      }
      for (const ns of strings(r.spec.exportTo)) into(ns, `is exported to ${ns}`);
      for (const g of strings(r.spec.gateways)) {
        const ref = gatewayRef(g, r.namespace);
        if (ref !== 'mesh') into(ref.slice(0, ref.indexOf('/')), `binds to Gateway ${ref}`);
      }
    }
  }
  return alerts;
}
