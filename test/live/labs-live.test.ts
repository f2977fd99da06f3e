// Every lab graded from the real API server, as `lab check --live` does: each
// reference solution, applied to its own namespace next to Bookinfo's Services
// and Pods, passes; each starter fails. What the API server does to a resource
// on its way in (defaults, pruning, the CRDs' structural schemas) must not change
// a verdict. The egress labs get the mesh's REGISTRY_ONLY from the istio
// ConfigMap, as an instructor or `cluster up` would set it. The security labs name their
// namespaces (default, istio-system, legacy) and are applied as written. The TLS labs'
// credential Secrets are in istio-system, as their READMEs have the learner create them
// (their data is graded: ingress-credentials-live.test.ts has the Secrets that fail).
// As `cluster up` leaves it, the cluster runs Istio's sample ext-authz in foo and the istio
// ConfigMap names it (the mesh's extension providers); a lab's clusterProvides files
// (fix-custom-provider's ext-authz.yaml and mesh-config.yaml) are not applied again.
import { expect, it } from 'vitest';
import { gradeLive } from '../../src/cli/lab-grade-live.ts';
import { extAuthzManifests } from '../../src/core/cluster/ext-authz-sample.ts';
import { LEGACY_NAMESPACE, plaintextClientManifests } from '../../src/core/config/bookinfo.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { describeLive } from '../helpers/apiserver.ts';
import {
  clusterUpMeshConfigMap as meshConfigMap,
  meshConfigMap as plainMeshConfigMap,
  yamlAsWritten,
  yamlObjects,
} from '../helpers/yaml-objects.ts';
import {
  bookinfoObjects,
  clusterObjects,
  credentialSecrets,
  gatewayObjects,
  type Obj,
  podFor,
  RUN,
} from './objects.ts';
import { failing, sharedCluster, withScratch } from './steps.ts';

// The Installation labs hold cluster-scoped objects and fixed namespaces: install-labs-live.test.ts.
// The ambient labs need Bookinfo's pods without sidecars (an ambient namespace): ambient-live.test.ts.
const labs = loadExercises().exercises.filter(
  (e) => e.modes.includes('live') && !e.domain.startsWith('Installation') && !e.id.startsWith('ambient-'),
);

const istioObjects = (dir: string, ns: string): Obj[] => yamlObjects<Obj>(dir, ns);

describeLive('every lab graded from the cluster', () => {
  const shared = sharedCluster(async (scratch) => {
    await scratch.namespace('istio-system');
    await scratch.apply([...gatewayObjects(), ...credentialSecrets()]);
    // cluster up's sample external authorizer: namespace foo (injected), its Service and pod
    const extAuthz = clusterObjects(extAuthzManifests());
    for (const o of extAuthz.filter((o) => o.kind === 'Namespace')) await scratch.applyOne(o);
    await scratch.apply(extAuthz.filter((o) => o.kind !== 'Namespace'));
  }, 120_000);

  it("an Error in another namespace is that namespace's, not this lab's (as analyze --live -n)", async () => {
    const canary = labs.find((l) => l.id === 'canary-20');
    const broken = labs.find((l) => l.id === 'fix-missing-subset');
    if (!canary || !broken) throw new Error('labs canary-20 and fix-missing-subset are needed');
    const mine = `mine-${RUN}`;
    const other = `other-${RUN}`;
    await withScratch(shared.cluster, async (work) => {
      await work.namespace(mine);
      await work.namespace(other);
      await work.apply([
        ...bookinfoObjects(mine),
        ...istioObjects(canary.solutionDir, mine),
        ...bookinfoObjects(other),
        ...istioObjects(broken.starterDir, other),
      ]);
      const flags = { live: true, kubeconfig: shared.cluster.kubeconfig.admin };
      const ok = await gradeLive(canary, { ...flags, namespace: mine });
      expect(failing(ok)).toEqual([]);
      expect(ok.findings.map((f) => f.resource?.namespace)).not.toContain(other);
      const theirs = await gradeLive(broken, { ...flags, namespace: other });
      expect(theirs.criteria.find((c) => c.id === 'valid')?.codes).toContain('IST0101');
    });
  });

  // Labs whose YAML names its namespaces (the security labs) are applied as written, next
  // to Bookinfo in that namespace and the plaintext client in legacy, one at a time.
  for (const lab of labs.filter((l) => l.namespace)) {
    it(`${lab.id}: applied as written in ${lab.namespace}, the solution passes and the starter fails`, async () => {
      const ns = lab.namespace as string;
      await shared.scratch.applyOne(meshConfigMap<Obj>(lab.outboundMode ?? 'ALLOW_ANY'));
      const grade = (dir: string) =>
        withScratch(shared.cluster, async (work) => {
          const written = yamlAsWritten<Obj>(dir, lab.clusterProvides);
          // every namespace the files name (fix-policy-namespace's starter sits in foo)
          const namespaces = new Set([
            ns,
            LEGACY_NAMESPACE,
            ...written.map((o) => o.metadata.namespace ?? ns),
          ]);
          for (const name of namespaces) await work.namespace(name);
          await work.apply([...bookinfoObjects(ns), ...clusterObjects(plaintextClientManifests())]);
          for (const o of written) await work.applyOne(o);
          // the Pods the files' Deployments run (the export job, tcp-echo): no controller makes them here
          await work.apply(written.filter((o) => o.kind === 'Deployment').flatMap((o) => podFor(o)));
          return await gradeLive(lab, { live: true, kubeconfig: shared.cluster.kubeconfig.admin });
        });
      const solution = await grade(lab.solutionDir);
      expect(failing(solution)).toEqual([]);
      const starter = await grade(lab.starterDir);
      expect(starter.pass).toBe(false);
    }, 60_000);
  }

  // The other answer the README allows: `kubectl -n istio-system edit configmap istio`,
  // renaming the provider to the policy's. And the mesh config is the cluster's: without
  // cluster up's providers in it, even the reference policy's rule becomes a DENY rule.
  it('fix-custom-provider: renaming the provider in the istio ConfigMap passes; a ConfigMap without the providers fails the solution', async () => {
    const lab = labs.find((l) => l.id === 'fix-custom-provider');
    if (!lab) throw new Error('lab fix-custom-provider is needed');
    const grade = (dir: string, mesh: Obj) =>
      withScratch(shared.cluster, async (work) => {
        await work.applyOne(mesh);
        await work.namespace(LEGACY_NAMESPACE);
        await work.apply([...bookinfoObjects('default'), ...clusterObjects(plaintextClientManifests())]);
        for (const o of yamlAsWritten<Obj>(dir, lab.clusterProvides)) await work.applyOne(o);
        return await gradeLive(lab, { live: true, kubeconfig: shared.cluster.kubeconfig.admin });
      });
    const clusterUp = meshConfigMap<Obj & { data: { mesh: string } }>('ALLOW_ANY');
    const renamed = {
      ...clusterUp,
      data: { mesh: clusterUp.data.mesh.replace('name: sample-ext-authz-http', 'name: ext-authz-http') },
    };
    const edited = await grade(lab.starterDir, renamed);
    expect(failing(edited)).toEqual([]);
    const bare = await grade(lab.solutionDir, plainMeshConfigMap<Obj>('ALLOW_ANY'));
    const failed = bare.criteria.filter((c) => !c.pass).map((c) => c.id);
    // ICA1207 (the validity gate) names the provider istiod cannot find; /productpage is refused
    // by Envoy, header or not, while paths the CUSTOM rule does not match are served (1.20+)
    expect(failed).toEqual(['valid', 'checked-by-authorizer', 'allowed-with-header']);
    expect(bare.criteria.find((c) => c.id === 'valid')?.codes).toContain('ICA1207');
    expect(bare.criteria.find((c) => c.id === 'allowed-with-header')?.reason).toContain('403');
  }, 60_000);

  labs
    .filter((l) => !l.namespace)
    .forEach((lab, i) => {
      it(`${lab.id}: the applied solution passes, the applied starter fails`, async () => {
        await shared.scratch.applyOne(meshConfigMap<Obj>(lab.outboundMode ?? 'ALLOW_ANY'));
        // one lab on the cluster at a time, as a learner works: the ingress gateway is shared
        const grade = (dir: string, ns: string) =>
          withScratch(shared.cluster, async (work) => {
            await work.namespace(ns);
            await work.apply([...bookinfoObjects(ns), ...istioObjects(dir, ns)]);
            return await gradeLive(lab, {
              live: true,
              kubeconfig: shared.cluster.kubeconfig.admin,
              namespace: ns,
            });
          });
        const solution = await grade(lab.solutionDir, `lab${i}-ok-${RUN}`);
        expect(failing(solution)).toEqual([]);
        const starter = await grade(lab.starterDir, `lab${i}-start-${RUN}`);
        expect(starter.pass).toBe(false);
      }, 60_000);
    });
});
