// The classic Sidecar egress mistakes (trainer codes): egress hosts that leave out a
// service the selected workload calls (ICA1013: the Bookinfo call graph, in the
// workload's namespace), and egress hosts without istio-system (ICA1014).
import { BOOKINFO_CALLS, BOOKINFO_PORT } from '../../../config/bookinfo.ts';
import { hostCovers, toFqdn } from '../../../config/hosts.ts';
import { SidecarScope, sidecarScope } from '../../../config/sidecar-scope.ts';
import type { VirtualService } from '../../../config/snapshot.ts';
import type { Rule } from '../../rule.ts';

const ISTIO_SYSTEM = 'istio-system';

/** Does the proxy have a route for `host`: the service imported, or a VirtualService for it? */
function reaches(scope: SidecarScope, vss: readonly VirtualService[], host: string): boolean {
  if (scope.importsService(host, BOOKINFO_PORT)) return true;
  return vss.some(
    (vs) =>
      (vs.spec.hosts ?? []).some((h) => hostCovers(toFqdn(h, vs.namespace), host)) &&
      scope.importsVirtualService(vs, BOOKINFO_PORT),
  );
}

export const sidecarEgress: Rule = {
  name: 'sidecar.egress',
  description:
    "A Sidecar's egress hosts import every service its workloads call (ICA1013) and the istio-system namespace (ICA1014).",
  reads: ['Sidecar', 'Pod', 'Deployment', 'Service', 'ServiceEntry', 'VirtualService'],
  codes: ['ICA1013', 'ICA1014'],
  run(ctx) {
    const snap = ctx.snapshot;
    const sidecars = snap.sidecars;
    if (sidecars.length === 0) return;
    for (const sc of sidecars) {
      if (!sc.spec.egress?.length) continue;
      if (!new SidecarScope(snap, sc.namespace, sc).importsNamespace(ISTIO_SYSTEM))
        ctx.report('ICA1014', { sidecar: `${sc.namespace}/${sc.name}` }, sc, ['spec', 'egress']);
    }
    const vss = snap.virtualServices.filter((vs) => snap.gatewayRefs(vs).includes('mesh'));
    const reported = new Set<string>();
    for (const w of snap.workloadsMatching({})) {
      if (!w.sidecar) continue;
      const app = w.labels.app;
      const callees = app ? BOOKINFO_CALLS[app] : undefined;
      if (!callees || (app === 'reviews' && w.labels.version === 'v1')) continue;
      const scope = sidecarScope(snap, w.namespace, w.labels);
      const sc = scope.sidecar;
      if (!sc || scope.importsAll) continue;
      for (const callee of callees) {
        const host = toFqdn(callee, w.namespace);
        if (!snap.service(host) || reaches(scope, vss, host)) continue;
        const key = `${sc.namespace}/${sc.name}|${host}`;
        if (reported.has(key)) continue;
        reported.add(key);
        ctx.report(
          'ICA1013',
          {
            sidecar: `${sc.namespace}/${sc.name}`,
            workload: w.name,
            service: callee,
            host,
            mode: scope.outboundMode,
          },
          sc,
          ['spec', 'egress'],
        );
      }
    }
  },
};
