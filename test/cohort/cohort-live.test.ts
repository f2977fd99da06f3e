// Cohorts against the real test API server (test/helpers/apiserver.ts): a cohort of
// three is set up; each learner, with their own kubeconfig, can manage Istio resources
// in their namespace and nothing elsewhere; the instructor grades all three with
// different outcomes; the report says so in every format; init again changes nothing.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCohortAdd, runCohortInit, runCohortRemove } from '../../src/cli/cohort-actions.ts';
import { runCohortGrade, runCohortReport } from '../../src/cli/cohort-grade-actions.ts';
import { gradeLive } from '../../src/cli/lab-grade-live.ts';
import { UserError } from '../../src/cli/output.ts';
import { resolveKubeconfig } from '../../src/core/cluster/kubeconfig.ts';
import { loadCluster } from '../../src/core/cluster/live-source.ts';
import { learnerManifests } from '../../src/core/cohort/manifests.ts';
import type { SetupResult } from '../../src/core/cohort/setup.ts';
import type { GradeRun } from '../../src/core/cohort/store.ts';
import { gradeLab } from '../../src/core/grading/grade.ts';
import type { CohortReport } from '../../src/core/report/cohort-report.ts';
import { applyObject, describeLive, startTestCluster, type TestCluster } from '../helpers/apiserver.ts';
import { gatewayObjects, Scratch } from '../live/objects.ts';
import { CHROMIUM, renderReport } from './browser.ts';
import { lab, type Obj, podsFor, yamlObjects } from './fixtures.ts';

const COHORT = 'spring';
const LEARNERS = ['alice', 'bob', 'carol'] as const;
const ROUTE = lab('route-all-v1');
const SUBSET = lab('fix-missing-subset');

function capture() {
  const chunks: string[] = [];
  return {
    write: async (t: string) => {
      chunks.push(t);
    },
    text: () => chunks.join(''),
  };
}

function objectsApi(kubeconfig: string): KubernetesObjectApi {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return KubernetesObjectApi.makeApiClient(kc);
}

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (e) {
    if (e instanceof ApiException) return e.code;
    throw e;
  }
}

/** `kubectl auth can-i`, as the API server answers it for this account. */
async function canI(
  api: KubernetesObjectApi,
  namespace: string,
  verb: string,
  resource: string,
  subresource?: string,
  group = '',
): Promise<boolean> {
  const review = await api.create({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: { namespace, verb, resource, group, ...(subresource ? { subresource } : {}) },
    },
  } as KubernetesObject);
  return (review as { status?: { allowed?: boolean } }).status?.allowed === true;
}

const vs = (namespace: string, name = 'probe'): KubernetesObject =>
  ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace },
    spec: { hosts: ['ratings'], http: [{ route: [{ destination: { host: 'ratings' } }] }] },
  }) as KubernetesObject;

describeLive('cohorts on a shared cluster', () => {
  let cluster: TestCluster;
  let work: string;
  let home: string;
  let dir: string;
  let roster: string;
  const env = () => ({ ICA_TRAINER_HOME: home });
  const admin = () => ({ kubeconfig: cluster.kubeconfig.admin, requestTimeout: '10s' });
  const kubeconfigOf = (id: string) => join(dir, `${id}.kubeconfig`);

  beforeAll(async () => {
    cluster = await startTestCluster();
    work = mkdtempSync(join(tmpdir(), 'ica-cohort-live-'));
    home = join(work, 'state');
    dir = join(work, 'kubeconfigs');
    roster = join(work, 'spring.txt');
    writeFileSync(roster, `# spring cohort\n${LEARNERS.join('\n')}\n`);
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  let first: SetupResult;
  it('init creates a labelled namespace with Bookinfo, an account and a kubeconfig per learner', async () => {
    const out = capture();
    const code = await runCohortInit(
      roster,
      { ...admin(), dir, tokenTtl: '720h', output: 'json' },
      { env: env(), write: out.write },
    );
    expect(code).toBe(0);
    first = JSON.parse(out.text()) as SetupResult;
    expect(first.cohort).toBe(COHORT);
    expect(first.learners.map((l) => [l.id, l.namespace, l.kubeconfigAction])).toEqual([
      ['alice', 'spring-alice', 'written'],
      ['bob', 'spring-bob', 'written'],
      ['carol', 'spring-carol', 'written'],
    ]);
    // Bookinfo, the account, and the Sidecar that isolates the namespace
    const perLearner = learnerManifests(COHORT, 'alice').length + 1;
    for (const l of first.learners)
      expect(l.objects).toEqual({ created: perLearner, updated: 0, unchanged: 0 });
    expect(first.learners[0]?.changes).toContain('created Sidecar spring-alice/default');
    expect(first.shared.created).toBe(5);
    // no istio ConfigMap yet (no mesh config to check), and the Sidecar kind is served
    expect(first.warnings).toEqual([]);
    const sidecar = (await cluster.objects.read({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name: 'default', namespace: 'spring-bob' },
    })) as KubernetesObject & { spec?: unknown };
    expect(sidecar.spec).toEqual({ egress: [{ hosts: ['./*', 'istio-system/*'] }] });
    const ns = (await cluster.objects.read({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'spring-bob' },
    })) as KubernetesObject;
    expect(ns.metadata?.labels).toMatchObject({
      'ica-trainer/cohort': COHORT,
      'ica-trainer/learner': 'bob',
      'istio-injection': 'enabled',
    });
    const deployments = await cluster.objects.list('apps/v1', 'Deployment', 'spring-bob');
    expect(deployments.items.map((d) => d.metadata?.name).sort()).toEqual([
      'details-v1',
      'fortio-deploy',
      'productpage-v1',
      'ratings-v1',
      'reviews-v1',
      'reviews-v2',
      'reviews-v3',
    ]);
    expect(readdirSync(dir).sort()).toEqual([
      '_grader.kubeconfig',
      'alice.kubeconfig',
      'bob.kubeconfig',
      'carol.kubeconfig',
    ]);
  });

  it("a learner's kubeconfig makes their namespace the default", async () => {
    const r = resolveKubeconfig({ kubeconfig: kubeconfigOf('alice'), env: {} });
    expect(r.namespace).toBe('spring-alice');
    expect(r.server).toBe(cluster.server);
    // ica-trainer's live source, as the learner: their namespace, without -n
    const live = await loadCluster({ kubeconfig: kubeconfigOf('alice'), env: {} });
    expect(live.namespace).toBe('spring-alice');
    expect(live.load.resources.filter((x) => x.kind === 'Service').map((x) => x.namespace)).toEqual(
      Array(5).fill('spring-alice'),
    );
  });

  it('each learner manages Istio resources in their own namespace only', async () => {
    for (const id of LEARNERS) {
      const api = objectsApi(kubeconfigOf(id));
      const own = `spring-${id}`;
      const other = `spring-${LEARNERS.find((x) => x !== id)}`;
      expect(await status(api.create(vs(own))), `${id} creates in ${own}`).toBe(200);
      expect(await status(api.delete(vs(own))), `${id} deletes in ${own}`).toBe(200);
      expect(await status(api.create(vs(other))), `${id} in ${other}`).toBe(403);
      expect(await status(api.create(vs('default'))), `${id} in default`).toBe(403);
      expect(
        await status(api.list('networking.istio.io/v1', 'VirtualService', other)),
        `${id} lists ${other}`,
      ).toBe(403);
      expect(await status(api.list('v1', 'Pod', own)), `${id} reads pods`).toBe(200);
      // live probes: `kubectl exec deploy/fortio-deploy` in their own namespace, nowhere else
      expect(await canI(api, own, 'create', 'pods', 'exec'), `${id} execs in ${own}`).toBe(true);
      expect(await canI(api, own, 'get', 'deployments', undefined, 'apps'), `${id} reads deployments`).toBe(
        true,
      );
      expect(await canI(api, other, 'create', 'pods', 'exec'), `${id} execs in ${other}`).toBe(false);
      expect(await status(api.list('v1', 'Secret', own)), `${id} reads secrets`).toBe(403);
      // the Sidecar that isolates them is the instructor's: learners cannot change or remove it
      for (const verb of ['update', 'patch', 'delete', 'create'])
        expect(
          await canI(api, own, verb, 'sidecars', undefined, 'networking.istio.io'),
          `${id} may ${verb} sidecars`,
        ).toBe(false);
      // ... but may read it: `lab check --live` simulates with it, as grading does
      expect(
        await canI(api, own, 'list', 'sidecars', undefined, 'networking.istio.io'),
        `${id} reads sidecars`,
      ).toBe(true);
      expect(
        await status(
          api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: own } }),
        ),
        `${id} creates a ConfigMap`,
      ).toBe(403);
    }
    // and the grader's account reads everywhere, writes nowhere
    const grader = objectsApi(join(dir, '_grader.kubeconfig'));
    expect(await status(grader.list('networking.istio.io/v1', 'VirtualService'))).toBe(200);
    expect(await status(grader.list('networking.istio.io/v1', 'Sidecar'))).toBe(200);
    expect(await status(grader.create(vs('spring-alice')))).toBe(403);
    expect(await status(grader.list('v1', 'Secret'))).toBe(403);
  });

  let run: GradeRun;
  it('the instructor grades all three: solution, wrong answer, nothing', async () => {
    // The Pods the Deployments would make (no controllers run here).
    for (const id of LEARNERS) {
      for (const pod of podsFor(learnerManifests(COHORT, id))) await applyObject(cluster.objects, pod);
    }
    // Each learner applies with their own credentials.
    const apply = async (id: string, objects: Obj[]) => {
      const api = objectsApi(kubeconfigOf(id));
      for (const o of objects) await applyObject(api, o as KubernetesObject);
    };
    await apply('alice', yamlObjects(ROUTE.solutionDir, 'spring-alice'));
    await apply('bob', yamlObjects(ROUTE.starterDir, 'spring-bob'));

    const out = capture();
    const code = await runCohortGrade(
      { ...admin(), lab: [ROUTE.id, SUBSET.id], concurrency: 8, output: 'json' },
      { env: env(), write: out.write },
    );
    expect(code).toBe(0);
    run = JSON.parse(out.text()) as GradeRun;
    const outcome = (id: string, labId: string) =>
      run.learners.find((l) => l.id === id)?.results.find((r) => r.lab === labId);
    expect(outcome('alice', ROUTE.id)).toMatchObject({ attempted: true, pass: true });
    expect(outcome('bob', ROUTE.id)).toMatchObject({ attempted: true, pass: false });
    // The same explanation as offline `lab check` of the same files, in bob's namespace.
    const offline = await gradeLab(ROUTE, { dir: ROUTE.starterDir });
    const failing = (criteria: { id: string; pass: boolean; reason: string }[], ns: string) =>
      criteria.filter((c) => !c.pass).map((c) => `${c.id}: ${c.reason.replaceAll(ns, 'NS')}`);
    expect(failing(outcome('bob', ROUTE.id)?.criteria ?? [], 'spring-bob')).toEqual(
      failing(offline.criteria, 'default'),
    );
    expect(failing(offline.criteria, 'default').map((c) => c.split(':')[0])).toEqual([
      'valid',
      'subsets',
      'pinned',
      'no-stars',
    ]);
    expect(outcome('carol', ROUTE.id)).toMatchObject({ attempted: false, pass: false });
    expect(run.learners.map((l) => l.istioResources)).toEqual([8, 1, 0]);
    // One read for the whole cohort: discovery (2), the cohort's namespaces, 5 Istio kinds
    // (Sidecars too: cohort init's isolation is simulated), services, pods, istio-system
    // secrets, the mesh ConfigMap, Gateway API discovery (3: group, v1, v1beta1) and its
    // gateways and httproutes (the test server serves no other route kind).
    expect(run.requests).toBe(17);

    // The read-only grader account grades the same.
    const graded = capture();
    await runCohortGrade(
      {
        kubeconfig: join(dir, '_grader.kubeconfig'),
        lab: [ROUTE.id, SUBSET.id],
        concurrency: 2,
        output: 'json',
      },
      { env: env(), write: graded.write },
    );
    const again = JSON.parse(graded.text()) as GradeRun;
    expect(again.learners.map((l) => l.results.map((r) => r.pass))).toEqual(
      run.learners.map((l) => l.results.map((r) => r.pass)),
    );
    expect(readdirSync(join(home, 'cohorts', COHORT, 'runs'))).toHaveLength(2);
  });

  it('reports the learners in every format', async () => {
    const report = async (output: 'text' | 'json' | 'csv' | 'junit' | 'html', out?: string) => {
      const c = capture();
      expect(
        await runCohortReport(
          { output, top: 10, ...(out ? { out } : {}) },
          { env: env(), write: c.write, color: false },
        ),
      ).toBe(0);
      return c.text();
    };
    const text = await report('text');
    expect(text).toContain('Cohort spring: 3 learners, 2 labs, 2 grading runs');
    expect(text).toMatch(/^alice\s+✓1\s+✗1\s+1\/2$/m);
    expect(text).toMatch(/^bob\s+✗1\s+✗1\s+0\/2$/m);
    expect(text).toMatch(/^carol\s+·\s+·\s+0\/2$/m);
    expect(text).toMatch(/IST0101 +ReferencedResourceNotFound: 1 learner, 2 failing labs/);

    const json = JSON.parse(await report('json')) as CohortReport;
    expect(json.learners.map((l) => [l.id, l.cells[ROUTE.id]?.status, l.cells[ROUTE.id]?.attempts])).toEqual([
      ['alice', 'passed', 1],
      ['bob', 'failed', 1],
      ['carol', 'not-started', 0],
    ]);
    expect(json.labs.find((l) => l.id === ROUTE.id)).toMatchObject({ passed: 1, attempted: 2 });

    const csv = (await report('csv')).trimEnd().split('\r\n');
    expect(
      csv.filter((r) => r.includes(`,${ROUTE.id},`)).map((r) => r.split(',').slice(0, 6).join(',')),
    ).toEqual([
      'alice,spring-alice,no,route-all-v1,passed,1',
      'bob,spring-bob,no,route-all-v1,failed,1',
      'carol,spring-carol,no,route-all-v1,not-started,0',
    ]);

    const junit = await report('junit');
    expect(junit).toContain(
      '<testsuites name="cohort spring" tests="6" failures="3" errors="0" skipped="2">',
    );
    expect(junit).toMatch(/<testsuite name="carol" tests="2" failures="0" errors="0" skipped="2"/);

    const file = join(work, 'report.html');
    expect(await report('html', file)).toContain('Wrote the html report of cohort spring');
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('data-learner="alice" data-lab="route-all-v1" data-status="passed"');
    if (existsSync(CHROMIUM)) {
      const shot = join(mkdtempSync(join(tmpdir(), 'ica-cohort-shot-')), 'cohort-live.png');
      const r = await renderReport(file, shot);
      const grid = Object.fromEntries(
        r.cells.filter((c) => c.lab === ROUTE.id).map((c) => [c.learner, c.status]),
      );
      expect(grid).toEqual({ alice: 'passed', bob: 'failed', carol: 'not-started' });
      expect(r.bars[ROUTE.id]).toBe(33);
      expect(r.requests).toEqual([]);
      console.info(`[cohort] live HTML report screenshot: ${shot}`);
    }
  }, 90_000);

  it('init again changes nothing: same objects, same resourceVersions, same kubeconfigs', async () => {
    const versions = async () => {
      const out: Record<string, string> = {};
      for (const id of LEARNERS) {
        for (const m of learnerManifests(COHORT, id)) {
          const o = await cluster.objects.read(
            m as unknown as KubernetesObject & { metadata: { name: string } },
          );
          out[
            `${m.kind}/${(m.metadata as { namespace?: string }).namespace}/${(m.metadata as { name: string }).name}`
          ] = o.metadata?.resourceVersion ?? '';
        }
      }
      return out;
    };
    const files = () =>
      Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    const record = () => readFileSync(join(home, 'cohorts', COHORT, 'cohort.json'), 'utf8');
    const [v1, f1, r1] = [await versions(), files(), record()];
    const out = capture();
    await runCohortInit(
      roster,
      { ...admin(), dir, tokenTtl: '720h', output: 'json' },
      { env: env(), write: out.write },
    );
    const second = JSON.parse(out.text()) as SetupResult;
    expect(
      second.learners.map((l) => [l.id, l.objects.created + l.objects.updated, l.kubeconfigAction]),
    ).toEqual([
      ['alice', 0, 'unchanged'],
      ['bob', 0, 'unchanged'],
      ['carol', 0, 'unchanged'],
    ]);
    expect(second.shared).toEqual({ created: 0, updated: 0, unchanged: 5 });
    expect(second.graderKubeconfigAction).toBe('unchanged');
    expect(second.recordWritten).toBe(false);
    expect(await versions()).toEqual(v1);
    expect(files()).toEqual(f1);
    expect(record()).toBe(r1);
    const text = capture();
    await runCohortInit(
      roster,
      { ...admin(), dir, tokenTtl: '720h', output: 'text' },
      { env: env(), write: text.write, color: false },
    );
    expect(text.text()).toContain('Nothing to change: all');
  });

  it('add and remove a learner: access revoked, namespace deleted after asking, results kept', async () => {
    const out = capture();
    await runCohortAdd(
      ['dave'],
      { ...admin(), tokenTtl: '720h', output: 'json' },
      { env: env(), write: out.write },
    );
    expect((JSON.parse(out.text()) as SetupResult).learners.map((l) => l.namespace)).toEqual(['spring-dave']);
    const dave = objectsApi(kubeconfigOf('dave'));
    expect(await status(dave.create(vs('spring-dave')))).toBe(200);
    await runCohortGrade(
      { ...admin(), lab: [ROUTE.id], concurrency: 8, output: 'json' },
      { env: env(), write: capture().write },
    );

    // No terminal, no --yes: refused, nothing changed.
    await expect(runCohortRemove(['dave'], { ...admin() }, { env: env() })).rejects.toThrow(UserError);
    const said = capture();
    await runCohortRemove(
      ['dave'],
      { ...admin() },
      { env: env(), write: said.write, confirm: async () => false },
    );
    expect(said.text()).toBe('Nothing changed.\n');
    expect(await status(dave.create(vs('spring-dave', 'still-here')))).toBe(200);

    const removed = capture();
    let asked = '';
    await runCohortRemove(
      ['dave'],
      { ...admin() },
      {
        env: env(),
        write: removed.write,
        confirm: async (q) => {
          asked = q;
          return true;
        },
      },
    );
    expect(asked).toContain('delete namespace spring-dave');
    expect(removed.text()).toContain('Removed dave: access revoked, namespace spring-dave deleted.');
    expect(
      await status(
        cluster.objects.read({
          apiVersion: 'networking.istio.io/v1',
          kind: 'Sidecar',
          metadata: { name: 'default', namespace: 'spring-dave' },
        }),
      ),
    ).toBe(404);
    // 401 once the token authenticator sees the ServiceAccount gone, 403 while RBAC does first
    expect([401, 403]).toContain(await status(dave.create(vs('spring-dave', 'after'))));
    expect(existsSync(kubeconfigOf('dave'))).toBe(false);

    // Grading leaves the namespace being deleted out; the report keeps dave's results.
    const graded = capture();
    await runCohortGrade(
      { ...admin(), lab: [ROUTE.id], concurrency: 8, output: 'json' },
      { env: env(), write: graded.write },
    );
    expect((JSON.parse(graded.text()) as GradeRun).learners.map((l) => l.id)).toEqual([
      'alice',
      'bob',
      'carol',
    ]);
    const rep = capture();
    await runCohortReport({ output: 'json', top: 10 }, { env: env(), write: rep.write });
    const report = JSON.parse(rep.text()) as CohortReport;
    expect(report.learners.find((l) => l.id === 'dave')).toMatchObject({ removed: true });
    expect(report.learners.find((l) => l.id === 'dave')?.cells[ROUTE.id]?.status).toBe('failed');
  }, 60_000);

  it("a learner's own lab check --live passes a Gateway lab: init grants read on istio-system pods and Services, nothing more", async () => {
    const ingress = lab('ingress-http');
    // the shared ingress gateway, as the instructor's cluster has it
    const shared = new Scratch(cluster);
    await shared.namespace('istio-system');
    await shared.apply(gatewayObjects());
    // init again once istio-system exists: each learner may now read its pods and Services
    const again = capture();
    await runCohortInit(
      roster,
      { ...admin(), dir, tokenTtl: '720h', output: 'json' },
      { env: env(), write: again.write },
    );
    const alice = (JSON.parse(again.text()) as SetupResult).learners.find((l) => l.id === 'alice');
    expect(alice?.changes).toEqual([
      'created RoleBinding istio-system/ica-trainer-spring-alice-gateway-read',
    ]);
    const learner = objectsApi(kubeconfigOf('alice'));
    expect(await canI(learner, 'istio-system', 'list', 'pods')).toBe(true);
    expect(await canI(learner, 'istio-system', 'get', 'secrets')).toBe(false);
    expect(await canI(learner, 'spring-bob', 'list', 'pods')).toBe(false);
    const api = objectsApi(kubeconfigOf('alice'));
    const mine = yamlObjects(ingress.solutionDir, 'spring-alice');
    for (const o of mine) await applyObject(api, o as KubernetesObject);
    try {
      const graded = await gradeLive(ingress, { live: true, kubeconfig: kubeconfigOf('alice') });
      expect(graded.criteria.filter((c) => !c.pass).map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
      expect(graded.findings.filter((f) => f.code === 'IST0101').map((f) => f.message)).toEqual([]);
    } finally {
      for (const o of mine) await api.delete(o as KubernetesObject).catch(() => undefined);
    }
    // the starter still fails, for its own reasons
    const starter = yamlObjects(ingress.starterDir, 'spring-alice');
    for (const o of starter) await applyObject(api, o as KubernetesObject);
    try {
      expect((await gradeLive(ingress, { live: true, kubeconfig: kubeconfigOf('alice') })).pass).toBe(false);
    } finally {
      for (const o of starter) await api.delete(o as KubernetesObject).catch(() => undefined);
    }
  }, 60_000);

  it('init warns the instructor with the meshConfig to add when exportTo defaults are mesh-wide, and never changes it', async (ctx) => {
    const shared = new Scratch(cluster);
    await shared.namespace('istio-system');
    const mesh = (text: string) =>
      ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'istio', namespace: 'istio-system' },
        data: { mesh: text },
      }) as KubernetesObject & { metadata: { name: string } };
    // a cluster with Istio installed (ICA_TEST_KUBECONFIG) keeps its own mesh config
    if (
      await cluster.objects.read(mesh('')).then(
        () => true,
        () => false,
      )
    )
      ctx.skip();
    await applyObject(cluster.objects, mesh('accessLogFile: /dev/stdout\n'));
    const out = capture();
    await runCohortInit(
      roster,
      { ...admin(), dir, tokenTtl: '720h', output: 'text' },
      { env: env(), write: out.write, color: false },
    );
    const warning = out
      .text()
      .split('\n')
      .filter((l) => l.startsWith('warning: '));
    expect(warning).toHaveLength(1);
    expect(warning[0]).toContain(
      'defaultVirtualServiceExportTo: [".","istio-system"], defaultDestinationRuleExportTo: [".","istio-system"], defaultServiceExportTo: [".","istio-system"]',
    );
    const cm = (await cluster.objects.read(mesh(''))) as { data?: Record<string, string> };
    expect(cm.data?.mesh).toBe('accessLogFile: /dev/stdout\n');

    await applyObject(
      cluster.objects,
      mesh(
        'defaultVirtualServiceExportTo: [".", istio-system]\ndefaultDestinationRuleExportTo: [".", istio-system]\ndefaultServiceExportTo: [".", istio-system]\n',
      ),
    );
    const quiet = capture();
    await runCohortInit(
      roster,
      { ...admin(), dir, tokenTtl: '720h', output: 'json' },
      { env: env(), write: quiet.write },
    );
    expect((JSON.parse(quiet.text()) as SetupResult).warnings).toEqual([]);
  });
});
