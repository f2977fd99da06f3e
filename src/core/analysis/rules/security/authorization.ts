// The course's authorization mistakes: ALLOW policies that lock out the ingress
// gateway (ICA1203), JWT fields without a RequestAuthentication (ICA1204), and
// principals written without the trust domain (ICA1206).
import { matchRule } from '../../../config/authz-match.ts';
import { toFqdn } from '../../../config/hosts.ts';
import type { AuthzRule } from '../../../config/schemas/index.ts';
import { ROOT_NAMESPACE, SecurityPolicies } from '../../../config/security-policies.ts';
import {
  type AuthorizationPolicy,
  labelsMatch,
  type Snapshot,
  type Workload,
} from '../../../config/snapshot.ts';
import { principalOf } from '../../../config/workload-facts.ts';
import type { Rule } from '../../rule.ts';

const PRINCIPAL = /^[^/]+\/ns\/[^/]+\/sa\/[^/]+$/;

export const authorizationMistakes: Rule = {
  name: 'security.authorization',
  description:
    'ALLOW policies that admit no request from the ingress gateway on a workload it routes to, requestPrincipals or request.auth conditions without a RequestAuthentication, and principals without the trust domain.',
  reads: [
    'AuthorizationPolicy',
    'RequestAuthentication',
    'PeerAuthentication',
    'VirtualService',
    'Gateway',
    'Service',
    'Pod',
    'Deployment',
  ],
  codes: ['ICA1203', 'ICA1204', 'ICA1206'],
  run(ctx) {
    const s = ctx.snapshot;
    if (s.authorizationPolicies.length === 0) return;
    const policies = new SecurityPolicies(s);
    for (const ap of s.authorizationPolicies) {
      principalsWithoutTrustDomain(ap, s.trustDomain, (value, suggestion, path) =>
        ctx.report('ICA1206', { value, suggestion }, ap, path),
      );
      const jwtField = jwtFieldOf(ap.spec.rules ?? []);
      if (jwtField) {
        const selected = selectedWorkloads(s, ap);
        if (
          selected.length > 0 &&
          selected.every((w) => policies.forWorkload(w.namespace, w.labels).jwt.length === 0)
        )
          ctx.report('ICA1204', { field: jwtField }, ap, ['spec', 'rules']);
      }
    }
    lockedOutIngress(s, policies, (workload, aps, principal) =>
      ctx.report(
        'ICA1203',
        { workload, policies: aps.map((p) => `${p.namespace}/${p.name}`).join(', '), principal },
        aps[0]!,
        ['spec', 'rules'],
      ),
    );
  },
};

function selectedWorkloads(s: Snapshot, ap: AuthorizationPolicy): Workload[] {
  const labels = ap.spec.selector?.matchLabels;
  const all = ap.namespace === ROOT_NAMESPACE ? s.workloadsMatching({}) : s.workloads(ap.namespace);
  return all.filter((w) => labelsMatch(labels, w.labels));
}

function jwtFieldOf(rules: AuthzRule[]): string | undefined {
  for (const r of rules) {
    for (const f of r.from ?? []) {
      if (f.source?.requestPrincipals) return 'from.source.requestPrincipals';
      if (f.source?.notRequestPrincipals) return 'from.source.notRequestPrincipals';
    }
    const key = (r.when ?? []).find((w) => w.key?.startsWith('request.auth.'))?.key;
    if (key) return `when key ${key}`;
  }
  return undefined;
}

function principalsWithoutTrustDomain(
  ap: AuthorizationPolicy,
  trustDomain: string,
  report: (value: string, suggestion: string, path: (string | number)[]) => void,
): void {
  (ap.spec.rules ?? []).forEach((rule, i) => {
    (rule.from ?? []).forEach((from, j) => {
      for (const field of ['principals', 'notPrincipals'] as const) {
        for (const value of from.source?.[field] ?? []) {
          if (value.includes('*') || PRINCIPAL.test(value)) continue;
          const bare = value.replace(/^spiffe:\/\//, '');
          const suggestion = PRINCIPAL.test(bare)
            ? bare
            : /^ns\/[^/]+\/sa\/[^/]+$/.test(bare)
              ? `${trustDomain}/${bare}`
              : /^[^/]+\/sa\/[^/]+$/.test(bare)
                ? `${trustDomain}/ns/${bare}`
                : /^[^/]+\/[^/]+$/.test(bare)
                  ? `${trustDomain}/ns/${bare.split('/')[0]}/sa/${bare.split('/')[1]}`
                  : principalOf(trustDomain, ap.namespace, bare);
          report(value, suggestion, ['spec', 'rules', i, 'from', j, 'source', field]);
        }
      }
    });
  });
}

/** Workloads a gateway VirtualService routes to whose ALLOW policies admit no request from that gateway. */
function lockedOutIngress(
  s: Snapshot,
  policies: SecurityPolicies,
  report: (workload: string, aps: AuthorizationPolicy[], principal: string) => void,
): void {
  const seen = new Set<string>();
  for (const vs of s.virtualServices) {
    for (const ref of s.gatewayRefs(vs)) {
      if (ref === 'mesh') continue;
      const gw = s.gateway(ref);
      const selector = gw?.spec.selector;
      if (!selector || Object.keys(selector).length === 0) continue;
      const pod = s.workloadsMatching(selector)[0];
      if (!pod) continue;
      const principal = principalOf(s.trustDomain, pod.namespace, pod.serviceAccount);
      for (const http of vs.spec.http ?? []) {
        for (const dest of http.route ?? []) {
          const host = dest.destination?.host;
          const service = host ? s.service(toFqdn(host, vs.namespace)) : undefined;
          if (!service) continue;
          for (const w of s.endpoints(service)) {
            const key = `${principal}|${w.namespace}/${w.name}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const allow = policies.forWorkload(w.namespace, w.labels).allow;
            if (allow.length === 0) continue;
            const admits = allow.some((p) =>
              (p.spec.rules ?? []).some((r) =>
                matchRule({ from: withoutJwt(r) }, gatewayRequest(principal), p.namespace),
              ),
            );
            if (!admits) report(`${w.namespace}/${w.name}`, allow, principal);
          }
        }
      }
    }
  }
}

/** A rule's sources without their JWT fields: the gateway forwards the client's token, which this check cannot judge. */
function withoutJwt(r: AuthzRule): AuthzRule['from'] {
  return r.from?.map((f) => {
    if (!f.source) return f;
    const { requestPrincipals: _a, notRequestPrincipals: _b, ...rest } = f.source;
    return { source: Object.keys(rest).length > 0 ? rest : {} };
  });
}

const gatewayRequest = (principal: string) => ({
  principal,
  method: 'GET',
  path: '/',
  host: '',
  port: 0,
  headers: {},
});
