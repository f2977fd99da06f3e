// Has a learner started a lab? A namespace holds one configuration at a time, so
// grading every lab against it would call every lab "failed" once anything is applied.
// A lab counts as started when the learner has an Istio resource of a kind the lab's
// starter or solution uses, for a host that lab configures: `VirtualService:reviews`,
// `DestinationRule:ratings`, `Gateway:bookinfo.example.com`, `ServiceEntry:httpbin.org`.
// Names do not matter (a learner may call their VirtualService anything).
import { loadPaths } from '../config/load.ts';
import type { Resource } from '../config/resource.ts';
import type { LoadedExercise } from '../content/exercise-loader.ts';

/** `reviews.ns.svc.cluster.local` and `reviews` are the same service; `ns/host` is `host`. */
export function hostKey(host: string): string {
  const h = host.includes('/') ? host.slice(host.indexOf('/') + 1) : host;
  // (`reviews.ns` could be a service or an external host such as httpbin.org: kept as written.)
  return /^([^.]+)\.[^.]+\.svc(?:\.cluster\.local)?$/.exec(h)?.[1] ?? h;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** `Kind:host` for each host a resource configures. */
export function resourceFootprint(r: Pick<Resource, 'kind' | 'spec'>): string[] {
  const spec = r.spec as Record<string, unknown>;
  let hosts: string[] = [];
  if (r.kind === 'VirtualService' || r.kind === 'ServiceEntry') hosts = strings(spec.hosts);
  else if (r.kind === 'DestinationRule') hosts = typeof spec.host === 'string' ? [spec.host] : [];
  else if (r.kind === 'Gateway') {
    const servers = Array.isArray(spec.servers) ? (spec.servers as { hosts?: unknown }[]) : [];
    hosts = servers.flatMap((s) => strings(s?.hosts));
  }
  return hosts.map((h) => `${r.kind}:${hostKey(h)}`);
}

export function footprintOf(resources: readonly Pick<Resource, 'kind' | 'spec'>[]): Set<string> {
  return new Set(resources.flatMap(resourceFootprint));
}

const labFootprints = new Map<string, Promise<Set<string>>>();

/** What a lab's starter and solution configure (cached per lab). */
export function labFootprint(lab: LoadedExercise): Promise<Set<string>> {
  let p = labFootprints.get(lab.dir);
  if (!p) {
    p = loadPaths([lab.starterDir, lab.solutionDir]).then((load) => footprintOf(load.resources));
    labFootprints.set(lab.dir, p);
  }
  return p;
}

/** Whether the learner's Istio resources touch what the lab configures (any resource when the lab says nothing). */
export async function startedLab(lab: LoadedExercise, istio: readonly Resource[]): Promise<boolean> {
  if (istio.length === 0) return false;
  const wanted = await labFootprint(lab);
  if (wanted.size === 0) return true;
  return [...footprintOf(istio)].some((k) => wanted.has(k));
}
