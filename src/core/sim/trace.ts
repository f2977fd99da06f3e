// What a run's traffic traversed: each hop's host (an FQDN at a sidecar, the Host name
// at a gateway), the clusters its route could pick (every weighted destination and
// mirror, not only those drawn), the VirtualServices whose rules routed it and the
// Gateways that accepted it. Lab grading uses it to tell a finding on the lab's traffic
// from one about something the task does not touch (DESIGN: the lab validity gate).
import type { Decision } from './route-tables.ts';
import type { CompiledRule } from './routes.ts';
import type { SimRequest } from './types.ts';

export class TrafficTrace {
  /** hosts requested or routed to, at any hop */
  readonly hosts = new Set<string>();
  /** `VirtualService ns/name` of each rule that routed a request */
  readonly virtualServices = new Set<string>();
  /** `ns/name` of each Gateway whose server accepted a request */
  readonly gateways = new Set<string>();
  // rules already noted (a run repeats the same few thousands of times)
  private readonly seen = new WeakSet<CompiledRule>();

  /** A request's host, before anything routes it (a probe's target). */
  target(host: string): void {
    this.hosts.add(host);
  }

  /** One proxy hop: the request as routed and what its proxy decided. */
  hop(req: SimRequest, decision: Decision): void {
    this.hosts.add(req.host);
    const gateway = req.route?.server?.gateway;
    if (gateway) this.gateways.add(gateway);
    const rule = decision.rule;
    if (!rule || this.seen.has(rule)) return;
    this.seen.add(rule);
    const vs = rule.source?.vs;
    if (vs) this.virtualServices.add(`VirtualService ${vs.namespace}/${vs.name}`);
    for (const c of rule.clusters) this.hosts.add(c.host);
    for (const m of rule.mirrors) this.hosts.add(m.cluster.host);
  }
}
