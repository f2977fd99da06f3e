// The lab validity gate (DESIGN: the lab validity gate). An Error fails a lab only when
// the API server would refuse the resource it is on (then it does not exist at all), or
// when it is about something the lab's traffic passes through. The lab's path is what
// its grader's simulated requests traversed, every hop (gateways, Bookinfo's own calls
// productpage -> reviews -> ratings, every weighted destination and mirror), and the
// hosts the lab's starter and solution configure (structural checks simulate nothing).
// Resources not scoped by host (policies, workloads, Services ...) always count: when
// in doubt an Error fails the lab, so the gate never passes a wrong answer.
import { type Finding, failsGrading } from '../analysis/finding.ts';
import { hostsOverlap, splitGatewayHost, splitServiceFqdn, toFqdn } from '../config/hosts.ts';
import { loadPaths } from '../config/load.ts';
import type { Resource } from '../config/resource.ts';
import type { Snapshot } from '../config/snapshot.ts';
import type { LoadedExercise } from '../content/exercise-loader.ts';
import type { TrafficTrace } from '../sim/index.ts';

/** Everything the lab's traffic and task touch. */
export interface LabPath {
  /** hosts requested or routed to (FQDNs at sidecars, Host names at gateways) and the lab's own hosts */
  hosts: ReadonlySet<string>;
  /** `VirtualService ns/name` that routed the traffic */
  virtualServices: ReadonlySet<string>;
  /** `ns/name` of the Gateways that accepted it */
  gateways: ReadonlySet<string>;
}

export interface Gate {
  /** Errors that fail the lab */
  counted: Finding[];
  /** Errors on a resource the lab's traffic never reaches: shown, not counted */
  offPath: Finding[];
  /** Errors about something no traffic reaches today (an empty subset no route sends to) */
  latent: Finding[];
}

/** Splits the Errors among `findings` by whether they fail the lab. */
export function gateFindings(findings: readonly Finding[], snapshot: Snapshot, path: LabPath): Gate {
  const gate: Gate = { counted: [], offPath: [], latent: [] };
  for (const f of findings) {
    if (f.level !== 'Error') continue;
    if (!failsGrading(f)) gate.latent.push(f);
    else if (touchesLab(f, snapshot, path)) gate.counted.push(f);
    else gate.offPath.push(f);
  }
  return gate;
}

/** Does an Error concern the lab: a refused resource, or one on the lab's path? */
export function touchesLab(f: Finding, snapshot: Snapshot, path: LabPath): boolean {
  const at = f.resource;
  if (!at) return true; // a file that does not parse, a missing field ...: always counts
  const same = (r: Resource) => r.kind === at.kind && r.namespace === at.namespace && r.name === at.name;
  if ([...snapshot.rejected.keys()].some(same)) return true;
  const resources = snapshot.resources.filter(same);
  if (resources.length === 0) return true;
  const origin = `${at.kind} ${at.namespace}/${at.name}`;
  if (at.kind === 'VirtualService' && path.virtualServices.has(origin)) return true;
  if (at.kind === 'Gateway' && path.gateways.has(`${at.namespace}/${at.name}`)) return true;
  for (const r of resources) {
    const hosts = hostScope(r);
    if (hosts === undefined) return true;
    for (const pattern of hosts) for (const h of path.hosts) if (hostsOverlap(pattern, h)) return true;
  }
  return false;
}

/**
 * The hosts a resource is about, or undefined when it is not scoped by host (it then
 * always counts). Both the spec as checked and as written: a pruned field still counts.
 */
export function hostScope(r: Resource): string[] | undefined {
  const specs = [r.spec, (r.raw.spec ?? {}) as Record<string, unknown>];
  const hosts = new Set<string>();
  for (const spec of specs) {
    if (r.kind === 'VirtualService') for (const h of strings(spec.hosts)) hosts.add(toFqdn(h, r.namespace));
    else if (r.kind === 'DestinationRule') {
      if (typeof spec.host === 'string') hosts.add(toFqdn(spec.host, r.namespace));
    } else if (r.kind === 'ServiceEntry') {
      // as written (Istio takes them literally) and as a short name would resolve
      for (const h of strings(spec.hosts)) hosts.add(h).add(toFqdn(h, r.namespace));
    } else if (r.kind === 'Gateway') {
      const servers = Array.isArray(spec.servers) ? (spec.servers as { hosts?: unknown }[]) : [];
      for (const s of servers) for (const h of strings(s?.hosts)) hosts.add(splitGatewayHost(h).host);
    } else return undefined;
  }
  // a delegate VirtualService (no hosts) or an empty entry: what it is about is unknown
  return hosts.size === 0 ? undefined : [...hosts];
}

/** The path from the grader's traffic and the lab's own hosts, resolved in `namespace`. */
export function labPath(trace: TrafficTrace, labHosts: readonly string[], namespace: string): LabPath {
  const hosts = new Set(trace.hosts);
  for (const h of labHosts) {
    // a service of the lab's files is the learner's own service in the graded namespace
    const svc = splitServiceFqdn(h);
    hosts.add(h).add(toFqdn(svc ? svc.name : h, namespace));
  }
  return { hosts, virtualServices: trace.virtualServices, gateways: trace.gateways };
}

const labHostCache = new Map<string, Promise<string[]>>();

/** Hosts the lab's starter and solution configure (as written; cached per lab). */
export function labHosts(lab: LoadedExercise): Promise<string[]> {
  let p = labHostCache.get(lab.dir);
  if (!p) {
    // `*` (a Gateway or VirtualService for any host) names nothing in particular: the
    // hosts the grader's requests use stand for it
    p = loadPaths([lab.starterDir, lab.solutionDir]).then((load) => [
      ...new Set(load.resources.flatMap((r) => hostScope(r) ?? []).filter((h) => h !== '*')),
    ]);
    labHostCache.set(lab.dir, p);
  }
  return p;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
