// istio.io/use-waypoint labels on Namespaces, Services and pods: the waypoint
// they name must be a Gateway of class istio-waypoint (ICA1303), and its
// istio.io/waypoint-for must take the traffic it is used for (ICA1304): service
// traffic for a Service (or a namespace with Services), workload traffic for a pod.
import { ambientOf, USE_WAYPOINT, USE_WAYPOINT_NAMESPACE, WAYPOINT_FOR } from '../../../config/ambient.ts';
import type { FieldPath, Resource } from '../../../config/resource.ts';
import type { Rule, RuleContext } from '../../rule.ts';

interface Labelled {
  obj: Resource;
  labels: Record<string, string>;
  /** where the labels are written */
  path: FieldPath;
  needs: 'service' | 'workload' | undefined;
}

export const waypointLabels: Rule = {
  name: 'ambient.waypoint-labels',
  description:
    'istio.io/use-waypoint labels that name no waypoint, or a waypoint whose istio.io/waypoint-for does not take that traffic.',
  reads: ['Namespace', 'Service', 'Pod', 'Deployment'],
  readsGatewayApi: true,
  codes: ['ICA1303', 'ICA1304'],
  run(ctx) {
    const s = ctx.snapshot;
    const services = s.services();
    const labelled: Labelled[] = [];
    for (const ns of s.list('Namespace')) {
      const hasServices = services.some((svc) => svc.namespace === ns.name);
      labelled.push({
        obj: ns,
        labels: ns.labels,
        path: ['metadata', 'labels'],
        needs: hasServices ? 'service' : undefined,
      });
    }
    for (const svc of services)
      labelled.push({
        obj: svc.resource,
        labels: svc.resource.labels,
        path: ['metadata', 'labels'],
        needs: 'service',
      });
    for (const w of s.workloadsMatching({}))
      labelled.push({
        obj: w.resource,
        labels: w.labels,
        path:
          w.resource.kind === 'Deployment'
            ? ['spec', 'template', 'metadata', 'labels']
            : ['metadata', 'labels'],
        needs: 'workload',
      });
    for (const l of labelled) check(ctx, l);
  },
};

function check(ctx: RuleContext, l: Labelled): void {
  const name = l.labels[USE_WAYPOINT];
  if (name === undefined || name === '' || name === 'none' || l.obj.origin.builtin) return;
  const model = ambientOf(ctx.snapshot);
  const ref = `${l.labels[USE_WAYPOINT_NAMESPACE] || l.obj.namespace || l.obj.name}/${name}`;
  const where =
    l.obj.kind === 'Namespace' ? `Namespace ${l.obj.name}` : `${l.obj.kind} ${l.obj.namespace}/${l.obj.name}`;
  const label = `${where} (${USE_WAYPOINT}=${name})`;
  const path = [...l.path, USE_WAYPOINT];
  const waypoint = model.waypoint(ref);
  if (!waypoint) {
    // Gateway API kinds a cluster forbade listing: the waypoint may exist (the rule is not
    // run then; this keeps it true when called on such a snapshot anyway)
    if (ctx.snapshot.gatewayApiUnknown) return;
    const other = ctx.snapshot.kubernetesGateway(ref);
    const found = other
      ? `is a Gateway of class ${other.className ?? '(none)'}, not istio-waypoint`
      : 'is not among the inputs (no Gateway of class istio-waypoint by that name)';
    ctx.report('ICA1303', { label, waypoint: ref, found }, l.obj, path);
    return;
  }
  if (!l.needs) return;
  if (waypoint.for === 'all' || waypoint.for === l.needs) return;
  const waypointFor = waypoint.gateway.labels[WAYPOINT_FOR] ?? 'service (unset: the default)';
  ctx.report('ICA1304', { label, waypoint: ref, waypointFor, needs: l.needs }, l.obj, path);
}
