// The security policies of one compiled mesh, per workload: the mTLS mode its
// sidecar enforces on a port (PeerAuthentication: workload > namespace > mesh,
// UNSET inherits, the oldest of several at one level wins), the
// AuthorizationPolicies and RequestAuthentications that select it (the root
// namespace's apply mesh wide). Computed once per (namespace, labels).

import { isDryRun } from './authz-dry-run.ts';
import { oldestFirst } from './oldest-first.ts';
import type { JwtRule, MtlsMode } from './schemas/index.ts';
import {
  type AuthorizationPolicy,
  labelsMatch,
  type PeerAuthentication,
  type RequestAuthentication,
  type Snapshot,
} from './snapshot.ts';

/** Istio's default root namespace (meshConfig.rootNamespace). */
export const ROOT_NAMESPACE = 'istio-system';

export interface MtlsDecision {
  mode: Exclude<MtlsMode, 'UNSET'>;
  /** the policy that set it, or a text for the default */
  by: string;
}

export interface WorkloadPolicies {
  mtls(port: number): MtlsDecision;
  custom: AuthorizationPolicy[];
  deny: AuthorizationPolicy[];
  allow: AuthorizationPolicy[];
  audit: AuthorizationPolicy[];
  /**
   * the ALLOW and DENY policies annotated istio.io/dry-run: "true", left out of the lists
   * above (istiod builds them as Envoy shadow rules: evaluated and recorded, not enforced)
   */
  dryRun: { deny: AuthorizationPolicy[]; allow: AuthorizationPolicy[] };
  jwt: RequestAuthentication[];
  /** the jwtRules of `jwt`, flattened */
  jwtRules: JwtRule[];
  /** the mTLS decision per port, computed on first use */
  mtlsByPort: Map<number, MtlsDecision>;
}

const key = (r: { namespace: string; name: string }) => `${r.namespace}/${r.name}`;
const hasSelector = (s: { matchLabels?: Record<string, string> | undefined } | undefined) =>
  Object.keys(s?.matchLabels ?? {}).length > 0;

export class SecurityPolicies {
  private readonly snapshot: Snapshot;
  private readonly cache = new Map<string, WorkloadPolicies>();
  readonly any: boolean;

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    this.any =
      snapshot.peerAuthentications.length +
        snapshot.authorizationPolicies.length +
        snapshot.requestAuthentications.length >
      0;
  }

  private readonly byLabels = new WeakMap<Record<string, string>, WorkloadPolicies>();

  forWorkload(namespace: string, labels: Record<string, string>): WorkloadPolicies {
    const known = this.byLabels.get(labels);
    if (known) return known;
    const k = `${namespace}|${JSON.stringify(labels)}`;
    let p = this.cache.get(k);
    if (!p) this.cache.set(k, (p = this.compile(namespace, labels)));
    this.byLabels.set(labels, p);
    return p;
  }

  /** A policy with a selector (or none) applies to a workload of its namespace, or of any namespace from the root. */
  private applies(
    r: {
      namespace: string;
      spec: {
        selector?: { matchLabels?: Record<string, string> | undefined } | undefined;
        targetRef?: unknown;
        targetRefs?: unknown[] | undefined;
      };
    },
    namespace: string,
    labels: Record<string, string>,
  ): boolean {
    // targetRef(s) attach a policy to a waypoint or gateway, never to a sidecar
    if (r.spec.targetRef !== undefined || (r.spec.targetRefs?.length ?? 0) > 0) return false;
    if (r.namespace !== namespace && r.namespace !== ROOT_NAMESPACE) return false;
    return !hasSelector(r.spec.selector) || labelsMatch(r.spec.selector?.matchLabels, labels);
  }

  private compile(namespace: string, labels: Record<string, string>): WorkloadPolicies {
    const s = this.snapshot;
    const pas = oldestFirst(s.peerAuthentications);
    const mesh = pas.find((p) => p.namespace === ROOT_NAMESPACE && !hasSelector(p.spec.selector));
    const ns = pas.find((p) => p.namespace === namespace && !hasSelector(p.spec.selector));
    const workload = pas.find(
      (p) =>
        p.namespace === namespace &&
        hasSelector(p.spec.selector) &&
        labelsMatch(p.spec.selector?.matchLabels, labels),
    );
    const count = (f: (p: PeerAuthentication) => boolean) => pas.filter(f).length;
    // several at one level: the oldest wins, and the text says so
    const oldest = (n: number) => (n > 1 ? `, the oldest of ${n} at this level` : '');
    const levels: [PeerAuthentication | undefined, string][] = [
      [
        workload,
        `workload${oldest(count((p) => p.namespace === namespace && hasSelector(p.spec.selector) && labelsMatch(p.spec.selector?.matchLabels, labels)))}`,
      ],
      [ns, `namespace${oldest(count((p) => p.namespace === namespace && !hasSelector(p.spec.selector)))}`],
      [
        mesh,
        `mesh-wide${oldest(count((p) => p.namespace === ROOT_NAMESPACE && !hasSelector(p.spec.selector)))}`,
      ],
    ];
    const mtls = (port: number): MtlsDecision => {
      const portMode = workload?.spec.portLevelMtls?.[String(port)]?.mode;
      if (workload && portMode && portMode !== 'UNSET')
        return { mode: portMode, by: `PeerAuthentication ${key(workload)} (port ${port})` };
      for (const [pa, level] of levels) {
        const mode = pa?.spec.mtls?.mode;
        if (pa && mode && mode !== 'UNSET') return { mode, by: `PeerAuthentication ${key(pa)} (${level})` };
      }
      return { mode: 'PERMISSIVE', by: 'no PeerAuthentication (default PERMISSIVE)' };
    };
    const aps = s.authorizationPolicies.filter((p) => this.applies(p, namespace, labels));
    const of = (action: string, dry = false) =>
      aps.filter((p) => (p.spec.action ?? 'ALLOW') === action && isDryRun(p) === dry);
    const jwt = s.requestAuthentications.filter((p) => this.applies(p as never, namespace, labels));
    const byPort = new Map<number, MtlsDecision>();
    return {
      mtls: (port) => {
        let d = byPort.get(port);
        if (!d) byPort.set(port, (d = mtls(port)));
        return d;
      },
      mtlsByPort: byPort,
      jwtRules: jwt.flatMap((ra) => ra.spec.jwtRules ?? []),
      custom: of('CUSTOM'),
      deny: of('DENY'),
      allow: of('ALLOW'),
      audit: of('AUDIT'),
      dryRun: { deny: of('DENY', true), allow: of('ALLOW', true) },
      jwt,
    };
  }
}

export type { AuthorizationPolicy, RequestAuthentication };
