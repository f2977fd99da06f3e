// The security part of `istioctl x describe pod`, offline: the effective
// PeerAuthentication (describePeerAuthentication: the pod's namespace and the root
// namespace, those whose selector matches the pod, composed workload > namespace >
// mesh) and the RBAC policy names of the pod's inbound HTTP filter
// (getIstioRBACPolicies: Envoy names each AuthorizationPolicy rule
// `ns[NS]-policy[NAME]-rule[i]`, and istioctl lists the first RBAC filter only:
// Istio orders them AUDIT, DENY, ALLOW).
import { ROOT_NAMESPACE, SecurityPolicies } from '../config/security-policies.ts';
import { labelsMatch, type Snapshot, type Workload } from '../config/snapshot.ts';

const policies = new WeakMap<Snapshot, SecurityPolicies>();

function policiesOf(snapshot: Snapshot): SecurityPolicies {
  let p = policies.get(snapshot);
  if (!p) policies.set(snapshot, (p = new SecurityPolicies(snapshot)));
  return p;
}

/** The section istioctl prints after the Services: the mode, port-level modes, the policies applied. */
export function peerAuthenticationLines(snapshot: Snapshot, w: Workload): string[] {
  const pol = policiesOf(snapshot).forWorkload(w.namespace, w.labels);
  const out = ['Effective PeerAuthentication:', `   Workload mTLS mode: ${pol.mtls(0).mode}`];
  // istioctl lists the root namespace's first, then the pod's own
  const applied = [ROOT_NAMESPACE, ...(w.namespace === ROOT_NAMESPACE ? [] : [w.namespace])].flatMap((ns) =>
    snapshot.peerAuthentications.filter(
      (pa) => pa.namespace === ns && labelsMatch(pa.spec.selector?.matchLabels ?? {}, w.labels),
    ),
  );
  // port-level modes come from the workload policy that applies (the first with a selector)
  const workloadPa = applied.find(
    (pa) => pa.namespace === w.namespace && Object.keys(pa.spec.selector?.matchLabels ?? {}).length > 0,
  );
  const ports = Object.keys(workloadPa?.spec.portLevelMtls ?? {})
    .map(Number)
    .filter((p) => Number.isInteger(p))
    .sort((a, b) => a - b);
  if (ports.length > 0) {
    out.push('   Port Level mTLS mode:');
    for (const p of ports) out.push(`      ${p}: ${pol.mtls(p).mode}`);
  }
  if (applied.length > 0) {
    out.push('Applied PeerAuthentication:');
    out.push(`   ${applied.map((pa) => `${pa.name}.${pa.namespace}`).join(', ')}`);
  }
  return out;
}

/**
 * The Envoy RBAC policy names istioctl prints for the pod ("RBAC policies: ..."): one
 * per rule of the policies of the first RBAC filter (AUDIT, else DENY, else ALLOW), sorted
 * (istioctl's order is a Go map's). An ALLOW policy without rules (allow-nothing) has
 * none: the filter is there, its policy list empty. CUSTOM policies are not shown, nor
 * dry-run ones (Envoy's shadow_rules).
 */
export function rbacPolicyNames(snapshot: Snapshot, w: Workload): string[] {
  const pol = policiesOf(snapshot).forWorkload(w.namespace, w.labels);
  // a dry-run policy's filter is there too, its rules only in shadow_rules, which istioctl does not list
  const filters = [
    { rules: pol.audit, shadow: [] },
    { rules: pol.deny, shadow: pol.dryRun.deny },
    { rules: pol.allow, shadow: pol.dryRun.allow },
  ];
  const first = filters.find((f) => f.rules.length + f.shadow.length > 0)?.rules ?? [];
  return first
    .flatMap((ap) => (ap.spec.rules ?? []).map((_, i) => `ns[${ap.namespace}]-policy[${ap.name}]-rule[${i}]`))
    .sort();
}
