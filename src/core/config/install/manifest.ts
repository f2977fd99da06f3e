// The key objects an install would create, as `istioctl manifest generate`
// renders them, reduced to what the trainer models: workloads, Services, the
// mesh ConfigMap and the injector webhook with its selectors. Feeding them back
// to `analyze` gives the same mesh config the IstioOperator resolves to.
import { dump } from 'js-yaml';
import { enabledComponents, type ResolvedInstall } from './resolve.ts';

type Obj = Record<string, unknown>;

/** The namespace and object selectors istiod's injector webhooks use (istiod chart, 1.26). */
export function injectorWebhooks(revision: string, service: string, namespace: string, tag?: string): Obj[] {
  const rev = tag ?? (revision || 'default');
  const clientConfig = { service: { name: service, namespace, path: '/inject', port: 443 } };
  const hooks: Obj[] = [
    {
      name: 'rev.namespace.sidecar-injector.istio.io',
      clientConfig,
      namespaceSelector: {
        matchExpressions: [
          { key: 'istio.io/rev', operator: 'In', values: [rev] },
          { key: 'istio-injection', operator: 'DoesNotExist' },
        ],
      },
      objectSelector: {
        matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }],
      },
    },
    {
      name: 'rev.object.sidecar-injector.istio.io',
      clientConfig,
      namespaceSelector: {
        matchExpressions: [
          { key: 'istio.io/rev', operator: 'DoesNotExist' },
          { key: 'istio-injection', operator: 'DoesNotExist' },
        ],
      },
      objectSelector: {
        matchExpressions: [
          { key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] },
          { key: 'istio.io/rev', operator: 'In', values: [rev] },
        ],
      },
    },
  ];
  if (rev === 'default') {
    hooks.push(
      {
        name: 'namespace.sidecar-injector.istio.io',
        clientConfig,
        namespaceSelector: {
          matchExpressions: [{ key: 'istio-injection', operator: 'In', values: ['enabled'] }],
        },
        objectSelector: {
          matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }],
        },
      },
      {
        name: 'object.sidecar-injector.istio.io',
        clientConfig,
        namespaceSelector: {
          matchExpressions: [
            { key: 'istio-injection', operator: 'DoesNotExist' },
            { key: 'istio.io/rev', operator: 'DoesNotExist' },
          ],
        },
        objectSelector: {
          matchExpressions: [
            { key: 'sidecar.istio.io/inject', operator: 'In', values: ['true'] },
            { key: 'istio.io/rev', operator: 'DoesNotExist' },
          ],
        },
      },
    );
  }
  return hooks.map((h) => ({ ...h, sideEffects: 'None', admissionReviewVersions: ['v1'] }));
}

/** The key objects of an install, in apply order. */
export function manifestObjects(r: ResolvedInstall): Obj[] {
  const suffix = r.revision ? `-${r.revision}` : '';
  const revLabel = { 'istio.io/rev': r.revision || 'default' };
  const out: Obj[] = [];
  const comps = enabledComponents(r);
  const pilot = comps.find((c) => c.kind === 'pilot' || c.kind === 'istiodRemote');
  if (pilot) {
    out.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `istio${suffix}`, namespace: r.namespace, labels: revLabel },
      data: { mesh: dump(r.meshConfig, { lineWidth: -1 }) },
    });
    out.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: `istio-sidecar-injector${suffix}`, labels: revLabel },
      webhooks: injectorWebhooks(r.revision, `istiod${suffix}`, r.namespace),
    });
  }
  for (const c of comps) {
    if (!c.workload || c.kind === 'istiodRemote') continue;
    const labels = c.labels ?? { app: c.name };
    const image =
      c.kind === 'pilot'
        ? 'pilot'
        : c.kind === 'cni'
          ? 'install-cni'
          : c.kind === 'ztunnel'
            ? 'ztunnel'
            : 'proxyv2';
    out.push({
      apiVersion: 'apps/v1',
      kind: c.workload,
      metadata: { name: c.name, namespace: c.namespace, labels: { ...labels, ...revLabel } },
      spec: {
        ...(c.replicas !== undefined ? { replicas: c.replicas } : {}),
        selector: { matchLabels: labels },
        template: {
          metadata: { labels: { ...labels, ...revLabel } },
          spec: {
            containers: [
              {
                name: c.kind === 'pilot' ? 'discovery' : c.kind === 'cni' ? 'install-cni' : 'istio-proxy',
                image: `${r.hub}/${image}:${r.tag}`,
                ...(c.resources ? { resources: c.resources } : {}),
              },
            ],
          },
        },
      },
    });
    if (c.autoscale)
      out.push({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: c.name, namespace: c.namespace },
        spec: {
          minReplicas: c.autoscale.min,
          maxReplicas: c.autoscale.max,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: c.name },
        },
      });
    if (c.service)
      out.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: c.service.name, namespace: c.namespace, labels },
        spec: {
          type: c.service.type,
          selector: labels,
          ports: c.service.ports.map((p) => ({ ...p, protocol: 'TCP' })),
        },
      });
  }
  return out;
}

export function manifestYaml(r: ResolvedInstall): string {
  return manifestObjects(r)
    .map((o) => dump(o, { lineWidth: -1, noRefs: true }))
    .join('---\n');
}
