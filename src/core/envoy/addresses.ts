// Deterministic addresses for the offline model: every Service gets a
// ClusterIP and every pod an IP, from its place in a sorted list, so the same
// inputs always show the same addresses (a cluster's would differ; the layout
// and the relations between them are what a learner reads).
import type { Snapshot, Workload } from '../config/snapshot.ts';

function ip(prefix: string, base: number, i: number): string {
  const n = base + i;
  return `${prefix}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

export class Addresses {
  private readonly serviceIps = new Map<string, string>();
  private readonly podIps = new Map<string, string>();
  private readonly byPodName = new Map<string, string>();

  constructor(snapshot: Snapshot) {
    const services = snapshot.services().sort((a, b) => a.fqdn.localeCompare(b.fqdn));
    services.forEach((s, i) => {
      this.serviceIps.set(s.fqdn, ip('10.96', 10, i));
    });
    const pods: string[] = [];
    const all = snapshot.workloadsMatching({});
    all.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
    for (const w of all) for (const p of podNames(w)) pods.push(`${w.namespace}/${p}`);
    pods.forEach((p, i) => {
      this.podIps.set(p, ip('10.244', 2, i));
      const name = p.slice(p.indexOf('/') + 1);
      if (!this.byPodName.has(name)) this.byPodName.set(name, ip('10.244', 2, i));
    });
  }

  /** The ClusterIP of a Service (undefined for hosts that are not Kubernetes Services). */
  service(fqdn: string): string | undefined {
    return this.serviceIps.get(fqdn);
  }

  /** The IP of a pod by name alone (the first namespace that has it), if the model has it. */
  podByName(pod: string): string | undefined {
    return this.byPodName.get(pod);
  }

  /** The IP of a pod (`ns`, pod name as the simulator names it). */
  pod(namespace: string, pod: string): string {
    return this.podIps.get(`${namespace}/${pod}`) ?? '10.244.255.254';
  }
}

/** The pods a workload stands for, named as the simulator's clusters name them (`reviews-v1-0`). */
export function podNames(w: Workload): string[] {
  if (w.resource.kind === 'Pod') return [w.name];
  const out: string[] = [];
  for (let i = 0; i < Math.max(0, w.replicas); i++) out.push(`${w.name}-${i}`);
  return out;
}
