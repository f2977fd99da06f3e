// `istioctl proxy-status` offline: one row per proxy (sidecars and gateways)
// with the state of each xDS type. The model's state comes from a drill's
// inputs: a ConfigMap `ica-drill` in istio-system whose data says
// `istiod: down` (the control plane is unreachable: istioctl cannot answer,
// proxies keep their last configuration) and/or `stale: NAME,NAME` (the
// workloads whose proxies have not acknowledged istiod's last push: STALE).
// Otherwise every proxy is SYNCED, except RDS on a gateway that no Gateway
// selects (no route configuration was ever sent: NOT SENT).
import { podNames } from './addresses.ts';
import { routeConfigs } from './routes.ts';
import { tabwrite } from './tabwriter.ts';
import type { EnvoyView } from './view.ts';

export const DRILL_CONFIGMAP = 'ica-drill';
const VERSION = '1.26.0';
const ISTIOD_POD = 'istiod-7d4c8f9b6d-x2x9q';

export interface DrillState {
  istiodDown: boolean;
  /** workload names whose proxies are STALE */
  stale: Set<string>;
}

export function drillState(view: EnvoyView): DrillState {
  const cm = view.snapshot
    .list('ConfigMap')
    .find((r) => r.name === DRILL_CONFIGMAP && r.namespace === 'istio-system');
  const data = (cm?.raw.data ?? {}) as Record<string, unknown>;
  const istiod = String(data.istiod ?? 'up')
    .trim()
    .toLowerCase();
  const stale = String(data.stale ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { istiodDown: istiod === 'down', stale: new Set(stale) };
}

export interface ProxyStatusRow {
  name: string;
  cds: string;
  lds: string;
  eds: string;
  rds: string;
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
    const stale = drill.stale.has(w.name) || drill.stale.has(pod);
    const state = stale ? 'STALE' : 'SYNCED';
    const rds = routeConfigs(view, proxy).length === 0 ? 'NOT SENT' : state;
    for (const p of podNames(w))
      rows.push({ name: `${p}.${w.namespace}`, cds: state, lds: state, eds: state, rds });
  }
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** istioctl 1.26's table (ages of the last push are not modelled). */
export function proxyStatusTable(rows: ProxyStatusRow[]): string {
  const out: string[][] = [['NAME', 'CLUSTER', 'CDS', 'LDS', 'EDS', 'RDS', 'ECDS', 'ISTIOD', 'VERSION']];
  for (const r of rows)
    out.push([r.name, 'Kubernetes', r.cds, r.lds, r.eds, r.rds, 'IGNORED', ISTIOD_POD, VERSION]);
  return tabwrite(out, 5);
}
