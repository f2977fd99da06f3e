// The live read of the Gateway API kinds beside Gateways and HTTPRoutes: each served
// kind's LIST becomes objects of the loader's shape; a kind the server does not serve
// is simply absent (no note), one it may not list makes the Gateway API unknown.
import { describe, expect, it } from 'vitest';
import {
  collectGatewayApi,
  GATEWAY_API_PLURALS,
  type GatewayApiSpec,
} from '../../src/core/cluster/gateway-api.ts';

const served = (kinds: [GatewayApiSpec['kind'], string][]): { served: GatewayApiSpec[] } => ({
  served: kinds.map(([kind, version]) => ({ kind, version, plural: GATEWAY_API_PLURALS[kind] })),
});
const item = (name: string, spec: Record<string, unknown>) => ({
  metadata: { name, namespace: 'shop' },
  spec,
});

describe('collectGatewayApi', () => {
  it('reads GRPCRoutes and ReferenceGrants at their served versions, as the loader records them', () => {
    const read = collectGatewayApi(
      served([
        ['Gateway', 'v1'],
        ['HTTPRoute', 'v1'],
        ['GRPCRoute', 'v1'],
        ['ReferenceGrant', 'v1beta1'],
      ]),
      [
        { ok: true, items: [] },
        { ok: true, items: [] },
        { ok: true, items: [item('ratings', { rules: [] })] },
        { ok: true, items: [item('grant', { from: [], to: [] })] },
      ],
      'ctx',
      'shop',
    );
    expect(read.notes).toEqual([]);
    expect(read.missing).toBe(false);
    expect(read.objects.map((o) => `${o.kind} ${o.namespace}/${o.name} ${String(o.raw.apiVersion)}`)).toEqual(
      [
        'GRPCRoute shop/ratings gateway.networking.k8s.io/v1',
        'ReferenceGrant shop/grant gateway.networking.k8s.io/v1beta1',
      ],
    );
    expect(read.versions).toEqual({
      Gateway: 'v1',
      HTTPRoute: 'v1',
      GRPCRoute: 'v1',
      ReferenceGrant: 'v1beta1',
    });
  });

  it('a kind the server does not serve needs no note; one it may not list makes the Gateway API unknown', () => {
    const quiet = collectGatewayApi(
      served([
        ['Gateway', 'v1'],
        ['HTTPRoute', 'v1'],
      ]),
      [
        { ok: true, items: [] },
        { ok: true, items: [] },
      ],
      'ctx',
      'shop',
    );
    expect(quiet.notes).toEqual([]);
    const denied = {
      verb: 'list',
      resource: 'referencegrants.gateway.networking.k8s.io',
      message: 'forbidden',
    };
    const refused = collectGatewayApi(
      served([
        ['Gateway', 'v1'],
        ['HTTPRoute', 'v1'],
        ['ReferenceGrant', 'v1beta1'],
      ]),
      [
        { ok: true, items: [] },
        { ok: true, items: [] },
        { ok: false, denied: denied as never },
      ],
      'ctx',
      'shop',
    );
    expect(refused.missing).toBe(true);
    expect(refused.notes.map((n) => n.reason)).toEqual(['gateway-api-forbidden']);
  });
});
