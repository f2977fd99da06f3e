// The control plane's state in a drill, read from the inputs: a ConfigMap
// `ica-drill` in istio-system and the istiod Deployment. The data plane keeps
// serving while istiod is away, with the configuration it last acknowledged:
//
//   data:
//     istiod: down                       # istiod unreachable (as is an istiod Deployment scaled to 0)
//     stale: productpage-v1,reviews-v2   # proxies that have not acknowledged istiod's last push
//     unpushed: VirtualService/reviews   # what that push carried (Kind/name or Kind/namespace/name)
//
// While istiod is down no proxy gets the unpushed resources; once it runs, only the
// stale proxies lack them. A restarted workload (`kubectl rollout restart` writes
// kubectl.kubernetes.io/restartedAt into its pod template) runs new pods, whose
// proxies connect afresh: not stale, once istiod runs.
import type { Resource } from './resource.ts';
import type { Snapshot, Workload } from './snapshot.ts';
import { templateRestartedAt } from './snapshot-objects.ts';

export const DRILL_CONFIGMAP = 'ica-drill';

export interface DrillState {
  istiodDown: boolean;
  /** why istiod is down, for messages (the ConfigMap, or the Deployment's replicas) */
  downBecause?: string;
  /** workload (or pod) names whose proxies are STALE */
  stale: Set<string>;
  /** `Kind/namespace/name` of the resources the stale proxies have not received */
  unpushed: Set<string>;
}

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const list = (v: unknown): string[] =>
  String(v ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const states = new WeakMap<Snapshot, DrillState>();

export function drillState(snapshot: Snapshot): DrillState {
  let d = states.get(snapshot);
  if (d) return d;
  const cm = snapshot
    .list('ConfigMap')
    .find((r) => r.name === DRILL_CONFIGMAP && r.namespace === 'istio-system');
  const data = asRecord(cm?.raw.data);
  const istiod = String(data.istiod ?? 'up')
    .trim()
    .toLowerCase();
  const deployment = snapshot
    .list('Deployment')
    .find((r) => r.name === 'istiod' && r.namespace === 'istio-system');
  const replicas = asRecord(deployment?.raw.spec).replicas;
  let downBecause: string | undefined;
  if (istiod === 'down') downBecause = `the drill declares istiod down (ConfigMap ${DRILL_CONFIGMAP})`;
  else if (replicas === 0) downBecause = 'Deployment istio-system/istiod has replicas: 0';
  const unpushed = new Set(
    list(data.unpushed).map((ref) => {
      const p = ref.split('/');
      return p.length >= 3 ? `${p[0]}/${p[1]}/${p[2]}` : `${p[0]}/default/${p[1] ?? ''}`;
    }),
  );
  d = {
    istiodDown: downBecause !== undefined,
    ...(downBecause ? { downBecause } : {}),
    stale: new Set(list(data.stale)),
    unpushed,
  };
  states.set(snapshot, d);
  return d;
}

/** The workload's pods were restarted (`kubectl rollout restart`): new proxies, fresh connections. */
export function restarted(w: Workload): boolean {
  return !Number.isNaN(templateRestartedAt(w.resource));
}

/** The drill names this workload (or one of its pods) STALE, and it was not restarted since. */
export function markedStale(d: DrillState, w: Workload, pods: readonly string[] = []): boolean {
  if (restarted(w)) return false;
  return d.stale.has(w.name) || pods.some((p) => d.stale.has(p));
}

/** The proxy of `w` runs without the unpushed resources: istiod is down, or it is marked STALE. */
export function runsOldConfig(
  snapshot: Snapshot,
  w: Workload | undefined,
  pods: readonly string[] = [],
): boolean {
  const d = drillState(snapshot);
  if (d.unpushed.size === 0) return false;
  if (d.istiodDown) return true;
  return w !== undefined && markedStale(d, w, pods);
}

function refOf(r: Resource): string {
  return `${r.kind}/${r.namespace || 'default'}/${r.name}`;
}

const olds = new WeakMap<Snapshot, Snapshot>();

/** What a proxy that missed the last push has: the snapshot without the unpushed resources. */
export function lastPushed(snapshot: Snapshot): Snapshot {
  let s = olds.get(snapshot);
  if (!s) {
    const d = drillState(snapshot);
    s = snapshot.only(snapshot.resources.filter((r) => !d.unpushed.has(refOf(r))));
    olds.set(snapshot, s);
  }
  return s;
}
