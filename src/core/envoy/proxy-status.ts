// `istioctl proxy-status` offline: one row per proxy (sidecars and gateways)
// with the state of each xDS type. The control plane's state comes from a
// drill's inputs (config/drill.ts): istiod down (istioctl cannot answer,
// proxies keep their last configuration), or proxies STALE (they have not
// acknowledged istiod's last push; a restarted workload is SYNCED again).
// Otherwise every proxy is SYNCED, except RDS on a gateway that no Gateway
// selects (no route configuration was ever sent: NOT SENT).
import { injectorProxyImage } from '../analysis/rules/install/proxy-image.ts';
import { type DrillState, markedStale, drillState as snapshotDrill } from '../config/drill.ts';
import type { Workload } from '../config/snapshot-types.ts';
import { podNames } from './addresses.ts';
import { routeConfigs } from './routes.ts';
import { tabwrite } from './tabwriter.ts';
import type { EnvoyView } from './view.ts';

const VERSION = '1.26.0';
const ISTIOD_POD = 'istiod-7d4c8f9b6d-x2x9q';

export { DRILL_CONFIGMAP, type DrillState } from '../config/drill.ts';

export function drillState(view: EnvoyView): DrillState {
  return snapshotDrill(view.snapshot);
}

export interface ProxyStatusRow {
  name: string;
  cds: string;
  lds: string;
  eds: string;
  rds: string;
  /** the proxy's version: its istio-proxy image's tag (a pod dump), else what the injector injects */
  version: string;
}

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const tagOf = (image: string): string | undefined => /:([^:/@]+)$/.exec(image)?.[1];

/**
 * The version a proxy reports: a running pod's (kind Pod in the inputs) istio-proxy
 * image, a container or a native sidecar; new pods get the injector's image (the
 * istio-sidecar-injector ConfigMap among the inputs); else the model's 1.26.0.
 */
function proxyVersion(view: EnvoyView, w: Workload): string {
  if (w.resource.kind === 'Pod') {
    const spec = asRecord(w.resource.raw.spec);
    for (const list of [spec.containers, spec.initContainers])
      for (const c of Array.isArray(list) ? list : []) {
        const image = asRecord(c).image;
        if (asRecord(c).name === 'istio-proxy' && typeof image === 'string' && tagOf(image))
          return tagOf(image)!;
      }
  }
  const injector = view.snapshot
    .list('ConfigMap')
    .find((c) => c.name === 'istio-sidecar-injector' && c.namespace === 'istio-system');
  return (injector && tagOf(injectorProxyImage(injector))) || VERSION;
}

/** The rows, sorted by name as istioctl sorts them. */
export function proxyStatusRows(view: EnvoyView, drill: DrillState = drillState(view)): ProxyStatusRow[] {
  const rows: ProxyStatusRow[] = [];
  for (const w of view.snapshot.workloadsMatching({})) {
    const pod = podNames(w)[0];
    // a pod without a sidecar has no proxy, so istiod has no row for it
    if (!pod || w.sidecar === false) continue;
    const proxy = {
      workload: w,
      pod,
      namespace: w.namespace,
      caller: view.mesh.caller(`${w.namespace}/${w.name}`, w.namespace),
      gateway: false,
    };
    proxy.gateway = proxy.caller.gateway;
    // a restarted workload's new pods connect afresh (kubectl rollout restart)
    const stale = markedStale(drill, w, podNames(w));
    const state = stale ? 'STALE' : 'SYNCED';
    const rds = routeConfigs(view, proxy).length === 0 ? 'NOT SENT' : state;
    const version = proxyVersion(view, w);
    for (const p of podNames(w))
      rows.push({ name: `${p}.${w.namespace}`, cds: state, lds: state, eds: state, rds, version });
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** istioctl 1.26's table (ages of the last push are not modelled). */
export function proxyStatusTable(rows: ProxyStatusRow[]): string {
  const out: string[][] = [['NAME', 'CLUSTER', 'CDS', 'LDS', 'EDS', 'RDS', 'ECDS', 'ISTIOD', 'VERSION']];
  for (const r of rows)
    out.push([r.name, 'Kubernetes', r.cds, r.lds, r.eds, r.rds, 'IGNORED', ISTIOD_POD, r.version]);
  return tabwrite(out, 5);
}
