// References across namespaces that no ReferenceGrant allows (ICA1305), as istiod
// 1.26 refuses them: a backendRef (or RequestMirror backendRef) of a route bound to a
// Gateway, and a Gateway listener's certificateRef. A mesh route (parent a Service
// only) is not checked: istiod enforces ReferenceGrants for Gateway parents only.
import { asList, asRecord, isServiceRef, parentGateways, str } from '../../../config/gateway-api-route.ts';
import type { HttpRouteObject } from '../../../config/http-route.ts';
import { certificateRefused } from '../../../config/k8s-gateway.ts';
import { type ReferenceFrom, referenceAllowed } from '../../../config/reference-grant.ts';
import type { FieldPath } from '../../../config/resource.ts';
import type { Rule, RuleContext } from '../../rule.ts';
import { asResource, gatewayAsResource } from './as-resource.ts';

const L4 = ['TCPRoute', 'TLSRoute'];

function checkRoute(ctx: RuleContext, route: HttpRouteObject): void {
  if (parentGateways(route).length === 0) return;
  const kind = String(route.raw.kind) as ReferenceFrom;
  const refused = (b: Record<string, unknown>): string | undefined => {
    const ns = str(b.namespace);
    if (!isServiceRef(b) || !ns || ns === route.namespace) return undefined;
    return referenceAllowed(ctx.snapshot, kind, route.namespace, 'Service', ns, String(b.name))
      ? undefined
      : ns;
  };
  const report = (b: Record<string, unknown>, ns: string, effect: string, path: FieldPath) =>
    ctx.report(
      'ICA1305',
      {
        ref: `backendRef ${ns}/${String(b.name)}`,
        from: `${kind} in namespace ${route.namespace}`,
        to: ns,
        effect,
      },
      asResource(route),
      path,
    );
  asList(asRecord(route.raw.spec).rules).forEach((rule, i) => {
    asList(rule.backendRefs).forEach((b, j) => {
      const ns = refused(b);
      if (ns)
        report(
          b,
          ns,
          L4.includes(kind)
            ? 'its share of connections is closed at the Gateway'
            : 'its share of requests gets 500 at the Gateway',
          ['spec', 'rules', i, 'backendRefs', j],
        );
    });
    asList(rule.filters).forEach((f, k) => {
      if (f.type !== 'RequestMirror') return;
      const b = asRecord(asRecord(f.requestMirror).backendRef);
      const ns = refused(b);
      if (ns)
        report(b, ns, 'nothing is mirrored', [
          'spec',
          'rules',
          i,
          'filters',
          k,
          'requestMirror',
          'backendRef',
        ]);
    });
  });
}

export const gatewayApiReferences: Rule = {
  name: 'gateway-api.references',
  description:
    'Cross-namespace backendRefs of routes bound to a Gateway, and Gateway listener certificateRefs, that no ReferenceGrant allows.',
  reads: ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'ReferenceGrant'],
  readsGatewayApi: true,
  codes: ['ICA1305'],
  run(ctx) {
    const s = ctx.snapshot;
    const routes = [
      ...s.httpRoutes(),
      ...s.gatewayApiObjects('GRPCRoute'),
      ...s.gatewayApiObjects('TCPRoute'),
      ...s.gatewayApiObjects('TLSRoute'),
    ];
    for (const route of routes) checkRoute(ctx, route);
    for (const g of s.kubernetesGatewayList()) {
      if (g.className !== 'istio') continue;
      (g.listeners ?? []).forEach((l, i) => {
        if (!certificateRefused(s, g, l)) return;
        const ref = asList(asRecord(l.tls).certificateRefs)[0] ?? {};
        const ns = String(ref.namespace);
        ctx.report(
          'ICA1305',
          {
            ref: `certificateRef Secret ${ns}/${String(ref.name)}`,
            from: `Gateway in namespace ${g.namespace}`,
            to: ns,
            effect: `listener ${String(l.name)} has no certificate, so every TLS handshake fails`,
          },
          gatewayAsResource(g),
          ['spec', 'listeners', i, 'tls', 'certificateRefs', 0],
        );
      });
    }
  },
};
