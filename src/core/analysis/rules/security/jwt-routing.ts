// istioctl's IST0149: a gateway VirtualService matching a JWT claim
// (`@request.auth.claims.<name>` headers) while no RequestAuthentication selects
// the gateway's pods, so the claims are never there to match.
import { SecurityPolicies } from '../../../config/security-policies.ts';
import type { Rule } from '../../rule.ts';

export const jwtClaimRouting: Rule = {
  name: 'security.jwt-claim-routing',
  description:
    'Gateway routes on @request.auth.claims without a RequestAuthentication on the gateway pods (IST0149).',
  reads: [
    'VirtualService',
    'Gateway',
    'RequestAuthentication',
    'Pod',
    'Deployment',
    'PeerAuthentication',
    'AuthorizationPolicy',
  ],
  codes: ['IST0149'],
  run(ctx) {
    const s = ctx.snapshot;
    let policies: SecurityPolicies | undefined;
    for (const vs of s.virtualServices) {
      (vs.spec.http ?? []).forEach((http, i) => {
        (http.match ?? []).forEach((m, j) => {
          const key = Object.keys(m.headers ?? {}).find((k) => k.startsWith('@request.auth.claims'));
          if (!key) return;
          for (const ref of s.gatewayRefs(vs)) {
            if (ref === 'mesh') continue;
            const selector = s.gateway(ref)?.spec.selector;
            if (!selector || Object.keys(selector).length === 0) continue;
            const pods = s.workloadsMatching(selector);
            policies ??= new SecurityPolicies(s);
            const p = policies;
            if (pods.length === 0 || pods.some((w) => p.forWorkload(w.namespace, w.labels).jwt.length > 0))
              continue;
            ctx.report('IST0149', { key, gateway: ref, pods: pods.map((w) => w.name).join(', ') }, vs, [
              'spec',
              'http',
              i,
              'match',
              j,
              'headers',
              key,
            ]);
          }
        });
      });
    }
  },
};
