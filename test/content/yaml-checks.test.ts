import { describe, expect, it } from 'vitest';
import type { YamlCheck } from '../../src/core/content/quiz-check-schema.ts';
import { gradeYaml } from '../../src/core/content/quiz-grade.ts';
import { durationMs } from '../../src/core/content/yaml-checks.ts';
import * as istio from '../sim/yaml.ts';

const DR = `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  trafficPolicy:
    loadBalancer: {simple: ROUND_ROBIN}
    connectionPool: {http: {http1MaxPendingRequests: 10}}
  subsets:
  - {name: v1, labels: {version: v1}}
  - name: v2
    labels: {version: v2}
    trafficPolicy:
      loadBalancer: {simple: LEAST_REQUEST}
  - {name: v3, labels: {version: v3}}
`;

/** A VirtualService for reviews with these http rules (bound to gateways when given), and DR. */
function vs(http: string, gateways?: string): string {
  return istio.documents(istio.virtualService('reviews', http, { gateways }), DR);
}

function grade(yaml: string, ...checks: YamlCheck[]) {
  return gradeYaml({ checks }, yaml);
}

describe('durationMs', () => {
  it('reads Go durations', () => {
    expect(durationMs('5s')).toBe(5000);
    expect(durationMs('500ms')).toBe(500);
    expect(durationMs('1m30s')).toBe(90_000);
    expect(durationMs('0.5s')).toBe(500);
    expect(durationMs('1h')).toBe(3_600_000);
  });
  it('rejects what is not a duration', () => {
    expect(durationMs('5')).toBeUndefined();
    expect(durationMs('5 s')).toBeUndefined();
    expect(durationMs('1d')).toBeUndefined();
    expect(durationMs('')).toBeUndefined();
  });
});

describe('routes-to', () => {
  const split = vs(istio.routeTo('reviews', ['v1', 80], ['v2', 10]));

  it('compares normalized shares, not raw weights', () => {
    const g = grade(split, {
      check: 'routes-to',
      host: 'reviews',
      destinations: [
        { subset: 'v1', weight: 80 },
        { subset: 'v2', weight: 20 },
      ],
    });
    expect(g.correct).toBe(false);
    expect(g.checks[0]?.detail).toMatch(/88\.9% to v1, 11\.1% to v2 \(weights sum to 90/);
    const ok = grade(split, {
      check: 'routes-to',
      host: 'reviews',
      destinations: [
        { subset: 'v1', weight: 88.9 },
        { subset: 'v2', weight: 11.1 },
      ],
    });
    expect(ok.checks[0]?.ok).toBe(true);
  });

  it('follows first-match order, OR between match entries and AND inside one', () => {
    const yaml = vs(`  - match:
    - headers: {end-user: {exact: jason}}
      uri: {prefix: /api}
    - uri: {regex: "/v[0-9]+/health"}
    route:
    - destination: {host: reviews, subset: v2}
  - route:
    - destination: {host: reviews, subset: v1}`);
    const to = (request: object, subset: string): YamlCheck => ({
      check: 'routes-to',
      host: 'reviews',
      request,
      destinations: [{ subset, weight: 100 }],
    });
    const g = grade(
      yaml,
      to({ uri: '/api/x', headers: { 'End-User': 'jason' } }, 'v2'),
      to({ uri: '/other', headers: { 'end-user': 'jason' } }, 'v1'),
      to({ uri: '/v2/health' }, 'v2'),
      to({ uri: '/v2/health/deep' }, 'v1'),
    );
    expect(g.checks.map((c) => c.ok)).toEqual([true, true, true, true]);
  });

  it('fails routes to undefined subsets or subsets without pods', () => {
    const yaml = vs(istio.routeTo('reviews', 'v9'));
    const g = grade(yaml, {
      check: 'routes-to',
      host: 'reviews',
      destinations: [{ subset: 'v9', weight: 100 }],
    });
    expect(g.checks[0]?.detail).toMatch(
      /no DestinationRule for reviews.* defines subset "v9" \(503, flag NC\)/,
    );
  });

  it('matches the request port (the simulator routes the check: one implementation)', () => {
    const yaml = vs(`  - match:
    - port: 9080
      uri: {prefix: /api}
    route:
    - destination: {host: reviews, subset: v2}
  - route:
    - destination: {host: reviews, subset: v1}`);
    const g = grade(
      yaml,
      {
        check: 'routes-to',
        host: 'reviews',
        request: { uri: '/api/x' },
        destinations: [{ subset: 'v2', weight: 100 }],
      },
      {
        check: 'routes-to',
        host: 'reviews',
        request: { uri: '/x' },
        destinations: [{ subset: 'v1', weight: 100 }],
      },
    );
    expect(g.checks.map((c) => c.ok)).toEqual([true, true]);
  });

  it('does not apply http rules through a PASSTHROUGH Gateway server', () => {
    const gw = (mode: string) =>
      istio.productpageBehindGw(
        'shop.example.com',
        [istio.server([443, 'https', 'HTTPS'], 'shop.example.com', `mode: ${mode}`)],
        'shop',
      );
    const check: YamlCheck = {
      check: 'routes-to',
      host: 'shop.example.com',
      gateway: 'ingress',
      destinations: [{ host: 'productpage', weight: 100 }],
    };
    const passthrough = grade(gw('PASSTHROUGH'), check);
    expect(passthrough.checks[0]?.detail).toMatch(
      /PASSTHROUGH server of Gateway default\/gw routes by SNI only/,
    );
    const simple = gradeYaml(
      {
        checks: [check],
        setup: 'apiVersion: v1\nkind: Secret\nmetadata: {name: shop-cert, namespace: istio-system}\n',
      },
      gw('SIMPLE, credentialName: shop-cert'),
    );
    expect(simple.checks[0]?.ok).toBe(true);
  });

  it('reports a request no rule matches as 404 NR', () => {
    const yaml = vs(`  - match:
    - uri: {exact: /only}
    route:
    - destination: {host: reviews, subset: v1}`);
    const g = grade(yaml, {
      check: 'routes-to',
      host: 'reviews',
      destinations: [{ subset: 'v1', weight: 100 }],
    });
    expect(g.checks[0]?.detail).toMatch(/404, flag NR/);
  });

  it('accepts any subset for "*"', () => {
    const yaml = vs(istio.routeTo('reviews', 'v3'));
    const g = grade(yaml, {
      check: 'routes-to',
      host: 'reviews',
      destinations: [{ subset: '*', weight: 100 }],
    });
    expect(g.correct).toBe(true);
  });

  it('needs the VirtualService bound where the request arrives', () => {
    const yaml = vs(istio.routeTo('reviews', 'v1'), 'some-gateway');
    const g = grade(yaml, {
      check: 'routes-to',
      host: 'reviews',
      destinations: [{ subset: 'v1', weight: 100 }],
    });
    expect(g.checks[0]?.detail).toMatch(/none is bound in the mesh/);
  });
});

describe('fault, timeout, retries, mirror', () => {
  const yaml = vs(`  - fault:
      delay: {fixedDelay: 2s}
      abort: {httpStatus: 503, percentage: {value: 10}}
    timeout: 4s
    retries: {attempts: 2, perTryTimeout: 1s, retryOn: "5xx,reset"}
    mirror: {host: reviews, subset: v3}
    route:
    - destination: {host: reviews, subset: v1}`);

  it('treats a fault without percentage as never firing', () => {
    const g = grade(yaml, { check: 'fault', host: 'reviews', delay: { fixedDelay: '2s', percent: 100 } });
    expect(g.checks[0]?.detail).toMatch(/no percentage, so it never fires/);
    expect(grade(yaml, { check: 'fault', host: 'reviews', delay: 'none' }).checks[0]?.ok).toBe(true);
    expect(
      grade(yaml, { check: 'fault', host: 'reviews', abort: { httpStatus: 503, percent: 10 } }).checks[0]?.ok,
    ).toBe(true);
  });

  it('compares timeouts as durations', () => {
    expect(grade(yaml, { check: 'timeout', host: 'reviews', equals: '4000ms' }).checks[0]?.ok).toBe(true);
    expect(grade(yaml, { check: 'timeout', host: 'reviews', atLeast: '5s' }).checks[0]?.ok).toBe(false);
  });

  it('reads retryOn as comma-separated conditions', () => {
    expect(
      grade(yaml, { check: 'retries', host: 'reviews', attempts: 2, perTryTimeout: '1s', retryOn: ['reset'] })
        .checks[0]?.ok,
    ).toBe(true);
    expect(grade(yaml, { check: 'retries', host: 'reviews', retryOn: ['gateway-error'] }).checks[0]?.ok).toBe(
      false,
    );
  });

  it('says when a rule sets no retries and the default policy applies', () => {
    const plain = vs(istio.routeTo('reviews', 'v1'));
    expect(grade(plain, { check: 'retries', host: 'reviews', attempts: 3 }).checks[0]?.detail).toMatch(
      /sets no retries \(Istio's default applies: 2 attempts on connect-failure/,
    );
  });

  it('mirrors 100% when mirrorPercentage is absent', () => {
    const g = grade(yaml, {
      check: 'mirror',
      host: 'reviews',
      to: { host: 'reviews', subset: 'v3' },
      percent: 100,
    });
    expect(g.checks[0]?.ok).toBe(true);
  });
});

describe('policy, subsets, gateway-server, service-entry, outbound-mode', () => {
  it('merges a subset policy over the top-level one, setting by setting', () => {
    const g = grade(DR, {
      check: 'policy',
      host: 'reviews',
      subset: 'v2',
      expect: { 'loadBalancer.simple': 'LEAST_REQUEST', 'connectionPool.http.http1MaxPendingRequests': 10 },
    });
    expect(g.checks[0]?.ok).toBe(true);
  });

  it('checks subsets and their labels', () => {
    const ok = grade(DR, { check: 'subsets', host: 'reviews', subsets: { v1: { version: 'v1' } } });
    expect(ok.checks[0]?.ok).toBe(true);
    const bad = grade(DR, { check: 'subsets', host: 'reviews', subsets: { v4: { version: 'v4' } } });
    expect(bad.checks[0]?.detail).toMatch(/subset v4 is missing/);
  });

  it('finds a Gateway server by host, port and TLS settings', () => {
    const gw = istio.gateway('gw', [
      istio.server([443, 'https', 'HTTPS'], '"*.example.com"', 'mode: SIMPLE, credentialName: wild'),
    ]);
    const check = (tlsMode: string): YamlCheck => ({
      check: 'gateway-server',
      host: 'a.example.com',
      port: 443,
      protocol: 'https',
      tlsMode,
    });
    expect(grade(gw, check('SIMPLE')).checks[0]?.ok).toBe(true);
    expect(grade(gw, check('MUTUAL')).checks[0]?.detail).toMatch(/tls.mode is SIMPLE/);
  });

  it('checks ServiceEntries and the outbound mode', () => {
    const yaml = `meshConfig:
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
---
${istio.serviceEntry('api', 'api.example.com', [443, 'tls', 'TLS'])}`;
    const g = grade(
      yaml,
      { check: 'outbound-mode', mode: 'REGISTRY_ONLY' },
      {
        check: 'service-entry',
        host: 'api.example.com',
        port: 443,
        location: 'MESH_EXTERNAL',
        resolution: 'DNS',
      },
      { check: 'service-entry', host: 'other.example.com' },
    );
    expect(g.checks.map((c) => c.ok)).toEqual([true, true, false]);
  });
});

describe('gradeYaml', () => {
  it('counts analyzer errors as wrong even when every check passes', () => {
    // a gateway that does not exist (IST0101): the mesh routes still apply
    const yaml = vs(
      `  - route:
    - destination: {host: reviews, subset: v1}`,
      'mesh, no-such-gateway',
    );
    const g = grade(yaml, {
      check: 'routes-to',
      host: 'reviews',
      destinations: [{ subset: 'v1', weight: 100 }],
    });
    expect(g.checks[0]?.ok).toBe(true);
    expect(g.errors.map((f) => f.code)).toContain('IST0101');
    expect(g.correct).toBe(false);
  });

  it('checks what would be applied: a resource the API server refuses (unknown field) routes nothing', () => {
    const yaml = vs(`  - route:
    - destination: {host: reviews, subset: v1}
    retriez: {attempts: 3}`);
    const g = grade(yaml, {
      check: 'routes-to',
      host: 'reviews',
      destinations: [{ subset: 'v1', weight: 100 }],
    });
    expect(g.checks[0]?.ok).toBe(false);
    expect(g.errors.map((f) => f.code)).toContain('ICA0101');
    expect(g.correct).toBe(false);
  });
});
