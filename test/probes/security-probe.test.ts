// `lab check --live --probe` on security checks: 403 and 401 are counted from the
// fortio sidecar's istio_requests_total like any status; what fortio cannot stand in
// for (the plaintext legacy client, a caller an AuthorizationPolicy tells apart by its
// identity) is simulated on the cluster's configuration, and the result says why.
import { describe, expect, it } from 'vitest';
import { ProbeSimulator } from '../../src/cli/lab-probe.ts';
import { securityUnprobeable } from '../../src/cli/probe-callers.ts';
import type { Snapshot } from '../../src/core/config/snapshot.ts';
import type { SimulateOptions } from '../../src/core/sim/index.ts';
import { SAMPLE_TOKENS } from '../../src/core/sim/security/samples.ts';
import { snapshotOf } from '../sim/helpers.ts';
import { emulatedCluster } from './emulated-cluster.ts';

const SEC = 'apiVersion: security.istio.io/v1';

const BY_PRINCIPAL = `${SEC}
kind: AuthorizationPolicy
metadata: {name: ratings-viewer, namespace: default}
spec:
  selector: {matchLabels: {app: ratings}}
  rules:
  - from: [{source: {principals: ["cluster.local/ns/default/sa/bookinfo-reviews"]}}]
`;

const NOTHING_ON_REVIEWS = `${SEC}
kind: AuthorizationPolicy
metadata: {name: allow-nothing, namespace: default}
spec:
  selector: {matchLabels: {app: reviews}}
`;

const JWT_ON_DETAILS = `${SEC}
kind: RequestAuthentication
metadata: {name: jwt, namespace: default}
spec:
  selector: {matchLabels: {app: details}}
  jwtRules:
  - issuer: testing@secure.istio.io
    jwksUri: https://raw.githubusercontent.com/istio/istio/release-1.26/security/tools/jwt/samples/jwks.json
---
${SEC}
kind: AuthorizationPolicy
metadata: {name: require-jwt, namespace: default}
spec:
  selector: {matchLabels: {app: details}}
  rules:
  - from: [{source: {requestPrincipals: ["*"]}}]
`;

/** Probes one request through the emulated cluster: the first pass notes it, the second answers. */
async function probed(snapshot: Snapshot, o: SimulateOptions) {
  const calls: string[][] = [];
  const cluster = emulatedCluster(snapshot);
  const sim = new ProbeSimulator({
    namespace: 'default',
    run: async (spec) => {
      calls.push([...spec.args]);
      return cluster.run(spec);
    },
  });
  sim.simulate(snapshot, o);
  await sim.fetch();
  return { result: sim.simulate(snapshot, o), calls };
}

describe('live probes of security checks', () => {
  it('counts 403 RBAC from the sidecar, as any status', async () => {
    const { result, calls } = await probed(snapshotOf(NOTHING_ON_REVIEWS), {
      to: 'reviews',
      path: '/reviews/0',
      requests: 50,
    });
    expect(calls.some((a) => a.includes('pilot-agent'))).toBe(true);
    expect(result.summary.statuses).toEqual([{ status: 403, flags: '-', count: 50, percent: 100 }]);
    expect(result.summary.notes?.join(' ')).toMatch(/counted by the fortio client's sidecar/);
    expect(result.summary.notes?.join(' ')).not.toMatch(/simulated on the cluster's configuration/);
  });

  it('sends the JWT from fortio: 401 for a forged token, 403 without one, 200 with a valid one', async () => {
    const snapshot = snapshotOf(JWT_ON_DETAILS);
    const statusWith = async (token?: string) => {
      const { result } = await probed(snapshot, {
        to: 'details',
        path: '/details/0',
        requests: 20,
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });
      return result.summary.statuses.map((s) => s.status);
    };
    expect(await statusWith(SAMPLE_TOKENS.forged?.token)).toEqual([401]);
    expect(await statusWith()).toEqual([403]);
    expect(await statusWith(SAMPLE_TOKENS.demo?.token)).toEqual([200]);
  });

  it('does not stand fortio in for the plaintext legacy client, and says why', async () => {
    const snapshot = snapshotOf(NOTHING_ON_REVIEWS);
    expect(securityUnprobeable(snapshot, { to: 'reviews.default', from: 'legacy/curl' }, 'default')).toBe(
      'legacy/curl has no sidecar: its plaintext requests cannot be sent from the fortio client (whose sidecar speaks mTLS), and no istio_requests_total counts them',
    );
    const { result, calls } = await probed(snapshot, {
      to: 'reviews.default',
      from: 'legacy/curl',
      requests: 10,
    });
    expect(calls).toEqual([]);
    expect(result.summary.notes).toEqual([
      expect.stringMatching(/^simulated on the cluster's configuration: legacy\/curl has no sidecar/),
    ]);
  });

  it('does not stand fortio in for a caller a policy tells apart by identity', () => {
    const snapshot = snapshotOf(BY_PRINCIPAL);
    expect(securityUnprobeable(snapshot, { to: 'ratings', from: 'reviews-v2' }, 'default')).toBe(
      'AuthorizationPolicy default/ratings-viewer tells callers of ratings apart by principals, and live probes send as fortio-deploy (service account fortio), not as reviews-v2',
    );
    // other services, and policies on paths or JWTs only, are measured from fortio
    expect(
      securityUnprobeable(snapshot, { to: 'reviews', from: 'productpage-v1' }, 'default'),
    ).toBeUndefined();
    expect(securityUnprobeable(snapshotOf(JWT_ON_DETAILS), { to: 'details' }, 'default')).toBeUndefined();
  });
});
