// istio-operator-overlay graded from a cluster: `istioctl install -f istio-operator.yaml -y`
// leaves no IstioOperator on the cluster (Istio 1.24+), so the objects it would leave in
// istio-system (the istio ConfigMap's mesh config, the components' Deployments with their
// requests) are created from the trainer's own resolution of each answer, and the cluster is
// graded. An answer istioctl refuses installs nothing: the cluster keeps `cluster up`'s
// demo install (both gateways, ALLOW_ANY, text access logs).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gradeLive } from '../../src/cli/lab-grade-live.ts';
import { istioOperatorOf, profileSpec, resolveInstall } from '../../src/core/config/install/index.ts';
import { manifestObjects } from '../../src/core/config/install/manifest.ts';
import { mergeSpecs } from '../../src/core/config/install/resolve.ts';
import { loadPaths } from '../../src/core/config/load.ts';
import { type LoadedExercise, loadExercises } from '../../src/core/content/exercise-loader.ts';
import { OWNING_RESOURCE } from '../../src/core/grading/checks-install-live.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';
import { describeLive, startTestCluster, type TestCluster } from '../helpers/apiserver.ts';
import { bookinfoObjects, type Obj, RUN } from './objects.ts';
import { withScratch } from './steps.ts';

const VARIANTS = new URL('../labs/istio-operator-overlay/', import.meta.url).pathname;

/**
 * What the install of this folder's IstioOperators leaves in istio-system (labelled with
 * the owner istioctl writes: the IstioOperator's name), or undefined when istioctl refuses it.
 */
async function installed(lab: LoadedExercise, dir: string): Promise<Obj[] | undefined> {
  const offline = await gradeLab(lab, { dir });
  if (!offline.criteria.find((c) => c.id === 'valid')?.pass) return undefined;
  const load = await loadPaths([dir]);
  let spec: Record<string, unknown> = {};
  let owner = 'unknown';
  for (const r of load.resources.filter((x) => x.kind === 'IstioOperator')) {
    spec = mergeSpecs(spec, istioOperatorOf(r).spec);
    if (r.name) owner = r.name;
  }
  return installObjects(spec, owner);
}

function installObjects(spec: Record<string, unknown>, owner: string): Obj[] {
  return (manifestObjects(resolveInstall(spec)) as Obj[])
    .filter((o) => o.kind === 'Deployment' || (o.kind === 'ConfigMap' && o.metadata.name === 'istio'))
    .map((o) => ({
      ...o,
      metadata: { ...o.metadata, labels: { ...o.metadata.labels, [OWNING_RESOURCE]: owner } },
    }));
}

/** `cluster up`'s install: `istioctl install --set profile=demo`, an IstioOperator without a name. */
const clusterUp = () => installObjects({ ...profileSpec('demo') }, 'unknown');

/** An install over `cluster up`'s: what it does not apply (and does not prune) stays. */
const over = (objects: Obj[]): Obj[] => [
  ...clusterUp().filter(
    (o) => !objects.some((x) => x.kind === o.kind && x.metadata.name === o.metadata.name),
  ),
  ...objects,
];

describeLive('istio-operator-overlay graded from what istioctl install left', () => {
  let cluster: TestCluster;
  let lab: LoadedExercise;
  const ns = `iop-${RUN}`;

  beforeAll(async () => {
    cluster = await startTestCluster();
    const found = (await loadExercises()).exercises.find((e) => e.id === 'istio-operator-overlay');
    if (!found) throw new Error('lab istio-operator-overlay is needed');
    lab = found;
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  const grade = (objects: Obj[]) =>
    withScratch(cluster, async (work) => {
      await work.namespace('istio-system');
      await work.namespace(ns);
      await work.apply(bookinfoObjects(ns));
      await work.apply(objects);
      return await gradeLive(lab, { live: true, kubeconfig: cluster.kubeconfig.admin, namespace: ns });
    });
  const failing = (r: { criteria: { id: string; pass: boolean }[] }) =>
    r.criteria.filter((c) => !c.pass).map((c) => c.id);

  it('is graded live, and lab start says istioctl install', () => {
    expect(lab.modes).toContain('live');
    expect(lab.applyWith).toBe('istioctl');
  });

  it('the solution installed passes every criterion', async () => {
    const objects = await installed(lab, lab.solutionDir);
    if (!objects) throw new Error('the solution must install');
    const r = await grade(objects);
    expect(failing(r)).toEqual([]);
    expect(r.criteria.find((c) => c.id === 'profile')?.reason).toMatch(/demo's cpu 10m, memory 40Mi/);
  }, 60_000);

  it("the solution installed over cluster up's demo install: the unpruned egress gateway is a leftover, not the answer's", async () => {
    const objects = await installed(lab, lab.solutionDir);
    if (!objects) throw new Error('the solution must install');
    const r = await grade(over(objects));
    expect(failing(r)).toEqual([]);
    expect(r.criteria.find((c) => c.id === 'egress-off')?.reason).toMatch(
      /left from an earlier one \(install\.operator\.istio\.io\/owning-resource=unknown, istiod's is team-install\)/,
    );
  }, 60_000);

  it('an overlay on demo that leaves the egress gateway on (installed with its own owner) fails egress-off', async () => {
    const solution = await installed(lab, lab.solutionDir);
    if (!solution) throw new Error('the solution must install');
    const egress = installObjects({ ...profileSpec('demo') }, 'team-install').filter(
      (o) => o.metadata.name === 'istio-egressgateway',
    );
    const r = await grade(over([...solution, ...egress]));
    expect(failing(r)).toEqual(['egress-off']);
    expect(r.criteria.find((c) => c.id === 'egress-off')?.reason).toMatch(
      /istio-egressgateway is still installed/,
    );
  }, 60_000);

  it('the starter is refused by istioctl: the cluster keeps the demo install, which fails', async () => {
    expect(await installed(lab, lab.starterDir)).toBeUndefined();
    const r = await grade(clusterUp());
    expect(r.pass).toBe(false);
    expect(failing(r)).toEqual(['egress-off', 'access-log', 'registry-only', 'istiod-resources']);
    expect(r.criteria.find((c) => c.id === 'egress-off')?.reason).toMatch(
      /istio-egressgateway is still installed/,
    );
  }, 60_000);

  it.each([
    ['correct-egress-list-replaced', []],
    ['correct-two-files', []],
    ['correct-values-pilot', []],
    ['wrong-cpu-cores', ['istiod-resources']],
    ['wrong-default-profile', ['profile']],
  ])(
    '%s installed fails %j',
    async (variant, fails) => {
      const objects = await installed(lab, `${VARIANTS}${variant}`);
      if (!objects) throw new Error(`${variant} must install`);
      const r = await grade(objects);
      expect(failing(r)).toEqual(fails);
    },
    60_000,
  );

  it('wrong-outbound-string is refused by istioctl (installs nothing)', async () => {
    expect(await installed(lab, `${VARIANTS}wrong-outbound-string`)).toBeUndefined();
  });

  it('nothing in istio-system to see: egress-off does not pass on an empty read', async () => {
    const r = await grade([]);
    expect(failing(r)).toContain('egress-off');
    expect(r.criteria.find((c) => c.id === 'egress-off')?.reason).toMatch(
      /cannot tell whether istio-egressgateway/,
    );
  }, 60_000);
});
