// The mesh settings of one proxy when several control plane revisions run side by side:
// a sidecar is configured by the istiod of its revision, which reads that revision's
// mesh ConfigMap (mesh-revisions.ts). Per proxy, the simulator and the Envoy views take
// its outbound traffic policy (SidecarScope) and its access log settings
// (telemetry-scope.ts) from its own revision's mesh config; the other mesh settings
// (extension providers, trust domain, numTrustedProxies) and the analyzer keep the one
// the snapshot chose. With one mesh ConfigMap (the usual case) nothing here is built.

import { type RevisionTag, resolveRevision } from './install/tags.ts';
import type { MeshConfigChoice } from './mesh-revisions.ts';
import type { Resource } from './resource.ts';
import { meshSources, resolveMesh } from './snapshot-objects.ts';
import type { MeshConfigInfo, OutboundMode, Workload } from './snapshot-types.ts';
import { type MeshTelemetry, meshTelemetry } from './telemetry-scope.ts';
import { namespaceRevision } from './workload-facts.ts';

export interface ProxyMesh {
  /** the revision whose istiod configures the proxy */
  revision: string;
  mesh: MeshConfigInfo;
  telemetry: MeshTelemetry;
}

/** What the per-proxy lookup needs of the snapshot (kept narrow: no import cycle). */
export interface ProxyMeshHost {
  workloads(namespace: string): Workload[];
  namespaceResource(name: string): Resource | undefined;
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

export class ProxyMeshes {
  private readonly byRevision = new Map<string, ProxyMesh>();
  private readonly tags: readonly RevisionTag[];

  constructor(
    choice: MeshConfigChoice,
    tags: readonly RevisionTag[],
    bare: Parameters<typeof meshSources>[0],
    operators: readonly Resource[] | undefined,
    flag: OutboundMode | undefined,
  ) {
    this.tags = tags;
    for (const c of [choice, ...choice.others]) {
      const sources = meshSources(bare, operators, c.configMap);
      this.byRevision.set(c.revision, {
        revision: c.revision,
        mesh: resolveMesh(flag, sources),
        telemetry: meshTelemetry(sources),
      });
    }
  }

  /**
   * The revision of the sidecar in `namespace` with `labels`: its pod's istio.io/rev label
   * (the injector sets it), else the workload with these labels (its sidecar.istio.io/status
   * revision, or what injection picks), else what the namespace's labels select; tags resolved.
   */
  revisionOf(host: ProxyMeshHost, namespace: string, labels: Record<string, string>): string | undefined {
    const own =
      labels['istio.io/rev'] ??
      host.workloads(namespace).find((w) => w.sidecar && w.revision && sameLabels(w.labels, labels))
        ?.revision ??
      namespaceRevision(host.namespaceResource(namespace));
    return own === undefined ? undefined : resolveRevision(own, this.tags);
  }

  /** The mesh settings of that proxy's revision, or undefined when its revision has no mesh ConfigMap here. */
  forProxy(host: ProxyMeshHost, namespace: string, labels: Record<string, string>): ProxyMesh | undefined {
    const rev = this.revisionOf(host, namespace, labels);
    return rev === undefined ? undefined : this.byRevision.get(rev);
  }
}
