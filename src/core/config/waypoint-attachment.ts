// Which waypoint an AuthorizationPolicy attached with targetRefs applies at: the waypoint
// Gateway itself, the istio-waypoint GatewayClass (from the root namespace: every
// waypoint), or a Service the waypoint serves. The simulator's waypoint and the
// analyzer's CUSTOM check (ICA1207) read it the same way.
import type { Waypoint } from './ambient.ts';
import { ROOT_NAMESPACE } from './security-policies.ts';
import type { AuthorizationPolicy, ServiceInfo } from './snapshot.ts';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

type TargetRef = { group?: string | undefined; kind?: string | undefined; name?: string | undefined };

type Attachable = {
  namespace: string;
  spec: { targetRef?: TargetRef | undefined; targetRefs?: TargetRef[] | undefined };
};

function targets(p: Attachable): TargetRef[] {
  const refs: TargetRef[] = [...(p.spec.targetRefs ?? [])];
  if (p.spec.targetRef) refs.push(p.spec.targetRef);
  return refs;
}

/** Is the policy attached (targetRefs) to this waypoint, or to the Service it serves? */
export function attachedTo(
  p: AuthorizationPolicy,
  waypoint: Waypoint,
  svc: ServiceInfo | undefined,
): boolean {
  return targets(p).some((t) => {
    const group = t.group ?? '';
    if (t.kind === 'Gateway' && group === GATEWAY_GROUP)
      return p.namespace === waypoint.namespace && t.name === waypoint.name;
    if (t.kind === 'GatewayClass' && group === GATEWAY_GROUP)
      return p.namespace === ROOT_NAMESPACE && t.name === 'istio-waypoint';
    if (t.kind === 'Service' && (group === '' || group === 'core'))
      return svc !== undefined && p.namespace === svc.namespace && t.name === svc.name;
    return false;
  });
}
