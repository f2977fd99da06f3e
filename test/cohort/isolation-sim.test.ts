// The Sidecar cohort init writes in each learner namespace ("./*" and "istio-system/*")
// isolates learners in the simulator too: another learner's VirtualService for this
// learner's host, exported everywhere, is not imported by this learner's proxies.
import { describe, expect, it } from 'vitest';
import { manifestsYaml } from '../../src/core/cluster/manifests.ts';
import { learnerManifests, learnerSidecarManifest } from '../../src/core/cohort/manifests.ts';
import { learnerNamespace } from '../../src/core/cohort/roster.ts';
import { routeRequest } from '../../src/core/sim/index.ts';
import { run, snapshotOf, versionPercent } from '../sim/helpers.ts';

const COHORT = 'spring';
const alice = learnerNamespace(COHORT, 'alice');
const bob = learnerNamespace(COHORT, 'bob');

/** bob's VirtualService (exported to "*", Istio's default) for alice's reviews. */
const bobHijacks = `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews-alice, namespace: ${bob}}
spec:
  hosts: [reviews.${alice}.svc.cluster.local]
  http:
  - route:
    - destination: {host: reviews.${alice}.svc.cluster.local, subset: v3}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews-alice, namespace: ${bob}}
spec:
  host: reviews.${alice}.svc.cluster.local
  subsets:
  - {name: v3, labels: {version: v3}}
`;

function cohortYaml(withSidecars: boolean): string {
  // what the simulator reads (the learners' RBAC objects are not among its kinds)
  const manifests = [...learnerManifests(COHORT, 'alice'), ...learnerManifests(COHORT, 'bob')].filter(
    (m) => !['ServiceAccount', 'Role', 'RoleBinding'].includes(String(m.kind)),
  );
  if (withSidecars)
    manifests.push(learnerSidecarManifest(COHORT, 'alice'), learnerSidecarManifest(COHORT, 'bob'));
  return `${manifestsYaml(manifests)}\n${bobHijacks}`;
}

describe('cohort isolation in the simulator', () => {
  it("without the Sidecars, bob's VirtualService reroutes alice's reviews", () => {
    const sim = run(
      cohortYaml(false),
      { to: 'reviews:9080', from: `${alice}/productpage-v1`, requests: 200 },
      {},
    );
    expect(versionPercent(sim.summary, 'reviews', 'v3')).toBe(100);
  });

  it("with cohort init's Sidecar, alice's proxies ignore it and reach every version", () => {
    const yaml = cohortYaml(true);
    const sim = run(yaml, { to: 'reviews:9080', from: `${alice}/productpage-v1`, requests: 600 });
    expect(versionPercent(sim.summary, 'reviews', 'v3')).toBeLessThan(60);
    expect(versionPercent(sim.summary, 'reviews', 'v1')).toBeGreaterThan(10);
    // alice's own services are imported: no passthrough
    const r = routeRequest(snapshotOf(yaml, { bookinfo: false }), {
      to: 'reviews:9080',
      from: `${alice}/productpage-v1`,
      namespace: alice,
    });
    expect(r.outcome).toBe('route');
    expect(r.destinations[0]?.cluster).toBe(`outbound|9080||reviews.${alice}.svc.cluster.local`);
  });
});
