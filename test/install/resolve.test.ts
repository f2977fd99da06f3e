import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../src/core/config/install/diff.ts';
import {
  enabledComponents,
  PROFILE_NAMES,
  readIstioOperator,
  resolveInstall,
} from '../../src/core/config/install/index.ts';
import { manifestObjects } from '../../src/core/config/install/manifest.ts';

const enabled = (spec: Record<string, unknown>) =>
  enabledComponents(resolveInstall(spec))
    .map((c) => c.name)
    .sort();

describe('profiles (Istio 1.26)', () => {
  it("a revision's proxies connect to istiod-<rev>, as istiod's chart writes discoveryAddress", () => {
    const address = (spec: Record<string, unknown>) =>
      (resolveInstall(spec).meshConfig.defaultConfig as Record<string, unknown>).discoveryAddress;
    expect(address({})).toBe('istiod.istio-system.svc:15012');
    expect(address({ revision: '1-26' })).toBe('istiod-1-26.istio-system.svc:15012');
    expect(address({ revision: '1-26', namespace: 'istio-cp' })).toBe('istiod-1-26.istio-cp.svc:15012');
    // a discoveryAddress the configuration sets is kept (meshConfig overrides the chart's)
    expect(
      address({ revision: '1-26', meshConfig: { defaultConfig: { discoveryAddress: 'x.y.svc:15012' } } }),
    ).toBe('x.y.svc:15012');
  });

  it('enable the components istio.io lists for each profile', () => {
    expect(enabled({})).toEqual(['base', 'istio-ingressgateway', 'istiod']);
    expect(enabled({ profile: 'demo' })).toEqual([
      'base',
      'istio-egressgateway',
      'istio-ingressgateway',
      'istiod',
    ]);
    expect(enabled({ profile: 'minimal' })).toEqual(['base', 'istiod']);
    expect(enabled({ profile: 'empty' })).toEqual([]);
    expect(enabled({ profile: 'ambient' })).toEqual(['base', 'istio-cni-node', 'istiod', 'ztunnel']);
    expect(enabled({ profile: 'preview' })).toEqual(['base', 'istio-ingressgateway', 'istiod']);
    expect(enabled({ profile: 'remote' })).toEqual(['base', 'istiod']);
    expect(resolveInstall({ profile: 'remote' }).components.find((c) => c.kind === 'pilot')?.enabled).toBe(
      false,
    );
    expect(PROFILE_NAMES).toEqual(['ambient', 'default', 'demo', 'empty', 'minimal', 'preview', 'remote']);
  });

  it('demo turns access logs on and scales nothing; default autoscales 1-5', () => {
    const demo = resolveInstall({ profile: 'demo' });
    expect(demo.meshConfig.accessLogFile).toBe('/dev/stdout');
    const istiod = demo.components.find((c) => c.kind === 'pilot');
    expect(istiod?.replicas).toBe(1);
    expect(istiod?.autoscale).toBeUndefined();
    const def = resolveInstall({});
    expect(def.meshConfig.accessLogFile).toBe('');
    expect(def.components.find((c) => c.kind === 'pilot')?.autoscale).toEqual({ min: 1, max: 5 });
    const ingress = def.components.find((c) => c.kind === 'ingressGateway');
    expect(ingress?.service?.type).toBe('LoadBalancer');
    expect(ingress?.service?.ports.map((p) => p.port)).toEqual([15021, 80, 443]);
  });
});

describe('an IstioOperator overlay', () => {
  it("merges over its profile: maps deeply, the mesh config; a gateway list replaces the profile's (istioctl 1.24+)", () => {
    const r = resolveInstall({
      profile: 'demo',
      revision: 'canary',
      meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, trustDomain: 'example.org' },
      components: {
        egressGateways: [{ name: 'istio-egressgateway', enabled: false }],
        ingressGateways: [
          {
            name: 'extra-ingress',
            enabled: true,
            namespace: 'ingress',
            k8s: { service: { type: 'NodePort' } },
          },
        ],
        pilot: { k8s: { resources: { requests: { cpu: '200m' } }, hpaSpec: { minReplicas: 2 } } },
      },
      values: { pilot: { autoscaleEnabled: true } },
    });
    expect(r.meshConfig.accessLogFile).toBe('/dev/stdout');
    expect(r.meshConfig.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    expect(r.meshConfig.trustDomain).toBe('example.org');
    expect(enabledComponents(r).map((c) => `${c.namespace}/${c.name}`)).toEqual([
      'istio-system/base',
      'istio-system/istiod-canary',
      'ingress/extra-ingress',
    ]);
    const istiod = r.components.find((c) => c.kind === 'pilot');
    expect(istiod?.resources).toEqual({ requests: { cpu: '200m', memory: '100Mi' } });
    expect(istiod?.autoscale).toEqual({ min: 2, max: 5 });
    expect(r.components.find((c) => c.name === 'extra-ingress')?.service?.type).toBe('NodePort');
  });

  it('reports unknown fields with a suggestion, wrong types, removed fields, and an unknown profile', () => {
    const m = readIstioOperator({
      profil: 'demo',
      meshConfig: { acessLogFile: '/dev/stdout', enableTracing: 'yes', access_log_encoding: 'JSON' },
      components: { pilot: { k8s: { replicaCont: 2 } } },
      addonComponents: { grafana: { enabled: true } },
    });
    const byPath = Object.fromEntries(m.issues.map((i) => [i.path.join('.'), i]));
    expect(byPath.profil?.suggestion).toBe('profile');
    expect(byPath['meshConfig.acessLogFile']?.suggestion).toBe('accessLogFile');
    expect(byPath['meshConfig.enableTracing']?.message).toMatch(/true or false/);
    expect(byPath['components.pilot.k8s.replicaCont']?.suggestion).toBe('replicaCount');
    expect(byPath.addonComponents?.message).toMatch(/removed in Istio 1.8/);
    expect(byPath['meshConfig.access_log_encoding']).toBeUndefined();
    expect(readIstioOperator({ profile: 'production' }).profileError).toMatch(/unknown profile "production"/);
  });

  it('accepts Istio 1.26 profiles written as IstioOperators (minimal has a bare ingressGateways:)', () => {
    const m = readIstioOperator({
      hub: 'docker.io/istio',
      tag: 1.26,
      components: {
        ingressGateways: null,
        pilot: { enabled: true, k8s: { env: [{ name: 'A', value: 'b' }] } },
      },
      meshConfig: {
        defaultConfig: {
          proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' },
          holdApplicationUntilProxyStarts: true,
        },
      },
      values: { global: { proxy: { autoInject: 'enabled' } } },
    });
    expect(m.issues).toEqual([]);
  });
});

describe('manifest and diff', () => {
  it('a revisioned install has its own mesh ConfigMap and injector webhook selecting istio.io/rev', () => {
    const objects = manifestObjects(resolveInstall({ revision: '1-26', profile: 'minimal' }));
    const names = objects.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`);
    expect(names).toContain('ConfigMap/istio-1-26');
    expect(names).toContain('MutatingWebhookConfiguration/istio-sidecar-injector-1-26');
    expect(names).toContain('Deployment/istiod-1-26');
    expect(names.some((n) => n.includes('ingressgateway'))).toBe(false);
    const hook = objects.find((o) => o.kind === 'MutatingWebhookConfiguration') as {
      webhooks: { name: string }[];
    };
    expect(hook.webhooks.map((w) => w.name)).not.toContain('namespace.sidecar-injector.istio.io');
  });

  it('profile diff names what changes, gateways by name', () => {
    const changes = diffSpecs(resolveInstall({}).spec, resolveInstall({ profile: 'demo' }).spec);
    const paths = changes.map((c) => c.path);
    expect(paths).toContain('components.egressGateways[istio-egressgateway].enabled');
    expect(changes.find((c) => c.path === 'meshConfig.accessLogFile')).toEqual({
      path: 'meshConfig.accessLogFile',
      before: '',
      after: '/dev/stdout',
    });
    expect(diffSpecs(resolveInstall({}).spec, resolveInstall({}).spec)).toEqual([]);
  });
});

describe('the snapshot reads the mesh config an IstioOperator resolves to', () => {
  it('profile demo gives access logs; the overlay its outbound policy', async () => {
    const { Snapshot } = await import('../../src/core/config/snapshot.ts');
    const { loadText } = await import('../../src/core/config/load.ts');
    const result = { resources: [], problems: [], meshConfigs: [], filesRead: 0 };
    loadText(
      'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n  profile: demo\n  meshConfig:\n    outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n    trustDomain: example.org\n',
      'iop.yaml',
      result,
    );
    const snap = new Snapshot({ resources: result.resources, bookinfo: false });
    expect(snap.mesh.outboundMode).toBe('REGISTRY_ONLY');
    expect(snap.trustDomain).toBe('example.org');
  });
});
