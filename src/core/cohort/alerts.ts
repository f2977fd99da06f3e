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

/** A Gateway server host without its `namespace/` part (which limits VirtualServices, not traffic). */
function gatewayHostName(h: string): string {
  const slash = h.indexOf('/');
  return (slash < 0 ? h : h.slice(slash + 1)).toLowerCase();
}

/** The hosts a Gateway's servers claim on the ingress it selects. */
function gatewayHosts(r: Resource): string[] {
  const servers = Array.isArray(r.spec.servers) ? (r.spec.servers as Record<string, unknown>[]) : [];
  return [...new Set(servers.flatMap((s) => strings(s?.hosts).map(gatewayHostName)))];
}

/** The gateway workload a Gateway selects, as `istio=ingressgateway` (the shared ingress). */
function selectorText(r: Resource): string {
  const sel = r.spec.selector;
  if (!sel || typeof sel !== 'object') return 'every gateway';
  const pairs = Object.entries(sel as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
  return pairs.sort().join(',') || 'every gateway';
}

/**
 * Learner Gateways land on the cohort's shared gateway workloads (the ingress gateway in
 * istio-system): one claiming `*` takes every host there, so its routes can answer other
 * learners' requests, and two learners' Gateways claiming the same host conflict (which
 * one serves it is up to Istio's merge order).
 */
function gatewayAlerts(learners: readonly LearnerLoad[]): string[] {
  const alerts: string[] = [];
  const claims = new Map<string, { id: string; what: string }[]>();
  for (const learner of learners) {
    for (const r of learner.istio) {
      if (r.kind !== 'Gateway') continue;
      const what = `Gateway ${r.namespace}/${r.name} of ${learner.id}`;
      const on = selectorText(r);
      for (const host of gatewayHosts(r)) {
        if (host === '*') {
          alerts.push(`${what} claims every host (*) on the shared gateway ${on}, other learners' hosts too`);
          continue;
        }
        const key = `${host} on the shared gateway ${on}`;
        const list = claims.get(key) ?? [];
        list.push({ id: learner.id, what });
        claims.set(key, list);
      }
    }
  }
  for (const [key, list] of claims) {
    if (new Set(list.map((c) => c.id)).size < 2) continue;
    alerts.push(
      `host ${key} is claimed by ${list.map((c) => c.what).join(' and ')}: one learner's routes may serve another's requests`,
    );
  }
  return alerts;
}

/** One line per resource that reaches into another learner's namespace or traffic. */
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
  if (learners.length > 1) alerts.push(...gatewayAlerts(learners));
  return alerts;
}
