// The Gateway API kinds' specs against Gateway API 1.3's CRD schemas (GRPCRoute,
// TCPRoute, TLSRoute, ReferenceGrant): an unknown field (a typo) with the closest
// known name, as for the Istio kinds (ICA0101); a wrong type or value, which the API
// server's CRD validation refuses (IST0106).

import { GATEWAY_API_SCHEMAS } from '../../../config/schemas/gateway-api/index.ts';
import { parseWithSchema } from '../../../config/schemas/index.ts';
import type { Rule } from '../../rule.ts';
import { asResource } from './as-resource.ts';

const KINDS = ['GRPCRoute', 'TCPRoute', 'TLSRoute', 'ReferenceGrant'] as const;

export const gatewayApiSchema: Rule = {
  name: 'gateway-api.schema',
  description:
    'GRPCRoute, TCPRoute, TLSRoute and ReferenceGrant specs against the Gateway API CRDs: unknown fields (with the closest known name) and values of the wrong type.',
  reads: KINDS,
  perResource: true,
  codes: ['ICA0101', 'IST0106'],
  run(ctx) {
    for (const kind of KINDS) {
      for (const o of ctx.snapshot.gatewayApiObjects(kind)) {
        const r = asResource(o);
        for (const issue of parseWithSchema(GATEWAY_API_SCHEMAS[kind], o.raw.spec ?? {}).issues) {
          const path = ['spec', ...issue.path];
          if (issue.kind === 'unknown-field')
            ctx.report(
              'ICA0101',
              {
                field: String(issue.path[issue.path.length - 1]),
                kind,
                ...(issue.suggestion ? { suggestion: issue.suggestion } : {}),
              },
              r,
              path,
            );
          else
            ctx.report(
              'IST0106',
              {
                detail: `${kind} ${issue.message}`,
                why: `The API server's CRD schema for ${kind} refuses it: kubectl apply fails and nothing changes.`,
              },
              r,
              path,
            );
        }
      }
    }
  },
};
