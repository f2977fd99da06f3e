// The installation read from the real API server: namespaces' injection labels,
// pods' containers and sidecar.istio.io/status, the injector and revision-tag
// webhooks, the injector ConfigMaps and Deployments, one LIST per kind; the
// findings they feed (IST0158, ICA1102) and the Installation labs graded from a
// cluster. No injector runs here: pods are created with the containers it would
// have added (the istio-proxy image is the test's choice), and webhooks carry no
// webhook entries, so pod creation never calls out.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeLive } from '../../src/cli/lab-actions.ts';
import { analyzeCluster } from '../../src/core/cluster/analyze-cluster.ts';
import { loadCluster } from '../../src/core/cluster/live-source.ts';
import { loadExercises } from '../../src/core/content/exercise-loader.ts';
import { openLiveLab } from '../../src/core/labs/live-lab.ts';
import { describeLive, startTestCluster, type TestCluster } from '../helpers/apiserver.ts';
import { injectedContainers, meshConfigMap, yamlObjects } from '../helpers/yaml-objects.ts';
import { bookinfoObjects, clusterObjects, gatewayObjects, type Obj, RUN, Scratch } from './objects.ts';
import { failing, readerRole, withScratch } from './steps.ts';

const OLD = 'docker.io/istio/proxyv2:1.26.0';
const NEW = 'docker.io/istio/proxyv2:1.26.1';

const injectorConfigMap = (name: string, tag: string): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'istio-system' },
  data: { values: JSON.stringify({ global: { hub: 'docker.io/istio', tag, proxy: { image: 'proxyv2' } } }) },
});

/** An injector or tag webhook; its one entry selects no namespace and is ignored on failure. */
const webhook = (name: string, labels: Record<string, string>): Obj => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  metadata: { name, labels },
  webhooks: [
    {
      name: 'rev.namespace.sidecar-injector.istio.io',
      admissionReviewVersions: ['v1'],
      clientConfig: { url: 'https://istiod.invalid:15017/inject' },
      failurePolicy: 'Ignore',
      sideEffects: 'None',
      namespaceSelector: { matchLabels: { 'ica-test-never': 'true' } },
    },
  ],
});

/** A pod as the injector of `revision` made it, its proxy at `image`. */
function injectedPod(namespace: string, name: string, revision: string, image: string): Obj {
  const template = {
    metadata: { labels: { app: name } },
    spec: { containers: [{ name, image: `${name}:1` }] },
  };
  const containers = (injectedContainers(namespace, template) as { name: string; image: string }[]).map(
    (c) => (c.name === 'istio-proxy' ? { ...c, image } : c),
  );
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-0`,
      namespace,
      labels: { app: name },
      annotations: { 'sidecar.istio.io/status': JSON.stringify({ revision }) },
    },
    spec: { automountServiceAccountToken: false, containers },
  };
}

/** Every document of a lab folder as written (cluster-scoped objects and fixed namespaces). */
function labObjects(dir: string): Obj[] {
  const out: Obj[] = [];
  for (const f of readdirSync(dir).sort())
    if (/\.ya?ml$/.test(f))
      for (const doc of loadAll(readFileSync(join(dir, f), 'utf8')))
        if (doc && typeof doc === 'object') out.push(doc as Obj);
  return out;
}

describeLive('the installation read from the cluster', () => {
  let cluster: TestCluster;
  let scratch: Scratch;
  const shop = `shop-${RUN}`;
  const web = `web-${RUN}`;

  beforeAll(async () => {
    cluster = await startTestCluster();
    scratch = new Scratch(cluster);
    await scratch.namespace('istio-system');
  }, 120_000);

  afterAll(async () => {
    await scratch?.undo();
    await cluster?.stop();
  });

  describe('after an in-place upgrade to 1.26.1', () => {
    let work: Scratch;
    beforeAll(async () => {
      work = new Scratch(cluster);
      await work.namespace(shop);
      await work.namespace(web);
      await work.apply([
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: shop, labels: { 'istio-injection': 'enabled' } },
        },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: web, labels: { 'istio.io/rev': 'prod' } } },
        injectorConfigMap('istio-sidecar-injector', '1.26.1'),
        injectorConfigMap('istio-sidecar-injector-1-26', '1.26.1'),
        webhook('istio-sidecar-injector', {}),
        webhook('istio-sidecar-injector-1-26', { 'istio.io/rev': '1-26' }),
        webhook('istio-revision-tag-prod', { 'istio.io/tag': 'prod', 'istio.io/rev': '1-26' }),
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'istiod', namespace: 'istio-system', labels: { app: 'istiod' } },
          spec: {
            selector: { matchLabels: { app: 'istiod' } },
            template: {
              metadata: { labels: { app: 'istiod' } },
              spec: { containers: [{ name: 'discovery', image: 'docker.io/istio/pilot:1.26.1' }] },
            },
          },
        },
        injectedPod(shop, 'cart', 'default', OLD),
        injectedPod(shop, 'orders', 'default', NEW),
        // created by 1-25 before the prod tag moved to 1-26
        injectedPod(web, 'front', '1-25', OLD),
      ]);
    }, 60_000);
    afterAll(async () => {
      await work?.undo();
    });

    it('reads each install kind with one LIST, and what the rules need of each', async () => {
      const live = await loadCluster({ kubeconfig: cluster.kubeconfig.admin, namespace: shop, env: {} });
      // discovery (2 per group: networking, security and telemetry.istio.io, and networking's
      // v1beta1 for ProxyConfig), the namespace GET, 10 Istio kinds, services, pods, deployments,
      // secrets, namespaces, webhooks, istio-system's ConfigMaps (the mesh configs among
      // them), Gateway API discovery (3: group, v1, v1beta1) and its gateways and httproutes
      expect(live.requests).toBe(30);
      expect(live.notes).toEqual([]);
      const of = (kind: string) => live.load.resources.filter((r) => r.kind === kind);
      // every namespace's labels, not only the one analysed
      expect(of('Namespace').find((n) => n.name === web)?.labels).toMatchObject({ 'istio.io/rev': 'prod' });
      expect(of('MutatingWebhookConfiguration').map((r) => r.name)).toEqual(
        expect.arrayContaining([
          'istio-sidecar-injector',
          'istio-sidecar-injector-1-26',
          'istio-revision-tag-prod',
        ]),
      );
      // the webhook entries are kept (a MutatingWebhookConfiguration has no spec)
      const hooks = of('MutatingWebhookConfiguration')[0]?.raw.webhooks as { namespaceSelector?: unknown }[];
      expect(hooks[0]?.namespaceSelector).toEqual({ matchLabels: { 'ica-test-never': 'true' } });
      // only the injectors' ConfigMaps (and mesh configs: none here) are kept from istio-system
      expect(
        of('ConfigMap')
          .map((r) => r.name)
          .sort(),
      ).toEqual(['istio-sidecar-injector', 'istio-sidecar-injector-1-26']);
      expect(of('Deployment').map((r) => `${r.namespace}/${r.name}`)).toContain('istio-system/istiod');
      const cart = of('Pod').find((p) => p.name === 'cart-0');
      expect((cart?.raw.spec as { containers?: unknown[] } | undefined)?.containers).toContainEqual(
        expect.objectContaining({ name: 'istio-proxy', image: OLD }),
      );
    });

    it('reports the pods still on the old proxy (IST0158) and on the old revision (ICA1102)', async () => {
      const r = await analyzeCluster({ kubeconfig: cluster.kubeconfig.admin, allNamespaces: true, env: {} });
      const mine = r.findings.filter((f) =>
        [shop, web].some((n) => f.message.includes(n) || f.origin?.includes(n)),
      );
      const codes = mine.map((f) => `${f.code} ${f.origin}`).sort();
      expect(codes).toEqual([`ICA1102 Pod ${web}/front-0`, `IST0158 Namespace /${shop}`]);
      const ist0158 = mine.find((f) => f.code === 'IST0158');
      expect(ist0158?.message).toContain('(pod names: [cart-0])');
    });
  });

  describe('the Installation labs graded from the cluster', () => {
    const labs = loadExercises().exercises.filter(
      (e) => e.domain.startsWith('Installation') && e.modes.includes('live'),
    );

    it('has the labs whose checks a cluster can answer', () => {
      expect(labs.map((l) => l.id).sort()).toEqual(
        expect.arrayContaining([
          'canary-upgrade-tags',
          'injection-puzzle',
          'access-log-telemetry',
          'mesh-config-registry-only',
          'upgrade-stale-proxies',
          'sidecar-egress-scoping',
        ]),
      );
    });

    for (const id of ['canary-upgrade-tags', 'injection-puzzle']) {
      it(`${id}: the applied starter fails, the applied solution passes`, async () => {
        const lab = labs.find((l) => l.id === id);
        if (!lab) throw new Error(`lab ${id} is not graded live`);
        const grade = (dir: string) =>
          withScratch(cluster, async (work) => {
            const objects = labObjects(dir);
            // namespaces first (bare, so that labels left by the previous run go), then the rest
            const names = new Set(
              [...labObjects(lab.starterDir), ...labObjects(lab.solutionDir)].flatMap((o) =>
                o.kind === 'Namespace'
                  ? [o.metadata.name]
                  : o.metadata.namespace
                    ? [o.metadata.namespace]
                    : [],
              ),
            );
            for (const name of names) {
              await work.namespace(name);
              const own = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === name);
              await work.applyOne(own ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
            }
            await work.apply(objects.filter((o) => o.kind !== 'Namespace'));
            return await gradeLive(lab, {
              live: true,
              kubeconfig: cluster.kubeconfig.admin,
              namespace: 'default',
            });
          });
        const starter = await grade(lab.starterDir);
        expect(starter.pass, starter.criteria.map((c) => `${c.id}: ${c.reason}`).join('\n')).toBe(false);
        const solution = await grade(lab.solutionDir);
        expect(failing(solution)).toEqual([]);
      }, 60_000);
    }

    it('upgrade-stale-proxies: the starter fails; after the rollouts the solution asks for, it passes', async () => {
      const lab = labs.find((l) => l.id === 'upgrade-stale-proxies');
      if (!lab) throw new Error('lab upgrade-stale-proxies is not graded live');
      const apply = async (work: Scratch, objects: Obj[]) => {
        for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
          await work.namespace(ns.metadata.name);
          await work.applyOne(ns);
        }
        // no ServiceAccount token: nothing here creates the token Secrets a pod would mount
        const noToken = (o: Obj): Obj =>
          o.kind === 'Pod'
            ? { ...o, spec: { ...(o.spec as object), automountServiceAccountToken: false } }
            : o;
        await work.apply(objects.filter((o) => o.kind !== 'Namespace').map(noToken));
      };
      const grade = () =>
        gradeLive(lab, { live: true, kubeconfig: cluster.kubeconfig.admin, namespace: 'default' });
      await withScratch(cluster, async (before) => {
        await apply(before, labObjects(lab.starterDir));
        const starter = await grade();
        expect(starter.criteria.filter((c) => !c.pass).map((c) => c.id)).toEqual([
          'shop-current',
          'payments-current',
        ]);
      });
      // What the cluster holds once `kubectl rollout restart` has run for the restarted
      // Deployments: their old pods replaced by pods the new injector made.
      const solution = labObjects(lab.solutionDir);
      const restarted = new Set(
        solution
          .filter(
            (o) => o.kind === 'Deployment' && JSON.stringify(o).includes('kubectl.kubernetes.io/restartedAt'),
          )
          .map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
      );
      const after = solution.map((o) => {
        const app = (o.metadata as { labels?: Record<string, string> }).labels?.app;
        if (o.kind !== 'Pod' || !restarted.has(`${o.metadata.namespace}/${app}`)) return o;
        const text = JSON.stringify(o).replaceAll('proxyv2:1.26.0', 'proxyv2:1.26.1');
        const pod = JSON.parse(text) as Obj;
        pod.metadata.name = `${app}-new`;
        return pod;
      });
      await withScratch(cluster, async (work) => {
        await apply(work, after);
        const r = await grade();
        expect(failing(r)).toEqual([]);
      });
    }, 60_000);

    it('lab watch re-grades an Installation lab when a namespace is relabelled or a tag moves', async () => {
      const lab = labs.find((l) => l.id === 'canary-upgrade-tags');
      if (!lab) throw new Error('lab canary-upgrade-tags is not graded live');
      const work = new Scratch(cluster);
      const events: string[] = [];
      let stop: (() => void) | undefined;
      try {
        const objects = labObjects(lab.starterDir);
        for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
          await work.namespace(ns.metadata.name);
          await work.applyOne(ns);
        }
        await work.apply(objects.filter((o) => o.kind !== 'Namespace'));
        const live = await openLiveLab(lab, {
          kubeconfig: cluster.kubeconfig.admin,
          namespace: 'default',
          env: {},
        });
        stop = live.watch(
          (what) => {
            events.push(what);
          },
          () => {},
        );
        const until = async (re: RegExp) => {
          const deadline = Date.now() + 30_000;
          while (!events.some((e) => re.test(e))) {
            if (Date.now() > deadline) throw new Error(`no event ${re} in: ${events.join(', ')}`);
            await new Promise((r) => setTimeout(r, 100));
          }
        };
        // the watches start with the objects that exist
        await until(/^added Namespace shop$/);
        await until(/^added MutatingWebhookConfiguration istio-revision-tag-prod$/);
        events.length = 0;
        await work.applyOne({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'shop', labels: { 'istio.io/rev': '1-26' } },
        });
        await until(/^modified Namespace shop$/);
        const tag = objects.find((o) => o.metadata.name === 'istio-revision-tag-prod') as Obj;
        await work.applyOne({
          ...tag,
          metadata: { ...tag.metadata, labels: { 'istio.io/tag': 'prod', 'istio.io/rev': '1-26' } },
        });
        await until(/^modified MutatingWebhookConfiguration istio-revision-tag-prod$/);
      } finally {
        stop?.();
        await work.undo();
      }
    }, 60_000);

    it('mesh-config-registry-only: the istio ConfigMap in istio-system decides, as istiod reads it', async () => {
      const lab = labs.find((l) => l.id === 'mesh-config-registry-only');
      if (!lab) throw new Error('lab mesh-config-registry-only is not graded live');
      const ns = `mesh-${RUN}`;
      const grade = (dir: string) =>
        withScratch(cluster, async (work) => {
          await work.namespace(ns);
          const objects = labObjects(dir);
          await work.apply(gatewayObjects());
          await work.apply([
            ...bookinfoObjects(ns),
            ...yamlObjects<Obj>(dir, ns).filter((o) => o.kind !== 'ConfigMap'),
            ...objects.filter((o) => o.kind === 'ConfigMap'),
          ]);
          return await gradeLive(lab, { live: true, kubeconfig: cluster.kubeconfig.admin, namespace: ns });
        });
      await scratch.applyOne(meshConfigMap<Obj>('ALLOW_ANY'));
      const starter = await grade(lab.starterDir);
      expect(starter.pass).toBe(false);
      const solution = await grade(lab.solutionDir);
      expect(failing(solution)).toEqual([]);
    }, 60_000);

    it('access-log-telemetry: applied as written in default, the starter fails and the solution passes', async () => {
      const lab = labs.find((l) => l.id === 'access-log-telemetry');
      if (!lab) throw new Error('lab access-log-telemetry is not graded live');
      expect(lab.namespace).toBe('default');
      const grade = (dir: string) =>
        withScratch(cluster, async (work) => {
          await work.namespace('default');
          await work.apply(gatewayObjects());
          await work.apply(bookinfoObjects('default'));
          // the istio ConfigMap (no accessLogFile) and the Telemetry, as the learner applies them
          for (const o of labObjects(dir)) await work.applyOne(o);
          return await gradeLive(lab, { live: true, kubeconfig: cluster.kubeconfig.admin });
        });
      // a demo-profile mesh config logs everything: the lab's own ConfigMap must turn that off
      await scratch.applyOne(meshConfigMap<Obj>('ALLOW_ANY'));
      const starter = await grade(lab.starterDir);
      expect(failing(starter)).toEqual([
        'productpage-logs: productpage-v1.default does not log: no Telemetry turns access logging on for it, and meshConfig.accessLogFile is empty (cluster)',
      ]);
      const solution = await grade(lab.solutionDir);
      expect(failing(solution)).toEqual([]);
      const logs = solution.criteria.find((c) => c.id === 'productpage-logs');
      expect(logs?.reason).toMatch(/^productpage-v1\.default logs: /);
    }, 60_000);
    it("sidecar-egress-scoping: applied as written (the platform team's payments namespace and istio-system ServiceEntry beside it), the starter fails and the solution passes", async () => {
      const lab = labs.find((l) => l.id === 'sidecar-egress-scoping');
      if (!lab) throw new Error('lab sidecar-egress-scoping is not graded live');
      expect(lab.namespace).toBe('default');
      const grade = (dir: string) =>
        withScratch(cluster, async (work) => {
          const written = labObjects(dir);
          for (const name of ['default', 'payments']) await work.namespace(name);
          await work.apply(gatewayObjects());
          await work.apply(bookinfoObjects('default'));
          // the folder as `kubectl apply -f .` sends it; billing's Deployment runs one Pod
          for (const o of written.filter((o) => o.kind === 'Namespace')) await work.applyOne(o);
          await work.apply(clusterObjects(written.filter((o) => o.kind !== 'Namespace')));
          await work.apply(written.filter((o) => o.kind === 'Deployment'));
          return await gradeLive(lab, { live: true, kubeconfig: cluster.kubeconfig.admin });
        });
      await scratch.applyOne(meshConfigMap<Obj>('ALLOW_ANY'));
      const starter = await grade(lab.starterDir);
      expect(starter.criteria.filter((c) => !c.pass).map((c) => c.id)).toEqual([
        'external-blocked',
        'scoped',
      ]);
      const solution = await grade(lab.solutionDir);
      expect(failing(solution)).toEqual([]);
      // billing.payments was read beside the learner's namespace: hidden by the Sidecar, not unknown
      const scoped = solution.criteria.find((c) => c.id === 'scoped');
      expect(scoped?.reason).toContain('productpage');
      // a user who may list only default does not see istio-system's catalog ServiceEntry:
      // the criterion that needs it fails, and says what the read could not see
      await withScratch(cluster, async (work) => {
        await work.apply(
          readerRole(cluster, {
            name: 'default-reader',
            namespace: 'default',
            user: 'carol',
            apiGroups: ['', 'apps', 'networking.istio.io', 'security.istio.io', 'telemetry.istio.io'],
          }),
        );
        const written = labObjects(lab.solutionDir);
        await work.namespace('payments');
        await work.apply(gatewayObjects());
        await work.apply(bookinfoObjects('default'));
        for (const o of written.filter((o) => o.kind === 'Namespace')) await work.applyOne(o);
        await work.apply(clusterObjects(written.filter((o) => o.kind !== 'Namespace')));
        const narrow = await gradeLive(lab, { live: true, kubeconfig: cluster.kubeconfig.carol });
        const catalog = narrow.criteria.find((c) => c.id === 'catalog-ok');
        expect(catalog?.pass).toBe(false);
        expect(catalog?.reason).toMatch(
          /read in namespace default only \(your credentials may not list VirtualService, DestinationRule, Gateway and \d+ more kinds cluster-wide\), so istio-system's and other namespaces' were not seen/,
        );
        // a criterion that passes carries no such note
        expect(narrow.criteria.find((c) => c.id === 'external-blocked')?.reason).not.toContain('credentials');
      });
    }, 90_000);
  });
});
