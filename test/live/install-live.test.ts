// The installation read from the real API server: namespaces' injection labels,
// pods' containers and sidecar.istio.io/status, the injector and revision-tag
// webhooks, the injector ConfigMaps and Deployments, one LIST per kind, and the
// findings they feed (IST0158, ICA1102). The Installation labs graded from a cluster
// are in install-labs-live.test.ts. No injector runs here: pods are created with the
// containers it would have added (the istio-proxy image is the test's choice), and
// webhooks carry no webhook entries, so pod creation never calls out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeCluster } from '../../src/core/cluster/analyze-cluster.ts';
import { loadCluster } from '../../src/core/cluster/live-source.ts';
import { describeLive } from '../helpers/apiserver.ts';
import { injectedContainers } from '../helpers/yaml-objects.ts';
import { type Obj, RUN, Scratch } from './objects.ts';
import { sharedCluster } from './steps.ts';

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

describeLive('the installation read from the cluster', () => {
  const shared = sharedCluster(async (scratch) => {
    await scratch.namespace('istio-system');
  }, 120_000);
  const shop = `shop-${RUN}`;
  const web = `web-${RUN}`;

  describe('after an in-place upgrade to 1.26.1', () => {
    let work: Scratch;
    beforeAll(async () => {
      work = new Scratch(shared.cluster);
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
      const live = await loadCluster({
        kubeconfig: shared.cluster.kubeconfig.admin,
        namespace: shop,
        env: {},
      });
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
      const r = await analyzeCluster({
        kubeconfig: shared.cluster.kubeconfig.admin,
        allNamespaces: true,
        env: {},
      });
      const mine = r.findings.filter((f) =>
        [shop, web].some((n) => f.message.includes(n) || f.origin?.includes(n)),
      );
      const codes = mine.map((f) => `${f.code} ${f.origin}`).sort();
      expect(codes).toEqual([`ICA1102 Pod ${web}/front-0`, `IST0158 Namespace /${shop}`]);
      const ist0158 = mine.find((f) => f.code === 'IST0158');
      expect(ist0158?.message).toContain('(pod names: [cart-0])');
    });
  });
});
